import type { Client } from "@temporalio/client";
import type { EngineContext } from "../../embedded/context";
import { wakeRunning } from "./backfill";
import type { TriggerRef } from "./names";

/**
 * Kestra's unlock on Temporal: the trigger's state forgets the execution that holds it (as
 * server/services/triggers.ts's unlockTrigger does) and the run waiting for that execution's end stops
 * waiting, so the Schedule starts its next time. The execution itself runs on.
 */
export async function unlockTemporalTrigger(
  ctx: EngineContext,
  client: Client,
  tenantId: string,
  ref: TriggerRef,
): Promise<void> {
  await ctx.pool.query(
    "update trigger_states set execution_id = null where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
    [tenantId, ref.namespace, ref.flowId, ref.triggerId],
  );
  await wakeRunning(client, tenantId, ref);
}
