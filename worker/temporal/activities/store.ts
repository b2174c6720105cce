import type { Execution, ExecutionRequest } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { CreateOptions } from "../../core";
import { createMaskedExecution } from "../../embedded/apply";
import type { EngineContext } from "../../embedded/context";
import { insertExecution, loadExecution } from "../../embedded/execution-store";

/**
 * Creates an execution (masked as the embedded engine masks it) and stores it as the read model's first
 * row, before any workflow runs it: the client (start), the createSubflow activity and the core's ports
 * start a workflow only for a stored execution. Idempotent, so an activity retried after a crash creates
 * one: an execution that exists under the request's id, or under `dedupeKey`, is returned as it is
 * (`inserted: false`), and the caller may start its workflow again (a start of a started one is a no-op).
 */
export async function createStoredExecution(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  request: ExecutionRequest,
  options: Pick<CreateOptions, "parentLink" | "dedupeKey"> = {},
): Promise<{ execution: Execution; inserted: boolean }> {
  const existing = await findExisting(ctx, request.id, options.dedupeKey);
  if (existing) return { execution: existing, inserted: false };
  const execution = await createMaskedExecution(ctx, ctx.pool, tenantId, flow, request);
  if (await insertExecution(ctx.pool, tenantId, execution, options)) return { execution, inserted: true };
  const raced = await findExisting(ctx, execution.id, options.dedupeKey);
  if (!raced) throw new Error(`execution ${execution.id} could not be stored`);
  return { execution: raced, inserted: false };
}

async function findExisting(
  ctx: EngineContext,
  id: string | undefined,
  dedupeKey: string | undefined,
): Promise<Execution | undefined> {
  if (id) {
    const found = await loadExecution(ctx.pool, id);
    if (found) return found.execution;
  }
  if (!dedupeKey) return undefined;
  const row = (await ctx.pool.query("select document from executions where dedupe_key = $1", [dedupeKey]))
    .rows[0] as { document: Execution } | undefined;
  return row?.document;
}
