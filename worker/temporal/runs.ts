import {
  ApplicationFailure,
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from "@temporalio/client";
import {
  type Execution,
  type ExecutionEvent,
  ExecutionOperationError,
  restartRefusal,
} from "@/engine/executor";
import {
  EVENT_SIGNAL,
  type ExecutionWorkflowInput,
  OPERATE_UPDATE,
  taskQueueOf,
  WORKFLOW_TYPE,
  workflowIdOf,
} from "./names";

/**
 * Starts the workflow that runs a stored execution. Idempotent: a start of an execution whose workflow
 * exists (running or finished) does nothing, so an activity retried after a crash starts it once; only a
 * restart runs the same workflow id again. `startAt` delays the first run (a subflow's scheduleDate).
 */
export async function startRun(
  client: Client,
  input: ExecutionWorkflowInput,
  options: { startAt?: Date; now?: Date } = {},
): Promise<void> {
  const delay = options.startAt ? options.startAt.getTime() - (options.now ?? new Date()).getTime() : 0;
  try {
    await client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdOf(input.tenantId, input.executionId),
      taskQueue: taskQueueOf(input.tenantId),
      args: [input],
      workflowIdReusePolicy:
        input.event.type === "restart"
          ? WorkflowIdReusePolicy.ALLOW_DUPLICATE
          : WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(delay > 0 ? { startDelay: delay } : {}),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Applies an operation (kill, pause, resume with inputs, restart, the start of a QUEUED execution) to an
 * execution's workflow, as an update so a refusal reaches the caller as the
 * ExecutionOperationError `step` threw in the workflow (with its code). A restart of an
 * execution whose workflow has finished starts a new run of the same workflow id.
 */
export async function operateRun(
  client: Client,
  tenantId: string,
  executionId: string,
  event: ExecutionEvent,
  /**
   * The stored execution: a restart of one whose workflow has ended is checked against it first, so a
   * refusal (it succeeded) reaches the caller as on the embedded engine instead of failing the new run.
   */
  stored?: () => Promise<Pick<Execution, "state"> | undefined>,
): Promise<void> {
  const handle = client.workflow.getHandle(workflowIdOf(tenantId, executionId));
  const running = await handle.describe().then(
    (d) => d.status.name === "RUNNING",
    (error) => {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    },
  );
  if (!running && event.type === "restart") {
    const execution = await stored?.();
    const refused = execution && restartRefusal(execution);
    if (refused) throw new ExecutionOperationError(refused);
    await startRun(client, { tenantId, executionId, event: { type: "restart" } });
    return;
  }
  if (!running) throw new ExecutionOperationError(`execution ${executionId} has ended`);
  try {
    await handle.executeUpdate(OPERATE_UPDATE, { args: [event] });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      // The workflow closed while the update was on its way ("aborted by closing workflow"): it has ended.
      if (event.type !== "restart") throw new ExecutionOperationError(`execution ${executionId} has ended`);
      await startRun(client, { tenantId, executionId, event: { type: "restart" } });
      return;
    }
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type === "ExecutionOperationError")
      throw new ExecutionOperationError(
        cause.message,
        (cause.details?.[0] as ExecutionOperationError["code"] | undefined) ?? "INVALID_STATE",
      );
    throw new ExecutionOperationError(cause?.message ?? error.message);
  }
}

/** Kill without waiting for the workflow to take it (a signal): for a caller that is giving up on it. */
export async function signalKill(client: Client, tenantId: string, executionId: string): Promise<void> {
  await client.workflow.getHandle(workflowIdOf(tenantId, executionId)).signal(EVENT_SIGNAL, { type: "kill" });
}
