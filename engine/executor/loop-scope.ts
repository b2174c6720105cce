import type { Execution, LoopRun, LoopRunParent, TaskRun } from "./model";
import { ancestorsOf } from "./outputs";

/** What a Loop run keeps in its `internal`: the rendered values (and keys, for a map), fixed at its start. */
export interface LoopInternal {
  loopValues?: string[];
  loopKeys?: string[];
}

/** Kestra 2.0's `item` inside a Loop iteration: `value`, 0-based `index`, `key` (maps), outer loops' items. */
export interface LoopItem {
  value: string;
  index: number;
  key?: string;
  parent?: LoopItem;
  parents?: LoopItem[];
}

const loopValuesOf = (run: TaskRun): string[] | undefined =>
  (run.internal as LoopInternal | undefined)?.loopValues;

/** One iteration of one Loop run: the loop's run and the iteration's index. */
export interface IterationRef {
  loop: TaskRun;
  index: number;
}

/**
 * The Loop iterations a run belongs to, nearest first: for each ancestor that is a Loop, the iteration of
 * the child through which the run descends from it.
 */
export function iterationsOf(run: TaskRun, byId: ReadonlyMap<string, TaskRun>): IterationRef[] {
  const path = [...ancestorsOf(run, byId), run];
  const found: IterationRef[] = [];
  for (let i = path.length - 1; i >= 1; i--) {
    const parent = path[i - 1] as TaskRun;
    const child = path[i] as TaskRun;
    if (loopValuesOf(parent) && typeof child.iteration === "number")
      found.push({ loop: parent, index: child.iteration });
  }
  return found;
}

function itemOf(ref: IterationRef): LoopItem {
  const internal = ref.loop.internal as LoopInternal;
  const item: LoopItem = { value: internal.loopValues?.[ref.index] ?? "", index: ref.index };
  const key = internal.loopKeys?.[ref.index];
  if (key !== undefined) item.key = key;
  return item;
}

/** `item` for a chain of iterations (nearest first), with `parent` / `parents[n]` for the outer loops. */
export function itemVariable(refs: readonly IterationRef[]): LoopItem | undefined {
  let outer: LoopItem | undefined;
  for (let i = refs.length - 1; i >= 0; i--) {
    const item = itemOf(refs[i] as IterationRef);
    if (outer) {
      item.parent = outer;
      item.parents = [outer, ...(outer.parents ?? [])];
    }
    outer = item;
  }
  return outer;
}

/** `item` of a LOOP execution, from its loopRun: the iteration, and the outer loops' as `parent(s)`. */
export function loopRunItem(loopRun: LoopRun): LoopItem {
  const plain = (p: LoopRunParent): LoopItem => ({
    value: p.value,
    index: p.index,
    ...(p.key !== undefined ? { key: p.key } : {}),
  });
  let outer: LoopItem | undefined;
  for (let i = loopRun.parents.length - 1; i >= 0; i--) {
    const item = plain(loopRun.parents[i] as LoopRunParent);
    if (outer) {
      item.parent = outer;
      item.parents = [outer, ...(outer.parents ?? [])];
    }
    outer = item;
  }
  const item = plain(loopRun);
  if (outer) {
    item.parent = outer;
    item.parents = [outer, ...(outer.parents ?? [])];
  }
  return item;
}

function nest(target: Record<string, unknown>, keys: string[], outputs: Record<string, unknown>): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = typeof next === "object" && next !== null ? next : {}) as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  const existing = node[last];
  node[last] =
    typeof existing === "object" && existing !== null ? { ...(existing as object), ...outputs } : outputs;
}

/**
 * The outputs of the tasks of one iteration, as that iteration sees them (`outputs.<task>.<key>`, not keyed
 * by the loop value): Kestra 2.0 runs each iteration in its own context.
 */
export function iterationOutputs(
  execution: Execution,
  byId: ReadonlyMap<string, TaskRun>,
  ref: IterationRef,
): Record<string, unknown> {
  const local: Record<string, unknown> = {};
  for (const run of execution.taskRunList) {
    if (!run.outputs || run.id === ref.loop.id) continue;
    const path = [...ancestorsOf(run, byId), run];
    const at = path.findIndex((r) => r.id === ref.loop.id);
    if (at < 0) continue;
    const head = path[at + 1];
    if (!head || head.iteration !== ref.index) continue;
    // Values of inner loops (ForEach inside a Loop) still key their runs' outputs.
    const values = path
      .slice(at + 2)
      .map((r) => r.value)
      .filter((v): v is string => v !== null && v !== undefined);
    nest(local, [run.taskId, ...values], run.outputs);
  }
  return local;
}

/** The variables a Loop iteration adds: `item`, and its own tasks' outputs over the execution's. */
export function iterationVariables(
  execution: Execution,
  byId: ReadonlyMap<string, TaskRun>,
  refs: readonly IterationRef[],
  outputs: Record<string, unknown>,
): { item?: LoopItem; outputs: Record<string, unknown> } {
  if (refs.length === 0) return { outputs };
  let merged = outputs;
  // Outer iterations first, so the nearest iteration's own tasks win.
  for (let i = refs.length - 1; i >= 0; i--)
    merged = { ...merged, ...iterationOutputs(execution, byId, refs[i] as IterationRef) };
  return { item: itemVariable(refs), outputs: merged };
}
