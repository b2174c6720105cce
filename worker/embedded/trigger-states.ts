import type { Flow, Trigger } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import type { Queryable } from "./db";
import { cronOf, nextTick } from "./schedule";

/** Canonical types of a flow's triggers (stored on the flow row for quick lookups). */
export function triggerTypes(flow: Flow, registry: PluginRegistry): string[] {
  return [...new Set(flow.triggers.map((t) => registry.get(t.type)?.type ?? t.type))];
}

/**
 * Brings trigger_states in line with a flow's current Schedule and polling triggers: a row per trigger (a
 * schedule's next due date computed from now, or from the last run so that missed schedules are recovered;
 * a polling trigger due now), none for triggers that were removed. Called when a flow is deployed, updated,
 * disabled or deleted.
 */
export async function syncTriggerStates(
  db: Queryable,
  registry: PluginRegistry,
  tenantId: string,
  flow: Flow | undefined,
  ref: { namespace: string; id: string },
  now: Date,
): Promise<void> {
  const active = flow && !flow.disabled && !flow.deleted ? flow.triggers : [];
  const isSchedule = (t: Trigger) => registry.get(t.type)?.type === "core.trigger.Schedule";
  const isPolling = (t: Trigger) => {
    const plugin = registry.get(t.type);
    return plugin?.kind === "trigger" && plugin.poll !== undefined;
  };
  const schedules = active.filter((t) => isSchedule(t) || isPolling(t));
  await db.query(
    "delete from trigger_states where tenant_id = $1 and namespace = $2 and flow_id = $3 and not (trigger_id = any($4::text[]))",
    [tenantId, ref.namespace, ref.id, schedules.map((t) => t.id)],
  );
  for (const trigger of schedules) {
    const next = isSchedule(trigger) ? nextTick(cronOf(trigger), now) : now;
    await db.query(
      `insert into trigger_states (tenant_id, namespace, flow_id, trigger_id, next_evaluation_date, disabled,
         allow_concurrent, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, now())
       on conflict (tenant_id, namespace, flow_id, trigger_id) do update set
         next_evaluation_date = case when trigger_states.last_triggered_date is null then excluded.next_evaluation_date
                                     else least(trigger_states.next_evaluation_date, excluded.next_evaluation_date) end,
         disabled = excluded.disabled or trigger_states.disabled, allow_concurrent = excluded.allow_concurrent,
         updated_at = now()`,
      [
        tenantId,
        ref.namespace,
        ref.id,
        trigger.id,
        next ?? null,
        trigger.disabled,
        trigger.allowConcurrent === true,
      ],
    );
  }
}

/**
 * Kestra's trigger lock: a trigger whose last execution has not ended does not fire again (unless it allows
 * concurrent executions). The lock is the execution itself, so a deleted or lost one holds nothing.
 */
export const TRIGGER_UNLOCKED = `(t.allow_concurrent or t.execution_id is null or not exists
  (select 1 from executions e where e.id = t.execution_id and e.end_date is null))`;

/**
 * Remembers the execution a trigger started: it holds the trigger until it ends (Kestra's trigger lock; the
 * scheduler's TRIGGER_UNLOCKED). Nothing to hold when the trigger allows concurrent executions.
 */
export async function lockTrigger(
  db: Queryable,
  trigger: {
    tenantId: string;
    namespace: string;
    flowId: string;
    triggerId: string;
    allowConcurrent: boolean;
  },
  executionId: string | undefined,
): Promise<void> {
  if (!executionId || trigger.allowConcurrent) return;
  await db.query(
    "update trigger_states set execution_id = $5 where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
    [trigger.tenantId, trigger.namespace, trigger.flowId, trigger.triggerId, executionId],
  );
}
