import type { Task } from "../flow/model";
import type { FlowableHandler } from "./flowable";
import type { TaskRun } from "./model";
import { isTerminal, transition } from "./states";
import { ExecutionOperationError, type StepContext } from "./step-context";

/** The states a task run can be marked as (Kestra's "change status" offers these three). */
export const CHANGEABLE_STATES = ["SUCCESS", "WARNING", "FAILED"] as const;
export type ChangeableState = (typeof CHANGEABLE_STATES)[number];
/** The end states an ended execution can be given (Kestra's execution-level "change status"). */
export const EXECUTION_END_STATES = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"] as const;

/** Slots whose runs are dropped so they run again, if still needed, once the changed run's block ends. */
const REPLAYED_SLOTS = new Set(["errors", "finally", "afterExecution"]);

/**
 * Kestra's ExecutionService.markAs ("change status"): a task run of an ended execution takes a new state
 * (its last attempt too), its flowable ancestors go back to RUNNING, and the execution goes RESTARTED then
 * RUNNING, so it carries on from there: what follows a run now SUCCESS starts, a run now FAILED sends its
 * block to its errors branch. Unlike Kestra, the errors, finally and afterExecution runs of the blocks
 * that go on are dropped first (as a restart drops them): left in place they would stop the block from
 * running its next tasks, or stop the errors branch from running again.
 */
export function changeTaskRunState(
  ctx: StepContext,
  handlerOf: (task: Task) => FlowableHandler<never> | undefined,
  taskRunId: string,
  state: ChangeableState,
): TaskRun {
  const { execution } = ctx;
  const current = execution.state.current;
  if (!isTerminal(current)) {
    throw new ExecutionOperationError(
      `cannot change a task run's state while the execution is ${current}: only an ended execution can be changed${
        current === "PAUSED" ? " (resume it instead)" : ""
      }`,
    );
  }
  if (!(CHANGEABLE_STATES as readonly string[]).includes(state)) {
    throw new ExecutionOperationError(
      `a task run can only be marked ${CHANGEABLE_STATES.join(", ")}, not ${state}`,
      "INVALID_INPUT",
    );
  }
  const target = ctx.run(taskRunId);
  if (!target) throw new ExecutionOperationError(`execution has no task run ${taskRunId}`, "NOT_FOUND");
  if (target.state.current === state)
    throw new ExecutionOperationError(`task run ${target.taskId} is already ${state}`, "INVALID_INPUT");

  const ancestors: TaskRun[] = [];
  for (let id = target.parentTaskRunId; id; ) {
    const parent = ctx.run(id);
    if (!parent) break;
    if (handlerOf(ctx.taskOf(parent))?.restartsWhole) {
      throw new ExecutionOperationError(
        `task ${target.taskId} runs inside ${parent.taskId}, whose tasks share a directory that is gone: restart the execution instead`,
        "INVALID_INPUT",
      );
    }
    ancestors.push(parent);
    id = parent.parentTaskRunId ?? null;
  }

  // The blocks that go on: the root and each ancestor. Their branch runs go, with everything under them.
  const goingOn = new Set<string | null>([null, ...ancestors.map((run) => run.id)]);
  const dropped = new Set<string>();
  for (const run of execution.taskRunList) {
    const slot = ctx.tasks.get(run.taskId)?.slot;
    const parentId = run.parentTaskRunId ?? null;
    if ((slot && REPLAYED_SLOTS.has(slot) && goingOn.has(parentId)) || (parentId && dropped.has(parentId)))
      dropped.add(run.id);
  }
  if (dropped.has(target.id)) {
    throw new ExecutionOperationError(
      `task ${target.taskId} is part of an errors, finally or afterExecution branch, which runs again by itself: change the state of the task that led to it`,
      "INVALID_INPUT",
    );
  }
  execution.taskRunList = execution.taskRunList.filter((run) => !dropped.has(run.id));
  ctx.reindex();

  ctx.setState(target, state);
  const attempt = target.attempts[target.attempts.length - 1];
  if (attempt) transition(attempt.state, state, ctx.now());
  for (const parent of ancestors) ctx.setState(parent, "RUNNING");

  const internal = (execution.internal ??= {});
  delete internal.finalState;
  delete internal.exitState;
  delete internal.exitAfterExecution;
  delete internal.manualPause;
  delete execution.outputs;
  ctx.setExecutionState("RESTARTED");
  ctx.setExecutionState("RUNNING");
  return target;
}
