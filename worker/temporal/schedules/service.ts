import type { Client } from "@temporalio/client";
import type { EngineContext } from "../../embedded/context";
import { controlTemporalBackfill, startTemporalBackfill, temporalBackfill } from "./backfill";
import type { TemporalBackfill } from "./backfill-record";
import type { TriggerRef } from "./names";
import { type FlowRef, type ScheduleSyncResult, syncFlowSchedules, syncTenantSchedules } from "./sync";
import { unlockTemporalTrigger } from "./unlock";

/**
 * Everything the server does about Schedule triggers when the engine is Temporal, in one place. The
 * backfill methods have the embedded EngineClient's signatures (startBackfill, backfill, controlBackfill),
 * so a Temporal engine client can hand them over as they are.
 */
export interface TemporalScheduleService {
  /** After a flow's create, update, import, delete, enable or disable (after its transaction commits). */
  flowChanged(tenantId: string, flow: FlowRef): Promise<ScheduleSyncResult>;
  /** After a trigger is enabled or disabled at run time (triggers API): its Schedule pauses or resumes. */
  triggerChanged(tenantId: string, trigger: TriggerRef): Promise<ScheduleSyncResult>;
  /** Every Schedule trigger of a tenant (process start on Temporal, or a flow saved while it was down). */
  syncTenant(tenantId: string): Promise<void>;
  startBackfill(
    tenantId: string,
    ref: TriggerRef,
    options: {
      start: Date;
      end: Date;
      inputs?: Record<string, unknown>;
      labels?: { key: string; value: string }[];
    },
  ): Promise<TemporalBackfill>;
  backfill(tenantId: string, ref: TriggerRef): Promise<TemporalBackfill | undefined>;
  controlBackfill(
    tenantId: string,
    ref: TriggerRef,
    action: "pause" | "resume" | "cancel",
  ): Promise<TemporalBackfill>;
  /** Kestra's unlock: the trigger's state forgets its execution and the waiting run stops holding it. */
  unlock(tenantId: string, ref: TriggerRef): Promise<void>;
}

export function temporalScheduleService(ctx: EngineContext, client: Client): TemporalScheduleService {
  return {
    flowChanged: (tenantId, flow) => syncFlowSchedules(ctx, client, tenantId, flow),
    triggerChanged: (tenantId, trigger) =>
      syncFlowSchedules(ctx, client, tenantId, { namespace: trigger.namespace, id: trigger.flowId }),
    syncTenant: (tenantId) => syncTenantSchedules(ctx, client, tenantId),
    startBackfill: (tenantId, ref, options) => startTemporalBackfill(ctx, client, tenantId, ref, options),
    backfill: (tenantId, ref) => temporalBackfill(ctx, tenantId, ref),
    controlBackfill: (tenantId, ref, action) => controlTemporalBackfill(ctx, client, tenantId, ref, action),
    unlock: (tenantId, ref) => unlockTemporalTrigger(ctx, client, tenantId, ref),
  };
}
