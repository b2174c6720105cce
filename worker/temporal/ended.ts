import type { EngineContext } from "../embedded/context";
import { loadExecution } from "../embedded/execution-store";
import type { EndedPort } from "./activities";

/**
 * What the Temporal driver does once an execution has ended, outside the execution: its WorkingDirectory
 * directories are released and a trigger's `stopAfter` disables it. A subflow's result reaches its parent
 * as the child workflow's result, not through here.
 * Not yet: Flow triggers and the release of QUEUED executions (concurrency) — the shared driver core's job.
 */
export function temporalEnded(ctx: EngineContext): EndedPort {
  return async (tenantId, executionId) => {
    const stored = await loadExecution(ctx.pool, executionId);
    if (!stored) return;
    const { execution } = stored;
    await ctx.processRunner
      .releaseShared?.(execution.id)
      .catch((error) => ctx.report("could not remove a working directory", error));
    const flow = await ctx.flows.revision(
      ctx.pool,
      tenantId,
      execution.namespace,
      execution.flowId,
      execution.flowRevision,
    );
    const stopAfter = flow.triggers.find((t) => t.id === execution.trigger?.id)?.stopAfter;
    if (stopAfter?.includes(execution.state.current)) {
      await ctx.pool.query(
        "update trigger_states set disabled = true, updated_at = now() where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
        [tenantId, execution.namespace, execution.flowId, execution.trigger?.id],
      );
    }
  };
}
