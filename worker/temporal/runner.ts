import type { Client } from "@temporalio/client";
import type { ExecutionRunner } from "../embedded/api";
import type { EngineContext } from "../embedded/context";
import { insertExecution, loadExecution } from "../embedded/execution-store";
import { createStoredExecution } from "./activities/store";
import { workflowIdOf } from "./names";
import { operateRun, startRun } from "./runs";

/**
 * The EngineClient's runner in Temporal mode (CADENZA_ENGINE=temporal): executions are stored in the
 * PostgreSQL read model, then run as workflows; operations are updates of those workflows. So the REST
 * API, tRPC, webhooks and the CLI go through the Temporal server without knowing it.
 */
export function temporalRunner(ctx: EngineContext, client: Client): ExecutionRunner {
  return {
    async createAndStart(tenantId, flow, request, options) {
      const { execution } = await createStoredExecution(ctx, tenantId, flow, request);
      await startRun(
        client,
        { tenantId, executionId: execution.id, event: { type: "start" } },
        { ...(options.startAt ? { startAt: options.startAt } : {}), now: ctx.now() },
      );
      return execution;
    },
    operate: (tenantId, id, event) =>
      operateRun(client, tenantId, id, event, async () => (await loadExecution(ctx.pool, id))?.execution),
    async startNew(tenantId, execution) {
      await insertExecution(ctx.pool, tenantId, execution);
      await startRun(client, { tenantId, executionId: execution.id, event: { type: "start" } });
    },
    // The workflow outlives the ended state by its "ended" activity: a caller that stops the workers once
    // the execution has ended (`cadenza flow run`) would otherwise cut Flow triggers off.
    // The long poll is aborted when the wait times out: left in flight, it would retry on a connection
    // closed meanwhile, and the SDK's retry timer throws where nobody can catch it.
    async settled(tenantId, id, timeoutMs) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      await client
        .withAbortSignal(abort.signal, () => client.workflow.getHandle(workflowIdOf(tenantId, id)).result())
        .catch(() => undefined);
      clearTimeout(timer);
    },
  };
}
