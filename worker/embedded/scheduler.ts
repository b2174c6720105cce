import type { Cron } from "croner";
import { ExecutionOperationError, InputValidationError } from "@/engine/executor";
import { renderTreeAsync } from "@/engine/expr";
import type { Flow, Trigger } from "@/engine/flow";
import { normaliseLabels } from "@/engine/flow";
import type { Plugin } from "@/engine/plugin";
import { allConditionsHold } from "@/engine/triggers";
import { parseDuration } from "@/engine/util/duration";
import { createAndStartInTransaction } from "./apply";
import type { EngineContext } from "./context";
import { type DbClient, withTransaction } from "./db";
import { insertLogs } from "./logs-store";
import { type DuePoll, pollIntervalMs, runPoll, stoppedAfter } from "./polling";
import { cronOf, nextTick, scheduleVariables, ticksBetween } from "./schedule";
import { lockTrigger, TRIGGER_UNLOCKED } from "./trigger-states";

export { TRIGGER_UNLOCKED } from "./trigger-states";

/** A schedule tick older than this when the scheduler sees it was missed (the engine was down). */
export const MISSED_AFTER_MS = 60_000;
/** Executions a backfill creates per scheduler pass, so a long backfill shares the engine with live work. */
export const BACKFILL_BATCH = 100;

export interface Backfill {
  start: string;
  end: string;
  /** Next schedule date to run (ticks before it are done). */
  currentDate: string;
  paused: boolean;
  inputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
  total: number;
  done: number;
  /** Set once every tick has an execution. */
  finishedAt?: string;
  cancelledAt?: string;
}

interface StateRow {
  tenant_id: string;
  namespace: string;
  flow_id: string;
  trigger_id: string;
  next_evaluation_date: Date | null;
  last_triggered_date: Date | null;
  backfill: Backfill | null;
  allow_concurrent: boolean;
  /** The state of the execution holding the trigger (its lock), if any. */
  lock_state: string | null;
}

/** The trigger a state row is about, as lockTrigger names it. */
const triggerOf = (row: StateRow) => ({
  tenantId: row.tenant_id,
  namespace: row.namespace,
  flowId: row.flow_id,
  triggerId: row.trigger_id,
  allowConcurrent: row.allow_concurrent,
});

/** The trigger a state row is about, in the flow's current revision; undefined when gone or disabled. */
async function rowTrigger(
  ctx: EngineContext,
  client: DbClient,
  row: StateRow,
): Promise<{ flow: Flow; trigger: Trigger; plugin: Plugin } | undefined> {
  const flow = await ctx.flows
    .current(client, row.tenant_id, row.namespace, row.flow_id)
    .catch(() => undefined);
  const trigger = flow?.triggers.find((t) => t.id === row.trigger_id);
  const plugin = trigger && ctx.registry.get(trigger.type);
  if (!flow || !trigger || !plugin || flow.disabled) return undefined;
  return { flow, trigger, plugin };
}

function asSchedule(
  found: { flow: Flow; trigger: Trigger; plugin: Plugin } | undefined,
): { flow: Flow; trigger: Trigger; cron: Cron } | undefined {
  if (found?.plugin.type !== "core.trigger.Schedule") return undefined;
  return { flow: found.flow, trigger: found.trigger, cron: cronOf(found.trigger) };
}

async function scheduleTrigger(ctx: EngineContext, client: DbClient, row: StateRow) {
  return asSchedule(await rowTrigger(ctx, client, row));
}

/** Creates the execution of one schedule tick; idempotent thanks to its dedupe key. Returns its id. */
async function runTick(
  ctx: EngineContext,
  client: DbClient,
  row: StateRow,
  { flow, trigger, cron }: { flow: Flow; trigger: Trigger; cron: Cron },
  date: Date,
  extra: {
    inputs?: Record<string, unknown>;
    labels?: { key: string; value: string }[];
    dedupePrefix: string;
  },
): Promise<string | undefined> {
  const variables = scheduleVariables(cron, date);
  const scope = {
    registry: ctx.registry,
    flow: { namespace: flow.namespace, id: flow.id },
    date,
    now: ctx.now(),
    random: () => ctx.random(),
    variables: { trigger: variables },
    functions: ctx.functions(client, row.tenant_id),
  };
  if (
    !(await allConditionsHold(
      [...((trigger.conditions as never[]) ?? []), ...((trigger.scheduleConditions as never[]) ?? [])],
      scope,
      trigger.when,
    ))
  )
    return undefined;
  const inputs = (await renderTreeAsync(
    { ...((trigger.inputs as object) ?? {}), ...(extra.inputs ?? {}) },
    { trigger: variables, flow: { id: flow.id, namespace: flow.namespace } },
    { now: () => ctx.now(), random: () => ctx.random() },
  )) as Record<string, unknown>;
  try {
    const execution = await createAndStartInTransaction(
      ctx,
      client,
      row.tenant_id,
      flow,
      {
        inputs,
        labels: [...normaliseLabels(trigger.labels), ...(extra.labels ?? [])],
        trigger: { id: trigger.id, type: trigger.type, variables },
        scheduleDate: date.toISOString(),
      },
      {
        dedupeKey: `${extra.dedupePrefix}:${row.tenant_id}/${flow.namespace}/${flow.id}/${trigger.id}@${date.toISOString()}`,
      },
    );
    return execution?.id;
  } catch (error) {
    if (!(error instanceof InputValidationError || error instanceof ExecutionOperationError)) throw error;
    await insertLogs(client, row.tenant_id, [
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

/** Which of the due ticks run, by recoverMissedSchedules and lateMaximumDelay. */
export function ticksToRun(trigger: Trigger, due: Date[], now: Date): Date[] {
  const late = trigger.lateMaximumDelay ? parseDuration(String(trigger.lateMaximumDelay)) : undefined;
  const inTime = due.filter((t) => late === undefined || now.getTime() - t.getTime() <= late);
  const missed = inTime.filter((t) => now.getTime() - t.getTime() > MISSED_AFTER_MS);
  const current = inTime.filter((t) => now.getTime() - t.getTime() <= MISSED_AFTER_MS);
  switch ((trigger.recoverMissedSchedules as string | undefined) ?? "ALL") {
    case "NONE":
      return current;
    case "LAST":
      return [...missed.slice(-1), ...current];
    default:
      return inTime;
  }
}

/**
 * One pass over due triggers: Schedule ticks start their executions here; polling triggers (http.Trigger...)
 * are claimed (their next evaluation moved on by their interval) and polled after the transaction, by
 * `onPoll` when given (the runtime runs them in the background), else before this returns. Rows are locked
 * with SKIP LOCKED, so several engines share the work safely and each evaluation happens once.
 * `pollsOnly`: the polling triggers alone, Schedule triggers' rows left as they are (Temporal mode, where
 * Schedules are Temporal's and their runs keep these rows).
 */
export async function runDueSchedules(
  ctx: EngineContext,
  limit = 20,
  onPoll?: (due: DuePoll) => void,
  options: { pollsOnly?: boolean } = {},
): Promise<number> {
  const polls: DuePoll[] = [];
  const pollingTypes = ctx.registry
    .list("trigger")
    .filter((p) => p.kind === "trigger" && p.poll)
    .map((p) => p.type);
  const count = await withTransaction(ctx.pool, async (client) => {
    const now = ctx.now();
    // Only flows with a polling trigger: a Schedule's row that its Temporal run left due (a missed time
    // skipped) must not take the places of polling triggers' rows under the limit.
    const onlyPolling = options.pollsOnly
      ? `and exists (select 1 from flows f where f.tenant_id = t.tenant_id and f.namespace = t.namespace
           and f.id = t.flow_id and f.trigger_types && $3::text[])`
      : "";
    const rows = (
      await client.query(
        `select t.*, e.state as lock_state from trigger_states t left join executions e on e.id = t.execution_id
         where not t.disabled and t.next_evaluation_date <= $1 and ${TRIGGER_UNLOCKED}
         ${onlyPolling} order by t.next_evaluation_date limit $2 for update of t skip locked`,
        options.pollsOnly ? [now, limit, pollingTypes] : [now, limit],
      )
    ).rows as StateRow[];
    for (const row of rows) {
      const found = await rowTrigger(ctx, client, row);
      if (options.pollsOnly && found?.plugin.type === "core.trigger.Schedule") continue;
      const polling =
        found?.plugin.kind === "trigger" && found.plugin.poll && !found.trigger.disabled ? found : undefined;
      if (polling && stoppedAfter(polling.trigger, row.lock_state)) continue;
      if (polling) {
        polls.push({
          ...polling,
          tenantId: row.tenant_id,
          date: row.next_evaluation_date ?? now,
          allowConcurrent: row.allow_concurrent,
        });
        await client.query(
          `update trigger_states set last_triggered_date = $5, next_evaluation_date = $6, updated_at = now()
           where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4`,
          [
            row.tenant_id,
            row.namespace,
            row.flow_id,
            row.trigger_id,
            now,
            new Date(now.getTime() + pollIntervalMs(polling.trigger)),
          ],
        );
        continue;
      }
      const target = asSchedule(found);
      if (!target) {
        await client.query(
          "update trigger_states set next_evaluation_date = null, updated_at = now() where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
          [row.tenant_id, row.namespace, row.flow_id, row.trigger_id],
        );
        continue;
      }
      const from = row.last_triggered_date
        ? new Date(row.last_triggered_date.getTime() + 1)
        : (row.next_evaluation_date ?? now);
      const due = ticksBetween(target.cron, from, new Date(now.getTime() + 1), 10_000);
      const toRun = ticksToRun(target.trigger, due, now);
      // Locked triggers run one tick per evaluation: missed ticks (recoverMissedSchedules ALL) run one after
      // the other, each once the previous execution has ended, as in Kestra.
      const runNow = row.allow_concurrent ? toRun : toRun.slice(0, 1);
      for (const date of runNow) {
        await lockTrigger(
          client,
          triggerOf(row),
          await runTick(ctx, client, row, target, date, { dedupePrefix: "schedule" }),
        );
      }
      const rest = toRun.slice(runNow.length);
      const last =
        rest.length > 0 ? runNow[runNow.length - 1] : (due[due.length - 1] ?? row.last_triggered_date);
      await client.query(
        `update trigger_states set last_triggered_date = $5, next_evaluation_date = $6, updated_at = now()
         where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4`,
        [
          row.tenant_id,
          row.namespace,
          row.flow_id,
          row.trigger_id,
          last ?? null,
          rest[0] ?? nextTick(target.cron, now) ?? null,
        ],
      );
    }
    return rows.length;
  });
  if (onPoll) for (const due of polls) onPoll(due);
  else await Promise.all(polls.map((due) => runPoll(ctx, due)));
  return count;
}

/** One pass over running backfills: each gets up to BACKFILL_BATCH more executions. */
export async function runBackfills(ctx: EngineContext, limit = 5): Promise<number> {
  return withTransaction(ctx.pool, async (client) => {
    const rows = (
      await client.query(
        `select * from trigger_states where backfill is not null and coalesce((backfill->>'paused')::boolean, false) = false
           and backfill->>'finishedAt' is null and backfill->>'cancelledAt' is null
         order by updated_at limit $1 for update skip locked`,
        [limit],
      )
    ).rows as StateRow[];
    for (const row of rows) {
      const backfill = row.backfill as Backfill;
      const target = await scheduleTrigger(ctx, client, row);
      let next = backfill;
      if (!target) {
        next = { ...backfill, cancelledAt: ctx.now().toISOString() };
      } else {
        const ticks = ticksBetween(
          target.cron,
          new Date(backfill.currentDate),
          new Date(backfill.end),
          BACKFILL_BATCH,
        );
        for (const date of ticks) {
          await runTick(ctx, client, row, target, date, {
            inputs: backfill.inputs,
            labels: backfill.labels,
            dedupePrefix: "backfill",
          });
        }
        const last = ticks[ticks.length - 1];
        const currentDate = last ? new Date(last.getTime() + 1).toISOString() : backfill.end;
        const done = backfill.done + ticks.length;
        next = {
          ...backfill,
          currentDate,
          done,
          ...(ticks.length < BACKFILL_BATCH ? { finishedAt: ctx.now().toISOString() } : {}),
        };
      }
      await client.query(
        "update trigger_states set backfill = $5, updated_at = now() where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
        [row.tenant_id, row.namespace, row.flow_id, row.trigger_id, JSON.stringify(next)],
      );
    }
    return rows.length;
  });
}
