// Triggers of the tenant's current flows, with what the scheduler remembers about them (next date,
// disabled at run time, backfill progress); enabling/disabling them; backfills of Schedule triggers.
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import type { Backfill } from "@/worker/embedded";
import { databaseTriggerService } from "@/worker/embedded/services";
import { can, filterAllows, namespaceOrChildren, namespaceWhere } from "../access/authorize";
import { NotFoundError } from "./errors";
import { HIDDEN_WEBHOOK_KEY } from "./flows";
import { syncFlowSchedules } from "./schedules";
import { audit, listFilter, type ServiceScope } from "./scope";

export interface TriggerJson {
  namespace: string;
  flowId: string;
  triggerId: string;
  type: string;
  /** Disabled in the flow's YAML, or at run time (this API, a Toggle task, stopAfter). */
  disabled: boolean;
  nextExecutionDate: string | null;
  lastTriggeredDate: string | null;
  backfill: Backfill | null;
  /**
   * The execution that holds the trigger (Kestra's trigger lock): until it ends the trigger does not fire
   * again. Null when nothing holds it.
   */
  lockedBy: string | null;
  /** A webhook trigger's key, for those who may update the flow; HIDDEN_WEBHOOK_KEY for others. */
  webhookKey?: string;
}

export interface TriggerRef {
  namespace: string;
  flowId: string;
  triggerId: string;
}

export async function listTriggers(
  scope: ServiceScope,
  query: { namespace?: string; flowId?: string } = {},
): Promise<TriggerJson[]> {
  const filter = listFilter(scope, "FLOW", "READ");
  const flows = await scope.db.flow.findMany({
    where: {
      AND: [
        namespaceWhere(filter),
        query.namespace ? namespaceOrChildren(query.namespace) : {},
        query.flowId ? { id: query.flowId } : {},
        { deleted: false, NOT: { triggerTypes: { isEmpty: true } } },
      ],
    },
    orderBy: [{ namespace: "asc" }, { id: "asc" }],
  });
  const states = await scope.db.triggerState.findMany({
    where: { OR: flows.map((f) => ({ namespace: f.namespace, flowId: f.id })) },
  });
  const stateOf = new Map(states.map((s) => [`${s.namespace}/${s.flowId}/${s.triggerId}`, s]));
  const registry = builtInRegistry();
  const out: TriggerJson[] = [];
  for (const row of flows) {
    if (!filterAllows(filter, row.namespace)) continue;
    const flow = loadFlow(row.source, { registry }).flow;
    for (const trigger of flow?.triggers ?? []) {
      const state = stateOf.get(`${row.namespace}/${row.id}/${trigger.id}`);
      const type = registry.get(trigger.type)?.type ?? trigger.type;
      const key = (trigger as { key?: unknown }).key;
      const mayUpdate = can(scope.principal, "FLOW", "UPDATE", {
        tenant: scope.tenant,
        namespace: row.namespace,
      });
      out.push({
        namespace: row.namespace,
        flowId: row.id,
        triggerId: trigger.id,
        type,
        disabled: Boolean(trigger.disabled) || Boolean(state?.disabled) || row.disabled,
        nextExecutionDate: state?.nextEvaluationDate?.toISOString() ?? null,
        lastTriggeredDate: state?.lastTriggeredDate?.toISOString() ?? null,
        backfill: (state?.backfill as Backfill | null | undefined) ?? null,
        lockedBy: state?.executionId ?? null,
        ...(type === "core.trigger.Webhook" && typeof key === "string"
          ? { webhookKey: mayUpdate ? key : HIDDEN_WEBHOOK_KEY }
          : {}),
      });
    }
  }
  return out;
}

async function findTrigger(scope: ServiceScope, ref: TriggerRef): Promise<TriggerJson> {
  const found = (await listTriggers(scope, { namespace: ref.namespace, flowId: ref.flowId })).find(
    (t) => t.namespace === ref.namespace && t.triggerId === ref.triggerId,
  );
  if (!found)
    throw new NotFoundError(`Flow ${ref.namespace}.${ref.flowId} has no trigger '${ref.triggerId}'.`);
  return found;
}

export async function setTriggerDisabled(
  scope: ServiceScope,
  ref: TriggerRef,
  disabled: boolean,
): Promise<TriggerJson> {
  const before = await findTrigger(scope, ref);
  const engine = await scope.engine();
  await databaseTriggerService(engine.ctx, scope.tenant.id).setEnabled(
    ref.namespace,
    ref.flowId,
    ref.triggerId,
    !disabled,
  );
  await syncFlowSchedules(engine, scope.tenant.id, { namespace: ref.namespace, id: ref.flowId });
  await audit(scope, {
    action: "UPDATE",
    resourceType: "TRIGGER",
    resourceId: `${ref.namespace}.${ref.flowId}.${ref.triggerId}`,
    namespace: ref.namespace,
    before: { disabled: before.disabled },
    after: { disabled },
  });
  return findTrigger(scope, ref);
}

export async function startBackfill(
  scope: ServiceScope,
  ref: TriggerRef,
  request: {
    start: Date;
    end: Date;
    inputs?: Record<string, unknown>;
    labels?: { key: string; value: string }[];
  },
): Promise<Backfill> {
  await findTrigger(scope, ref);
  const engine = await scope.engine();
  const backfill = await (engine.schedules ?? engine.client).startBackfill(scope.tenant.id, ref, request);
  await audit(scope, {
    action: "BACKFILL",
    resourceType: "TRIGGER",
    resourceId: `${ref.namespace}.${ref.flowId}.${ref.triggerId}`,
    namespace: ref.namespace,
    after: { start: backfill.start, end: backfill.end, total: backfill.total },
  });
  return backfill;
}

export async function getBackfill(scope: ServiceScope, ref: TriggerRef): Promise<Backfill> {
  await findTrigger(scope, ref);
  const engine = await scope.engine();
  const backfill = await (engine.schedules ?? engine.client).backfill(scope.tenant.id, ref);
  if (!backfill)
    throw new NotFoundError(`Trigger ${ref.namespace}.${ref.flowId}.${ref.triggerId} has no backfill.`);
  return backfill;
}

export async function controlBackfill(
  scope: ServiceScope,
  ref: TriggerRef,
  action: "pause" | "resume" | "cancel",
): Promise<Backfill> {
  await findTrigger(scope, ref);
  const engine = await scope.engine();
  const backfill = await (engine.schedules ?? engine.client).controlBackfill(scope.tenant.id, ref, action);
  await audit(scope, {
    action: `BACKFILL_${action.toUpperCase()}`,
    resourceType: "TRIGGER",
    resourceId: `${ref.namespace}.${ref.flowId}.${ref.triggerId}`,
    namespace: ref.namespace,
    after: { paused: backfill.paused, cancelledAt: backfill.cancelledAt ?? null },
  });
  return backfill;
}

/**
 * Frees a trigger held by the execution it started (Kestra's `POST /triggers/unlock`): the trigger fires at
 * its next date even if that execution has not ended.
 */
export async function unlockTrigger(scope: ServiceScope, ref: TriggerRef): Promise<TriggerJson> {
  const before = await findTrigger(scope, ref);
  await scope.db.triggerState.updateMany({
    where: { namespace: ref.namespace, flowId: ref.flowId, triggerId: ref.triggerId },
    data: { executionId: null },
  });
  // Temporal mode: the scheduled run waiting on that execution is told to stop waiting.
  const engine = await scope.engine();
  await engine.schedules?.unlock(scope.tenant.id, ref);
  await audit(scope, {
    action: "UNLOCK",
    resourceType: "TRIGGER",
    resourceId: `${ref.namespace}.${ref.flowId}.${ref.triggerId}`,
    namespace: ref.namespace,
    before: { lockedBy: before.lockedBy },
    after: { lockedBy: null },
  });
  return findTrigger(scope, ref);
}
