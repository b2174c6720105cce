import type { Client } from "@temporalio/client";
import { createExecution, ExecutionOperationError, InputValidationError } from "@/engine/executor";
import { renderTreeAsync } from "@/engine/expr";
import { type Flow, normaliseLabels, type Trigger } from "@/engine/flow";
import { allConditionsHold } from "@/engine/triggers";
import type { EngineContext } from "../../embedded/context";
import { type DbClient, withTransaction } from "../../embedded/db";
import { insertExecution } from "../../embedded/execution-store";
import { insertLogs } from "../../embedded/logs-store";
import { cronOf, nextTick, scheduleVariables, ticksBetween } from "../../embedded/schedule";
import { ticksToRun } from "../../embedded/scheduler";
import { lockTrigger } from "../../embedded/trigger-states";
import type { TemporalBackfill } from "./backfill-record";
import { type PreparedRun, type ScheduledRunActivities, scheduleIdOf } from "./names";

const SCHEDULE_TYPE = "core.trigger.Schedule";

interface StateRow {
  disabled: boolean;
  allow_concurrent: boolean;
  backfill: TemporalBackfill | null;
}

/** The backfill a schedule time belongs to, if any: a time of its window that the live Schedule is not at. */
function backfillOf(backfill: TemporalBackfill | null, date: Date, startedAt: Date) {
  if (!backfill?.requestedAt) return undefined;
  const t = date.getTime();
  if (t < Date.parse(backfill.start) || t >= Date.parse(backfill.end)) return undefined;
  // A live run starts at (or after) its time and after the backfill was asked for; a backfill's run of a
  // past time starts after it, of a future time before it.
  const live = t >= Date.parse(backfill.requestedAt) && startedAt.getTime() >= t;
  return live ? undefined : backfill;
}

const isTick = (trigger: Trigger, date: Date) =>
  cronOf(trigger)
    .nextRun(new Date(date.getTime() - 1))
    ?.getTime() === date.getTime();

/**
 * The scheduled-run workflow's activity: decides, with Cadenza's engine, whether one schedule time of a
 * Schedule trigger runs, and creates its execution (stored in PostgreSQL, the read model's first row, by the
 * same createExecution/insertExecution as every other start) with `trigger.date/next/previous`.
 * `client`: to pause a Schedule whose trigger was disabled at run time (stopAfter, the triggers API).
 */
export function createScheduledRunActivities(ctx: EngineContext, client?: Client): ScheduledRunActivities {
  return {
    async prepareScheduledRun(input): Promise<PreparedRun> {
      const { tenantId, namespace, flowId, triggerId } = input;
      const date = new Date(input.scheduledTime);
      const flow = await ctx.flows.current(ctx.pool, tenantId, namespace, flowId).catch(() => undefined);
      const trigger = flow?.triggers.find(
        (t) => t.id === triggerId && ctx.registry.get(t.type)?.type === SCHEDULE_TYPE,
      );
      if (!flow || !trigger || flow.disabled) return { status: "skipped", reason: "no such enabled flow" };
      const state = (
        await ctx.pool.query(
          "select disabled, allow_concurrent, backfill from trigger_states where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
          [tenantId, namespace, flowId, triggerId],
        )
      ).rows[0] as StateRow | undefined;
      // Temporal's calendar may be a superset of the cron (spec.ts): croner, as the embedded engine, decides.
      if (!isTick(trigger, date)) return { status: "skipped", reason: "not a time of the cron" };
      const backfill = backfillOf(state?.backfill ?? null, date, new Date(input.startedAt));
      if (backfill?.cancelledAt) return { status: "skipped", reason: "backfill cancelled" };
      if (backfill?.paused) return { status: "paused" };
      if (!backfill) {
        if (trigger.disabled || state?.disabled) {
          await client?.schedule
            .getHandle(scheduleIdOf(tenantId, input))
            .pause("trigger disabled (stopAfter or the triggers API)")
            .catch(() => undefined);
          return { status: "skipped", reason: "trigger disabled" };
        }
        const now = ctx.now();
        const due = ticksBetween(cronOf(trigger), date, new Date(now.getTime() + 1), 10_000);
        if (!ticksToRun(trigger, due, now).some((t) => t.getTime() === date.getTime()))
          return { status: "skipped", reason: "missed or late (recoverMissedSchedules, lateMaximumDelay)" };
      }
      const created = await createScheduledExecution(ctx, tenantId, flow, trigger, date, {
        executionId: input.executionId,
        backfill,
      });
      if (created !== input.executionId)
        return { status: "skipped", reason: created ? "already created" : "conditions false" };
      return { status: "created", executionId: created, hold: !backfill && !state?.allow_concurrent };
    },
  };
}

/**
 * Evaluates the trigger's conditions and `when` (the engine's allConditionsHold, as the embedded
 * scheduler), creates and stores the execution, and records it on the trigger's state in one transaction:
 * a live time moves last/next dates and takes the trigger lock; a backfill time counts as done.
 * Returns the id of the execution of this time (another one when it already existed), none when the
 * conditions are false or the inputs invalid (logged, as the embedded scheduler does).
 */
async function createScheduledExecution(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  trigger: Trigger,
  date: Date,
  options: { executionId: string; backfill?: TemporalBackfill },
): Promise<string | undefined> {
  const { backfill } = options;
  const cron = cronOf(trigger);
  const variables = scheduleVariables(cron, date);
  const ref = { tenantId, namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id };
  const dedupeKey = `${backfill ? `backfill@${backfill.requestedAt}` : "schedule"}:${tenantId}/${flow.namespace}/${flow.id}/${trigger.id}@${date.toISOString()}`;
  return withTransaction(ctx.pool, async (db) => {
    const existing = (await db.query("select id from executions where dedupe_key = $1", [dedupeKey]))
      .rows[0] as { id: string } | undefined;
    if (existing) return existing.id;
    const functions = ctx.functions(db, tenantId);
    const holds = await allConditionsHold(
      [...((trigger.conditions as never[]) ?? []), ...((trigger.scheduleConditions as never[]) ?? [])],
      {
        registry: ctx.registry,
        flow: { namespace: flow.namespace, id: flow.id },
        date,
        now: ctx.now(),
        random: () => ctx.random(),
        variables: { trigger: variables },
        functions,
      },
      trigger.when,
    );
    let id: string | undefined;
    if (holds)
      id = await insertScheduled(ctx, db, tenantId, flow, trigger, date, variables, options, dedupeKey);
    if (backfill) await countBackfillDone(db, ref, date, ctx.now());
    else {
      await db.query(
        `update trigger_states set last_triggered_date = $5, next_evaluation_date = $6, updated_at = now()
         where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4`,
        [tenantId, flow.namespace, flow.id, trigger.id, date, nextTick(cron, ctx.now()) ?? null],
      );
      await lockTrigger(db, { ...ref, allowConcurrent: trigger.allowConcurrent === true }, id);
    }
    return id;
  });
}

async function insertScheduled(
  ctx: EngineContext,
  db: DbClient,
  tenantId: string,
  flow: Flow,
  trigger: Trigger,
  date: Date,
  variables: Record<string, string>,
  options: { executionId: string; backfill?: TemporalBackfill },
  dedupeKey: string,
): Promise<string | undefined> {
  const { backfill } = options;
  const inputs = (await renderTreeAsync(
    { ...((trigger.inputs as object) ?? {}), ...(backfill?.inputs ?? {}) },
    { trigger: variables, flow: { id: flow.id, namespace: flow.namespace } },
    { now: () => ctx.now(), random: () => ctx.random() },
  )) as Record<string, unknown>;
  try {
    const execution = await createExecution(
      flow,
      {
        id: options.executionId,
        tenantId,
        inputs,
        labels: [...normaliseLabels(trigger.labels), ...(backfill?.labels ?? [])],
        trigger: { id: trigger.id, type: trigger.type, variables },
        scheduleDate: date.toISOString(),
      },
      {
        now: () => ctx.now(),
        random: () => ctx.random(),
        newId: () => ctx.newId(),
        registry: ctx.registry,
        functions: ctx.functions(db, tenantId),
        ...(ctx.inputCipher ? { inputCipher: ctx.inputCipher } : {}),
      },
    );
    await insertExecution(db, tenantId, execution, { dedupeKey });
    return execution.id;
  } catch (error) {
    if (!(error instanceof InputValidationError || error instanceof ExecutionOperationError)) throw error;
    await insertLogs(db, tenantId, [
      {
        namespace: flow.namespace,
        flowId: flow.id,
        triggerId: trigger.id,
        level: "ERROR",
        message: `Schedule ${trigger.id} could not start an execution for ${date.toISOString()}: ${(error as Error).message}`,
        timestamp: ctx.now().toISOString(),
      },
    ]);
    return undefined;
  }
}

/**
 * One more backfill time done (backfill runs start concurrently: an increment, never above the total), the
 * latest time reached as `currentDate`, and `finishedAt` once every time is done.
 */
async function countBackfillDone(
  db: DbClient,
  ref: { tenantId: string; namespace: string; flowId: string; triggerId: string },
  date: Date,
  now: Date,
): Promise<void> {
  await db.query(
    `update trigger_states set updated_at = now(), backfill = backfill || jsonb_build_object(
       'done', least((backfill->>'total')::int, (backfill->>'done')::int + 1),
       'currentDate', greatest(backfill->>'currentDate', $5::text))
     where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4 and backfill is not null`,
    [ref.tenantId, ref.namespace, ref.flowId, ref.triggerId, new Date(date.getTime() + 1).toISOString()],
  );
  await db.query(
    `update trigger_states set backfill = backfill || jsonb_build_object('finishedAt', $5::text)
     where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4 and backfill is not null
       and backfill->>'finishedAt' is null and (backfill->>'done')::int >= (backfill->>'total')::int`,
    [ref.tenantId, ref.namespace, ref.flowId, ref.triggerId, now.toISOString()],
  );
}
