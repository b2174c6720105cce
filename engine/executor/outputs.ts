import type { Execution, TaskRun } from "./model";

/** The chain of a task run's ancestors, closest last (root first). */
export function ancestorsOf(run: TaskRun, byId: ReadonlyMap<string, TaskRun>): TaskRun[] {
  const chain: TaskRun[] = [];
  let parentId = run.parentTaskRunId;
  while (parentId) {
    const parent = byId.get(parentId);
    if (!parent) break;
    chain.unshift(parent);
    parentId = parent.parentTaskRunId;
  }
  return chain;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (
      existing &&
      value &&
      typeof existing === "object" &&
      typeof value === "object" &&
      !Array.isArray(existing) &&
      !Array.isArray(value)
    ) {
      mergeInto(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}

/**
 * `outputs` as expressions see them (Kestra's Execution.outputs): `outputs.<taskId>` for plain runs, and
 * keyed by loop values for runs inside loops, `outputs.<taskId>[v1][v2]` for nested loops. Runs inside a
 * Loop (Kestra 2.0) are left out: only their own iteration sees them.
 */
export function outputsOf(
  execution: Execution,
  byId?: ReadonlyMap<string, TaskRun>,
): Record<string, unknown> {
  const index = byId ?? new Map(execution.taskRunList.map((r) => [r.id, r]));
  const result: Record<string, unknown> = {};
  for (const run of execution.taskRunList) {
    if (!run.outputs) continue;
    const ancestors = ancestorsOf(run, index);
    // Kestra 2.0 runs each Loop iteration in its own context: its tasks' outputs stay inside it
    // (loop-scope.ts shows them to the iteration; the loop's declared `outputs` carry them out).
    if (ancestors.some((p) => p.internal?.loopValues)) continue;
    const values = ancestors.map((p) => p.value).filter((v): v is string => v !== null && v !== undefined);
    if (run.value !== null && run.value !== undefined) values.push(run.value);
    let nested: Record<string, unknown> = { ...run.outputs };
    for (let i = values.length - 1; i >= 0; i--) nested = { [values[i] as string]: nested };
    mergeInto(result, { [run.taskId]: nested });
  }
  return result;
}

/** `tasks.<taskId>.state`, or `tasks.<taskId>.<value>.state` inside loops. */
export function taskStatesOf(execution: Execution): Record<string, unknown> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const run of execution.taskRunList) {
    const entry = (result[run.taskId] ??= {});
    if (run.value !== null && run.value !== undefined) entry[run.value] = { state: run.state.current };
    else entry.state = run.state.current;
  }
  return result;
}
