import { type Execution, toExecutionJson } from "@/engine/executor";
import { NotFoundError } from "./errors";
import { audit, type ServiceScope } from "./scope";

export interface ReviewRequest {
  decision: "APPROVED" | "DENIED";
  comment?: string;
  /** Which Approval, when several wait at once. */
  taskRunId?: string;
  /** Values for the Approval's review `inputs`. */
  inputs?: Record<string, unknown>;
}

/**
 * Kestra 2.0's review action (ExecutionService.decide): a reviewer approves or denies the Approval an execution
 * waits on. `by` is who asks: a user's email, a service account's name. The engine decides what is refused (its
 * ExecutionOperationError): an execution waiting on no Approval (409, saying what it is instead), an unknown
 * task run (404), a missing comment where `commentRequired` asks one, invalid review inputs, or several
 * Approvals waiting without `taskRunId` (422).
 */
export async function reviewExecution(scope: ServiceScope, id: string, request: ReviewRequest) {
  const row = await scope.db.execution.findUnique({
    where: { id },
    select: { id: true, namespace: true, state: true, document: true },
  });
  // The operation's rule (EXECUTION:UPDATE on the execution's namespace) was checked by the adapter.
  if (!row) throw new NotFoundError(`Execution ${id} not found.`);
  const paused = new Set(
    ((row.document as unknown as Execution | null)?.taskRunList ?? [])
      .filter((r) => r.state.current === "PAUSED")
      .map((r) => r.id),
  );
  const engine = await scope.engine();
  const after = await engine.client.operate(scope.tenant.id, id, {
    type: "review",
    decision: request.decision,
    by: scope.principal.name,
    ...(request.taskRunId ? { taskRunId: request.taskRunId } : {}),
    ...(request.comment ? { comment: request.comment } : {}),
    ...(request.inputs ? { inputs: request.inputs } : {}),
  });
  const decided = after.taskRunList.find(
    (r) => paused.has(r.id) && r.state.current !== "PAUSED" && r.outputs?.decision === request.decision,
  );
  await audit(scope, {
    action: request.decision === "APPROVED" ? "APPROVE" : "DENY",
    resourceType: "EXECUTION",
    resourceId: id,
    namespace: row.namespace,
    before: { state: row.state },
    after: {
      state: after.state.current,
      ...(decided ? { taskRunId: decided.id, taskId: decided.taskId } : {}),
      ...(request.comment ? { comment: request.comment } : {}),
    },
  });
  return toExecutionJson(after);
}
