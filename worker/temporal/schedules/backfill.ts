import { type Client, ScheduleNotFoundError } from "@temporalio/client";
import { ExecutionOperationError } from "@/engine/executor";
import { claimBackfill, newBackfill } from "../../embedded/backfill-start";
import type { EngineContext } from "../../embedded/context";
import type { TemporalBackfill } from "./backfill-record";
import { scheduleIdOf, type TriggerRef, WAKE_SIGNAL } from "./names";

async function record(ctx: EngineContext, tenantId: string, ref: TriggerRef) {
  const result = await ctx.pool.query(
    "select backfill from trigger_states where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
    [tenantId, ref.namespace, ref.flowId, ref.triggerId],
  );
  return (result.rows[0] as { backfill: TemporalBackfill | null } | undefined)?.backfill ?? undefined;
}

/** Merges `change` into the record: its runs count `done` meanwhile, so the rest is not written back. */
async function change(
  ctx: EngineContext,
  tenantId: string,
  ref: TriggerRef,
  backfill: Partial<TemporalBackfill>,
) {
  await ctx.pool.query(
    "update trigger_states set backfill = backfill || $5::jsonb, updated_at = now() where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4 and backfill is not null",
    [tenantId, ref.namespace, ref.flowId, ref.triggerId, JSON.stringify(backfill)],
  );
}

/**
 * Wakes the Schedule's running runs: one that waits on a paused backfill looks again (resume, cancel), one
 * that holds the trigger lock stops holding it (unlock).
 */
export async function wakeRunning(client: Client, tenantId: string, ref: TriggerRef): Promise<void> {
  const description = await client.schedule.getHandle(scheduleIdOf(tenantId, ref)).describe();
  await Promise.all(
    description.info.runningActions.map((action) =>
      client.workflow
        .getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId)
        .signal(WAKE_SIGNAL)
        .catch(() => undefined),
    ),
  );
}

/**
 * A backfill of a Schedule trigger over [start, end) on Temporal: recorded on the trigger's state (with
 * its inputs, labels and total, as the embedded engine's, so the triggers page shows it), then handed to
 * the Schedule's own backfill. Temporal's backfill takes an inclusive range and carries no arguments: the
 * end is moved 1 ms back, and each run reads the inputs and labels from the record. Its runs start at
 * once (overlap ALLOW_ALL, the trigger lock does not hold a backfill, as in the embedded engine).
 */
export async function startTemporalBackfill(
  ctx: EngineContext,
  client: Client,
  tenantId: string,
  ref: TriggerRef,
  options: {
    start: Date;
    end: Date;
    inputs?: Record<string, unknown>;
    labels?: { key: string; value: string }[];
  },
): Promise<TemporalBackfill> {
  const flow = await ctx.flows.current(ctx.pool, tenantId, ref.namespace, ref.flowId).catch(() => undefined);
  const { backfill: record } = newBackfill(ctx.registry, flow, ref, options);
  const { total } = record;
  const requestedAt = ctx.now().toISOString();
  const backfill: TemporalBackfill = {
    ...record,
    ...(total === 0 ? { finishedAt: requestedAt } : {}),
    requestedAt,
  };
  await claimBackfill(ctx.pool, tenantId, ref, backfill);
  if (total === 0) return backfill;
  try {
    await client.schedule.getHandle(scheduleIdOf(tenantId, ref)).backfill({
      start: options.start,
      end: new Date(options.end.getTime() - 1),
      overlap: "ALLOW_ALL",
    });
  } catch (error) {
    await change(ctx, tenantId, ref, { cancelledAt: ctx.now().toISOString() });
    if (error instanceof ScheduleNotFoundError)
      throw new ExecutionOperationError(
        `trigger '${ref.triggerId}' has no Temporal Schedule (is the flow or trigger disabled?)`,
        "INVALID_STATE",
      );
    throw error;
  }
  return backfill;
}

/** The trigger's backfill as it is now (done/total are counted by its runs as they go). */
export async function temporalBackfill(
  ctx: EngineContext,
  tenantId: string,
  ref: TriggerRef,
): Promise<TemporalBackfill | undefined> {
  return record(ctx, tenantId, ref);
}

/**
 * Pause, resume, cancel. Temporal's backfill can be neither paused nor withdrawn once handed over, so:
 * pause makes each of its runs that has not yet created its execution wait (a durable timer, woken by
 * resume), resume wakes them, cancel makes them end without an execution. Executions already created run
 * on (as in the embedded engine, a cancel stops the backfill, not its executions).
 */
export async function controlTemporalBackfill(
  ctx: EngineContext,
  client: Client,
  tenantId: string,
  ref: TriggerRef,
  action: "pause" | "resume" | "cancel",
): Promise<TemporalBackfill> {
  const current = await record(ctx, tenantId, ref);
  if (!current || current.finishedAt || current.cancelledAt)
    throw new ExecutionOperationError("no backfill is running for this trigger", "INVALID_STATE");
  await change(
    ctx,
    tenantId,
    ref,
    action === "cancel" ? { cancelledAt: ctx.now().toISOString() } : { paused: action === "pause" },
  );
  if (action !== "pause") await wakeRunning(client, tenantId, ref).catch(() => undefined);
  return (await record(ctx, tenantId, ref)) as TemporalBackfill;
}
