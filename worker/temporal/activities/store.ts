import { createExecution, type Execution, type ExecutionRequest } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { EngineContext } from "../../embedded/context";
import { insertExecution, loadExecution } from "../../embedded/execution-store";

/**
 * Creates an execution and stores it as the read model's first row, before any workflow runs it: the
 * client (start) and the createSubflow activity both start a workflow only for a stored execution.
 * Idempotent: an execution that already exists under this id is returned as it is.
 */
export async function createStoredExecution(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  request: ExecutionRequest,
  parentLink?: { executionId: string; taskRunId: string; iteration?: number },
): Promise<Execution> {
  if (request.id) {
    const existing = await loadExecution(ctx.pool, request.id);
    if (existing) return existing.execution;
  }
  const execution = await createExecution(
    flow,
    { ...request, tenantId },
    {
      now: () => ctx.now(),
      newId: () => ctx.newId(),
      registry: ctx.registry,
      functions: ctx.functions(ctx.pool, tenantId),
      ...(ctx.inputCipher ? { inputCipher: ctx.inputCipher } : {}),
    },
  );
  await insertExecution(ctx.pool, tenantId, execution, parentLink ? { parentLink } : {});
  return execution;
}
