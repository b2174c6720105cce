import type { Task } from "../flow/model";
import type { ChildSpec, FlowableContext, FlowableDecision } from "./flowable";
import type { TaskRun } from "./model";
import { isFailure, isTerminal, type StateType, worstOf } from "./states";

/** The runs of one block: children of `parentId` for one loop value / iteration. */
export interface BlockRuns {
  runs: TaskRun[];
  canCreate: boolean;
  /** Assigned to children created by this block. */
  value?: string | null;
  iteration?: number | null;
  /** KILLING: errors and finally do not start. */
  killing: boolean;
}

interface ListResult {
  create: ChildSpec[];
  /** Running children to interrupt after a failure (failFast, onChildFailure, childFailurePolicy). */
  kill?: TaskRun[];
  /** The state they end in: KILLED unless the flowable names another. */
  killState?: StateType;
  /** Terminal aggregate state of the list, when every task that will run has ended. */
  state?: StateType;
}

const enabled = (tasks: readonly Task[] | undefined): Task[] => (tasks ?? []).filter((t) => !t.disabled);

/**
 * Each task's latest run in the block, found in one pass: looking each task up in the runs made a block of
 * n tasks cost n² per step, the most of a long sequence's time.
 */
function latestRuns(block: BlockRuns): Map<string, TaskRun> {
  const latest = new Map<string, TaskRun>();
  for (const run of block.runs) latest.set(run.taskId, run);
  return latest;
}

function spec(block: BlockRuns, task: Task): ChildSpec {
  return { task, value: block.value ?? null, iteration: block.iteration ?? null };
}

/** Runs tasks one after the other; stops at the first failure. */
export function sequentialList(block: BlockRuns, tasks: readonly Task[]): ListResult {
  const states: StateType[] = [];
  const latest = latestRuns(block);
  for (const task of enabled(tasks)) {
    const run = latest.get(task.id);
    if (!run) return { create: block.canCreate ? [spec(block, task)] : [] };
    if (!isTerminal(run.state.current)) return { create: [] };
    states.push(run.state.current);
    if (isFailure(run.state.current)) break;
  }
  return { create: [], state: worstOf(states) };
}

/**
 * Once a child has failed, the children still running end in `interrupt` now instead of being awaited
 * (Kestra 2.0's Parallel `failFast`: KILLED; Dag's `onChildFailure`: CANCELLED or FAILED). Unset, they are
 * awaited and nothing new starts.
 */
export interface OnChildFailure {
  interrupt?: StateType;
}

/**
 * Runs tasks side by side, at most `concurrency` at a time (0 = no limit). After a failure nothing new starts;
 * the block ends when the started ones have ended, or, with `onFailure.interrupt`, once they are interrupted.
 * `ready` filters tasks that may start now (Dag).
 */
export function parallelList(
  block: BlockRuns,
  tasks: readonly Task[],
  concurrency: number,
  ready: (task: Task) => boolean = () => true,
  onFailure: OnChildFailure = {},
): ListResult {
  const states: StateType[] = [];
  const missing: Task[] = [];
  const active: TaskRun[] = [];
  const latest = latestRuns(block);
  for (const task of enabled(tasks)) {
    const run = latest.get(task.id);
    if (!run) missing.push(task);
    else if (isTerminal(run.state.current)) states.push(run.state.current);
    else active.push(run);
  }
  const running = active.length;
  const failed = states.some(isFailure);
  if (failed && onFailure.interrupt && running > 0)
    return { create: [], kill: active, killState: onFailure.interrupt };
  const create: ChildSpec[] = [];
  if (!failed && block.canCreate && missing.length > 0) {
    const slots = concurrency > 0 ? Math.max(0, concurrency - running) : missing.length;
    for (const task of missing.filter(ready).slice(0, slots)) create.push(spec(block, task));
  }
  if (running > 0 || create.length > 0 || (!failed && missing.length > 0)) return { create };
  return { create, state: worstOf(states) };
}

/**
 * The common tail of every block: when the main tasks failed, run `errors`; then always `finally`.
 * Both run sequentially, as in Kestra. The block's state is the main tasks' (errors do not rescue it),
 * turned FAILED when a `finally` task fails.
 */
export function withErrorsAndFinally(
  block: BlockRuns,
  main: ListResult,
  errors: readonly Task[] | undefined,
  finallyTasks: readonly Task[] | undefined,
): FlowableDecision {
  if (main.state === undefined)
    return {
      create: main.create,
      ...(main.kill ? { kill: main.kill } : {}),
      ...(main.killState ? { killState: main.killState } : {}),
    };
  let state = main.state;
  if (block.killing) return { state };
  if (isFailure(state) && enabled(errors).length > 0) {
    const handled = sequentialList(block, errors ?? []);
    if (handled.state === undefined) return { create: handled.create };
  }
  if (enabled(finallyTasks).length > 0) {
    const done = sequentialList(block, finallyTasks ?? []);
    if (done.state === undefined) return { create: done.create };
    if (isFailure(done.state)) state = "FAILED";
  }
  return { state };
}

/** The runs of a flowable's children for one loop value (undefined = any value). */
export function blockOf(
  context: FlowableContext,
  options: { value?: string | null; iteration?: number | null } = {},
): BlockRuns {
  const children = context.children();
  const runs =
    options.value === undefined && options.iteration === undefined
      ? children
      : children.filter(
          (r) =>
            (options.value === undefined || (r.value ?? null) === options.value) &&
            (options.iteration === undefined || (r.iteration ?? null) === options.iteration),
        );
  return {
    runs,
    canCreate: context.canCreate,
    value: options.value,
    iteration: options.iteration,
    killing: context.step.execution.state.current === "KILLING",
  };
}

/**
 * blockOf(context, { value }) for many values: the children are grouped once, so a loop over n values
 * costs O(children) per resolve instead of O(n × children).
 */
export function blocksByValue(context: FlowableContext): (value: string | null) => BlockRuns {
  const groups = new Map<string | null, TaskRun[]>();
  for (const run of context.children()) {
    const key = run.value ?? null;
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  const canCreate = context.canCreate;
  const killing = context.step.execution.state.current === "KILLING";
  return (value) => ({ runs: groups.get(value) ?? [], canCreate, value, killing });
}

/** A whole sequential block: tasks, then errors on failure, then finally. */
export function sequentialBlock(
  block: BlockRuns,
  tasks: readonly Task[],
  errors?: readonly Task[],
  finallyTasks?: readonly Task[],
): FlowableDecision {
  return withErrorsAndFinally(block, sequentialList(block, tasks), errors, finallyTasks);
}
