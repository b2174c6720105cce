import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleHandle,
  ScheduleNotFoundError,
  type ScheduleOptions,
} from "@temporalio/client";
import type { Flow, Trigger } from "@/engine/flow";
import type { EngineContext } from "../../embedded/context";
import { SCHEDULED_RUN_WORKFLOW, type ScheduledRunInput, scheduleIdOf, scheduleTaskQueueOf } from "./names";
import { catchupWindowMs, overlapPolicy, scheduleSpec } from "./spec";

const SCHEDULE_TYPE = "core.trigger.Schedule";

export interface FlowRef {
  namespace: string;
  id: string;
}

/** What one sync did, per trigger id (for logs and tests). */
export interface ScheduleSyncResult {
  upserted: { triggerId: string; paused: boolean }[];
  deleted: string[];
}

/** The Temporal Schedule of one Schedule trigger, as the flow's current revision says. */
export function scheduleOptions(
  tenantId: string,
  flow: Flow,
  trigger: Trigger,
  paused: boolean,
): ScheduleOptions {
  const ref = { namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id };
  const input: ScheduledRunInput = { tenantId, ...ref };
  return {
    scheduleId: scheduleIdOf(tenantId, ref),
    spec: scheduleSpec(trigger),
    action: {
      type: "startWorkflow",
      workflowType: SCHEDULED_RUN_WORKFLOW,
      // Temporal appends each schedule time to it: one id per (trigger, time).
      workflowId: `cadenza-schedule/${tenantId}/${ref.namespace}/${ref.flowId}/${ref.triggerId}`,
      taskQueue: scheduleTaskQueueOf(tenantId),
      args: [input],
    },
    policies: {
      overlap: overlapPolicy(trigger),
      catchupWindow: catchupWindowMs(trigger),
      pauseOnFailure: false,
    },
    state: {
      paused,
      note: paused ? "Cadenza: flow or trigger disabled" : "Cadenza: enabled",
    },
    memo: { tenantId, ...ref },
  };
}

async function upsert(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
    return;
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle: ScheduleHandle = client.schedule.getHandle(options.scheduleId);
  const { scheduleId: _id, memo: _memo, ...update } = options;
  await handle.update(() => ({
    ...update,
    state: { paused: update.state?.paused, note: update.state?.note },
  }));
}

/** Trigger ids a flow's revisions ever had: the Schedules a removed trigger may have left. */
async function everTriggerIds(ctx: EngineContext, tenantId: string, ref: FlowRef): Promise<Set<string>> {
  const revisions = (
    await ctx.pool.query(
      "select revision from flow_revisions where tenant_id = $1 and namespace = $2 and flow_id = $3",
      [tenantId, ref.namespace, ref.id],
    )
  ).rows as { revision: number }[];
  const ids = new Set<string>();
  for (const { revision } of revisions) {
    const flow = await ctx.flows
      .revision(ctx.pool, tenantId, ref.namespace, ref.id, revision)
      .catch(() => undefined);
    for (const trigger of flow?.triggers ?? [])
      if (ctx.registry.get(trigger.type)?.type === SCHEDULE_TYPE) ids.add(trigger.id);
  }
  return ids;
}

/**
 * Brings a flow's Temporal Schedules in line with its current revision: one per Schedule trigger, created
 * or updated (spec, time zone, catch-up window, overlap), paused while the flow, the trigger (YAML) or the
 * trigger's run-time state (triggers API, Toggle, stopAfter) is disabled; deleted for the triggers a former
 * revision had, and for all of them once the flow is deleted. Idempotent: call it after every create,
 * update, delete, enable or disable of the flow or of one of its triggers (after the transaction that
 * saved it, since it reads the stored flow and trigger_states).
 */
export async function syncFlowSchedules(
  ctx: EngineContext,
  client: Client,
  tenantId: string,
  ref: FlowRef,
): Promise<ScheduleSyncResult> {
  const row = (
    await ctx.pool.query(
      "select disabled, deleted from flows where tenant_id = $1 and namespace = $2 and id = $3",
      [tenantId, ref.namespace, ref.id],
    )
  ).rows[0] as { disabled: boolean; deleted: boolean } | undefined;
  const flow =
    row && !row.deleted
      ? await ctx.flows.current(ctx.pool, tenantId, ref.namespace, ref.id).catch(() => undefined)
      : undefined;
  const schedules = (flow?.triggers ?? []).filter((t) => ctx.registry.get(t.type)?.type === SCHEDULE_TYPE);
  const disabledStates = new Set(
    (
      (
        await ctx.pool.query(
          "select trigger_id from trigger_states where tenant_id = $1 and namespace = $2 and flow_id = $3 and disabled",
          [tenantId, ref.namespace, ref.id],
        )
      ).rows as { trigger_id: string }[]
    ).map((r) => r.trigger_id),
  );
  const result: ScheduleSyncResult = { upserted: [], deleted: [] };
  for (const trigger of schedules) {
    const paused =
      Boolean(row?.disabled) || Boolean(flow?.disabled) || trigger.disabled || disabledStates.has(trigger.id);
    await upsert(client, scheduleOptions(tenantId, flow as Flow, trigger, paused));
    result.upserted.push({ triggerId: trigger.id, paused });
  }
  const keep = new Set(schedules.map((t) => t.id));
  for (const triggerId of await everTriggerIds(ctx, tenantId, ref)) {
    if (keep.has(triggerId)) continue;
    try {
      await client.schedule
        .getHandle(scheduleIdOf(tenantId, { namespace: ref.namespace, flowId: ref.id, triggerId }))
        .delete();
      result.deleted.push(triggerId);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return result;
}

/**
 * Every current flow of a tenant with a Schedule trigger, synced: for a process that starts on Temporal
 * after flows were saved without it (the embedded engine before, a missed call).
 */
export async function syncTenantSchedules(
  ctx: EngineContext,
  client: Client,
  tenantId: string,
): Promise<void> {
  const flows = await ctx.flows.withTrigger(ctx.pool, tenantId, SCHEDULE_TYPE);
  for (const flow of flows)
    await syncFlowSchedules(ctx, client, tenantId, { namespace: flow.namespace, id: flow.id });
}
