import type { PluginRegistry } from "../plugin/registry";
import type { PathSegment } from "./errors";
import type { Flow, Task } from "./model";
import type { FlowSource } from "./source";
import { childTaskLists, forEachTask } from "./walk";

const FOR_EACH_LIKE = new Set(["core.flow.ForEach", "core.flow.EachSequential", "core.flow.EachParallel"]);
const LOOP = "core.flow.Loop";

/** An expression reading Loop's iteration variable, outside a `{% for item in ... %}` of its own. */
const ITEM_READ = /\bitem\s*\.\s*(value|index|key|parent|parents)\b/;
const FOR_ITEM = /\{%-?\s*for\s+(\w+\s*,\s*)?item\s+in\b/;
const TASKRUN_VALUE = /\btaskrun\s*\.\s*value\b/;
const JSON_FUNCTION = /(?<![\w.])json\s*\(/;
const JSON_FILTER = /\|\s*json\b/;

function* strings(
  value: unknown,
  path: PathSegment[],
  skip: Set<string>,
): Generator<[string, PathSegment[]]> {
  if (typeof value === "string") {
    if (value.includes("{{") || value.includes("{%")) yield [value, path];
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* strings(v, [...path, i], skip);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (!skip.has(k)) yield* strings(v, [...path, k], skip);
  }
}

/**
 * Warnings for expressions written for one Kestra version inside a construct of the other, each saying what to
 * write instead: Loop's `item.value` inside a ForEach (where it is undefined), ForEach's `taskrun.value` inside a
 * Loop (2.0 runs iterations as their own executions: use `item.value`), and 1.x's `json()` / `| json`, which
 * Kestra 2.0 removed (`fromJson()` / `| toJson`; Cadenza still reads both).
 */
export function expressionMixups(
  flow: Flow,
  registry: PluginRegistry,
  source: FlowSource,
  paths: WeakMap<object, PathSegment[]>,
  warn: (warning: ReturnType<FlowSource["error"]>) => void,
): void {
  const parents = new Map<Task, Task | undefined>();
  forEachTask(flow, registry, ({ task, parent }) => {
    parents.set(task, parent);
  });
  const nearestLoop = (task: Task): string | undefined => {
    for (let p = parents.get(task); p; p = parents.get(p)) {
      const type = registry.get(p.type)?.type ?? p.type;
      if (type === LOOP || FOR_EACH_LIKE.has(type)) return type;
    }
    return undefined;
  };
  for (const task of parents.keys()) {
    const base = paths.get(task);
    if (!base) continue;
    const slots = new Set(childTaskLists(task, registry).map((c) => String(c.path[0])));
    const loop = nearestLoop(task);
    for (const [text, path] of strings(task, [], slots)) {
      const at = [...base, ...path];
      if (loop && FOR_EACH_LIKE.has(loop) && ITEM_READ.test(text) && !FOR_ITEM.test(text))
        warn(
          source.error(
            at,
            "`item.value` is Kestra 2.0 Loop's: inside a ForEach the value is `taskrun.value` (or make the loop a `io.kestra.plugin.core.flow.Loop`)",
          ),
        );
      if (loop === LOOP && TASKRUN_VALUE.test(text))
        warn(
          source.error(
            at,
            "inside a Loop (Kestra 2.0) the item is `item.value` (`item.index`, `item.key`); `taskrun.value` is ForEach's",
          ),
        );
      if (JSON_FUNCTION.test(text))
        warn(source.error(at, "`json()` was removed in Kestra 2.0: write `fromJson()` (Cadenza reads both)"));
      if (JSON_FILTER.test(text))
        warn(
          source.error(
            at,
            "the `json` filter was removed in Kestra 2.0: write `| toJson` (Cadenza reads both)",
          ),
        );
    }
  }
}
