import type { DriverPorts } from "./ports";

/**
 * A flow-level retry with `behavior: CREATE_NEW_EXECUTION`, once its delay has passed: a new execution of
 * the same flow revision with the same inputs, labels and trigger, and the next attempt number. Creating
 * it twice (a job run again) creates one.
 */
export async function retryExecution(
  ports: DriverPorts,
  executionId: string,
  attemptNumber: number,
): Promise<void> {
  const execution = await ports.executions.get(executionId);
  if (!execution) return;
  const flow = await ports.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
  if (!flow) {
    await ports.log(execution, "ERROR", `cannot retry: flow revision ${execution.flowRevision} not found`);
    return;
  }
  await ports.executions.create(
    flow,
    {
      inputs: execution.inputs,
      labels: execution.labels,
      trigger: execution.trigger,
      originalId: execution.originalId,
      attemptNumber,
      ...(execution.tenantId !== undefined ? { tenantId: execution.tenantId } : {}),
    },
    { dedupeKey: `retry:${execution.id}:${attemptNumber}` },
  );
}
