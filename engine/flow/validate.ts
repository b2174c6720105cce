import { isSeq } from "yaml";
import type { PluginRegistry } from "../plugin/registry";
import { isExpression } from "../plugin/schema";
import type { FlowError, PathSegment } from "./errors";
import { coerceInputValue } from "./input-values";
import type { Flow } from "./model";
import type { FlowSource } from "./source";
import { forEachTask } from "./walk";

/** System labels a user may set: Kestra reserves the `system.` prefix but lets flows mark themselves read-only. */
const USER_SETTABLE_SYSTEM_LABELS = new Set(["system.readOnly"]);

/**
 * Rules that span the whole flow (Kestra's FlowValidator): unique ids everywhere, reserved labels,
 * input dependencies and defaults. Per-task rules (Dag cycles, recursive subflows) are the plugins' own.
 */
export function validateFlowSemantics(
  flow: Flow,
  source: FlowSource,
  registry: PluginRegistry,
  errors: FlowError[],
  paths: WeakMap<object, PathSegment[]>,
): void {
  const error = (path: PathSegment[], message: string, key = false) =>
    errors.push(source.error(path, message, { key }));

  const seenTasks = new Map<string, PathSegment[]>();
  forEachTask(flow, registry, ({ task }) => {
    const path = paths.get(task) ?? [];
    const first = seenTasks.get(task.id);
    if (first) {
      const { line } = source.position([...first, "id"]);
      error([...path, "id"], `duplicate task id '${task.id}' (first used at line ${line})`);
    } else {
      seenTasks.set(task.id, path);
    }
  });

  const unique = (ids: { id: string; path: PathSegment[] }[], what: string) => {
    const seen = new Map<string, PathSegment[]>();
    for (const { id, path } of ids) {
      const first = seen.get(id);
      if (first)
        error(
          [...path, "id"],
          `duplicate ${what} id '${id}' (first used at line ${source.position(first).line})`,
        );
      else seen.set(id, path);
    }
  };
  unique(
    flow.triggers.map((t) => ({ id: t.id, path: paths.get(t) ?? ["triggers"] })),
    "trigger",
  );
  const inputPath = (index: number): PathSegment[] => ["inputs", index];
  unique(
    flow.inputs.map((input, index) => ({ id: input.id, path: inputPath(index) })),
    "input",
  );
  unique(
    flow.outputs.map((output, index) => ({ id: output.id, path: ["outputs", index] })),
    "output",
  );

  // Reserved labels.
  flow.labels.forEach((label, index) => {
    if (label.key.startsWith("system.") && !USER_SETTABLE_SYSTEM_LABELS.has(label.key)) {
      const labelsAreList = isSeq(source.document.get("labels", true));
      const path: PathSegment[] = labelsAreList ? ["labels", index, "key"] : ["labels", label.key];
      error(
        path,
        `label '${label.key}' is reserved: labels starting with 'system.' are set by Cadenza itself`,
        !labelsAreList,
      );
    }
  });

  // Inputs: dependsOn must name known inputs without cycles; literal defaults must be valid values.
  const inputIds = new Set(flow.inputs.map((i) => i.id));
  const dependsOn = new Map<string, string[]>();
  flow.inputs.forEach((input, index) => {
    const deps = input.dependsOn?.inputs ?? [];
    deps.forEach((dep, depIndex) => {
      if (!inputIds.has(dep))
        error([...inputPath(index), "dependsOn", "inputs", depIndex], `unknown input '${dep}' in dependsOn`);
    });
    dependsOn.set(input.id, deps);
    if (
      input.defaults !== undefined &&
      input.defaults !== null &&
      !containsExpression(input.defaults) &&
      input.type !== "FILE"
    ) {
      const result = coerceInputValue(input, input.defaults);
      const listFromExpression =
        (input.type === "SELECT" || input.type === "MULTISELECT") && input.expression;
      if (!result.ok && !listFromExpression) {
        error(
          [...inputPath(index), "defaults"],
          `invalid default for input '${input.id}': ${result.message}`,
        );
      }
    }
  });
  const cycle = findCycle(dependsOn);
  if (cycle) {
    const index = flow.inputs.findIndex((i) => i.id === cycle[0]);
    error(
      [...inputPath(Math.max(index, 0)), "dependsOn"],
      `inputs depend on each other in a cycle: ${cycle.join(" -> ")}`,
    );
  }
}

function containsExpression(value: unknown): boolean {
  if (isExpression(value)) return true;
  if (Array.isArray(value)) return value.some(containsExpression);
  if (value && typeof value === "object") return Object.values(value).some(containsExpression);
  return false;
}

/** Returns one cycle (as a path that starts and ends on the same node) in a dependency graph, if any. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "visiting") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}
