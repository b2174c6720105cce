import type { Task } from "../flow/model";
import type { FlowableHandler } from "./flowable";
import type { Execution, TaskRun } from "./model";
import { isFailure } from "./states";
import { ExecutionOperationError, type StepContext } from "./step-context";

const RESTARTABLE = new Set(["FAILED", "KILLED", "PAUSED", "CANCELLED"]);
/** Slots whose runs are dropped on restart: they run again, if needed, once the restarted tasks end. */
const REPLAYED_SLOTS = new Set(["errors", "finally", "afterExecution"]);

/** Why an execution in this state cannot restart, or undefined when it can: the step's own check. */
export function restartRefusal(execution: Pick<Execution, "state">): string | undefined {
  const current = execution.state.current;
  return RESTARTABLE.has(current)
    ? undefined
    : `cannot restart an execution that is ${current}: only FAILED, KILLED, CANCELLED or PAUSED executions restart`;
}

/**
 * Restart in place (Kestra's ExecutionService.restart): same execution id; failed, killed and paused task
 * runs run again (a new attempt for runnable tasks) together with their ancestors; error, finally and
 * afterExecution runs are dropped; the attempt number goes up; state RESTARTED, then RUNNING.
 */
export function restartExecution(
  ctx: StepContext,
  handlerOf: (task: Task) => FlowableHandler<never> | undefined,
): void {
  const isFlowable = (task: Task) => handlerOf(task) !== undefined;
  const { execution } = ctx;
  const refused = restartRefusal(execution);
  if (refused) throw new ExecutionOperationError(refused);

  // Drop branch runs and everything under them.
  const dropped = new Set<string>();
  for (const run of execution.taskRunList) {
    const slot = ctx.tasks.get(run.taskId)?.slot;
    if ((slot && REPLAYED_SLOTS.has(slot)) || (run.parentTaskRunId && dropped.has(run.parentTaskRunId)))
      dropped.add(run.id);
  }
  execution.taskRunList = execution.taskRunList.filter((run) => !dropped.has(run.id));
  ctx.reindex();

  // Blocks that restart whole (WorkingDirectory) around a failed run: their children go, they start over.
  const wholes = new Set<string>();
  for (const run of execution.taskRunList) {
    if (!isFailure(run.state.current) && run.state.current !== "PAUSED") continue;
    for (let parent = run.parentTaskRunId ? ctx.run(run.parentTaskRunId) : undefined; parent; ) {
      if (handlerOf(ctx.taskOf(parent))?.restartsWhole) wholes.add(parent.id);
      parent = parent.parentTaskRunId ? ctx.run(parent.parentTaskRunId) : undefined;
    }
  }
  if (wholes.size > 0) {
    const gone = new Set<string>();
    for (const run of execution.taskRunList) {
      for (
        let parentId = run.parentTaskRunId;
        parentId;
        parentId = ctx.run(parentId)?.parentTaskRunId ?? null
      ) {
        if (wholes.has(parentId)) {
          gone.add(run.id);
          break;
        }
      }
    }
    execution.taskRunList = execution.taskRunList.filter((run) => !gone.has(run.id));
    ctx.reindex();
  }

  const failed = execution.taskRunList.filter(
    (run) => isFailure(run.state.current) || run.state.current === "PAUSED",
  );
  const hasFailedChild = new Set<string>();
  for (const run of failed) {
    let parentId = run.parentTaskRunId;
    while (parentId) {
      hasFailedChild.add(parentId);
      parentId = ctx.run(parentId)?.parentTaskRunId ?? null;
    }
  }
  for (const run of execution.taskRunList) {
    const needsRun = failed.includes(run) || hasFailedChild.has(run.id);
    if (!needsRun) continue;
    const task = ctx.taskOf(run);
    if (isFlowable(task) && hasFailedChild.has(run.id)) {
      ctx.setState(run, "RUNNING");
    } else {
      reset(run, isFlowable(task));
      ctx.setState(run, "RESTARTED");
    }
  }

  const internal = (execution.internal ??= {});
  delete internal.finalState;
  delete internal.exitState;
  delete internal.exitAfterExecution;
  delete internal.manualPause;
  delete execution.outputs;
  execution.metadata.attemptNumber += 1;
  // Kestra's ExecutionService.restart marks the execution with `system.restarted`.
  if (!execution.labels.some((l) => l.key === "system.restarted" && l.value === "true"))
    execution.labels = [...execution.labels, { key: "system.restarted", value: "true" }];
  ctx.setExecutionState("RESTARTED");
  ctx.setExecutionState("RUNNING");
}

/**
 * A flowable that failed on its own (bad values, no matching case, a failed subflow) starts over from
 * scratch; what it kept is handed to its next start as `internal.previous` (a Subflow restarts the child
 * execution it started, by default).
 */
function reset(run: TaskRun, flowable: boolean): void {
  if (flowable) {
    const previous = run.internal;
    delete run.internal;
    if (previous) run.internal = { previous };
    run.outputs = null;
  }
}
