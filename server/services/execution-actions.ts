// Kestra's execution actions beyond kill/pause/resume/restart (ExecutionController and ExecutionService of
// Kestra): force-run, unqueue, change-status of an ended execution, and the validation of resume inputs.
import { type Execution, isTerminal, type StateType, toExecutionJson } from "@/engine/executor";
import type { Input } from "@/engine/flow";
import { ConflictError, NotFoundError } from "./errors";
import type { InputValidation } from "./execution-inputs";
import { audit, check, type ServiceScope } from "./scope";

async function found(scope: ServiceScope, id: string) {
  const row = await scope.db.execution.findUnique({
    where: { id },
    select: { id: true, namespace: true, flowId: true, state: true },
  });
  if (!row) throw new NotFoundError(`Execution ${id} not found.`);
  check(scope, "EXECUTION", "UPDATE", row.namespace);
  return row;
}

async function recorded(
  scope: ServiceScope,
  action: string,
  before: { id: string; namespace: string; state: string },
  after: Execution,
) {
  await audit(scope, {
    action,
    resourceType: "EXECUTION",
    resourceId: before.id,
    namespace: before.namespace,
    before: { state: before.state },
    after: { state: after.state.current },
  });
  return toExecutionJson(after);
}

/**
 * Kestra's force-run: a CREATED execution (one scheduled for later) starts now and a QUEUED one past its flow's
 * concurrency limit; a PAUSED one is resumed; any other running state is left as it is. An ended execution is
 * refused (409).
 */
export async function forceRunExecution(scope: ServiceScope, id: string) {
  const before = await found(scope, id);
  const engine = await scope.engine();
  const state = before.state as StateType;
  if (isTerminal(state))
    throw new ConflictError(
      `Execution ${id} has ended (${state}): only an execution that has not ended can be forced to run.`,
    );
  const event =
    state === "CREATED" || state === "QUEUED"
      ? ({ type: "start", force: true } as const)
      : state === "PAUSED"
        ? ({ type: "resume", by: scope.principal.name } as const)
        : undefined;
  const after = event
    ? await engine.client.operate(scope.tenant.id, id, event)
    : await engine.client.get(scope.tenant.id, id);
  if (!after) throw new NotFoundError(`Execution ${id} not found.`);
  return recorded(scope, "FORCE_RUN", before, after);
}

/** Kestra's unqueue: a QUEUED execution runs now, past its flow's concurrency limit; any other is refused. */
export async function unqueueExecution(scope: ServiceScope, id: string) {
  const before = await found(scope, id);
  if (before.state !== "QUEUED")
    throw new ConflictError(`Execution ${id} is ${before.state}: only a QUEUED execution can be unqueued.`);
  const engine = await scope.engine();
  const after = await engine.client.operate(scope.tenant.id, id, { type: "start", force: true });
  return recorded(scope, "UNQUEUE", before, after);
}

/**
 * Kestra's change-status of an execution: an ended execution takes another end state (no task runs again, no
 * trigger fires again). A running execution or a state that is not an end state is refused.
 */
export async function changeExecutionStatus(scope: ServiceScope, id: string, status: StateType) {
  const before = await found(scope, id);
  const engine = await scope.engine();
  const after = await engine.client.operate(scope.tenant.id, id, { type: "changeStatus", state: status });
  return recorded(scope, "CHANGE_STATUS", before, after);
}

/** Kestra's `resume/validate`: each onResume input of the paused Pause tasks as the resume would read it. */
export async function validateResumeInputs(
  scope: ServiceScope,
  id: string,
  inputs: Record<string, unknown>,
): Promise<{ id: string; namespace: string; inputs: InputValidation[] }> {
  await found(scope, id);
  const engine = await scope.engine();
  const { flow, inputs: states } = await engine.client.validateResume(scope.tenant.id, id, inputs);
  return {
    id: flow.id,
    namespace: flow.namespace,
    inputs: states.map((state) => ({
      id: state.id,
      input: state.input as Input,
      value: state.value,
      enabled: state.enabled,
      isDefault: state.isDefault,
      errors: state.errors.map((message) => ({ message })),
    })),
  };
}
