import {
  type Execution,
  ExecutionOperationError,
  type ExecutionRequest,
  InputValidationError,
} from "@/engine/executor";
import { renderTreeAsync } from "@/engine/expr";
import type { Flow, Trigger } from "@/engine/flow";
import { commonTriggerShape, normaliseLabels } from "@/engine/flow";
import type { LogLevel, Plugin } from "@/engine/plugin";
import { allConditionsHold } from "@/engine/triggers";
import { parseDuration } from "@/engine/util/duration";
import { type LogEntry, loggerOf } from "../logs";
import { describeIssues, splitProperties } from "../plugin-properties";
import { createAndStartInTransaction } from "./apply";
import type { EngineContext } from "./context";
import { type DbClient, withTransaction } from "./db";
import { insertLogs } from "./logs-store";
import { lockTrigger, TRIGGER_UNLOCKED } from "./trigger-states";

/** Kestra's default `interval` of polling triggers. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;
/** A poll gets at most this long (and never more than its interval) before it is aborted. */
export const MAX_POLL_MS = 5 * 60_000;

const COMMON_KEYS = new Set(Object.keys(commonTriggerShape));

/** A polling trigger whose turn has come, claimed by this engine (its next evaluation already moved on). */
export interface DuePoll {
  tenantId: string;
  flow: Flow;
  trigger: Trigger;
  plugin: Plugin;
  /** The evaluation date it was claimed for: one execution per evaluation, never two. */
  date: Date;
  /** Without it, the execution a poll starts holds the trigger until it ends (no poll meanwhile). */
  allowConcurrent: boolean;
}

/**
 * How a poll's execution is started, per driver: `create` stores it (and, on the embedded engine, starts
 * it) in the transaction that evaluated the conditions and takes the trigger lock, returning undefined
 * when its dedupe key already has an execution; `afterCommit` starts it where that cannot be part of the
 * transaction (a Temporal workflow).
 */
export interface PolledStart {
  create(
    db: DbClient,
    tenantId: string,
    flow: Flow,
    request: ExecutionRequest,
    dedupeKey: string,
  ): Promise<Execution | undefined>;
  afterCommit?(tenantId: string, execution: Execution): Promise<void>;
}

/** The embedded engine's: created and started (its first step applied, its jobs queued) in the transaction. */
export const embeddedPolledStart = (ctx: EngineContext): PolledStart => ({
  create: (db, tenantId, flow, request, dedupeKey) =>
    createAndStartInTransaction(ctx, db, tenantId, flow, request, { dedupeKey }),
});

/**
 * Whether the execution holding the trigger ended in one of its `stopAfter` states: the trigger is then as
 * good as disabled. The "ended" work that disables it runs just after the end is stored, and a poll in
 * between would otherwise start one more execution (Kestra disables it as it releases the lock).
 */
export function stoppedAfter(trigger: Trigger, lockState: string | null | undefined): boolean {
  return Boolean(lockState && (trigger.stopAfter as string[] | undefined)?.includes(lockState));
}

/** How often a polling trigger polls: its `interval`, or Kestra's default. */
export function pollIntervalMs(trigger: Trigger): number {
  const interval = typeof trigger.interval === "string" ? parseDuration(trigger.interval) : undefined;
  return interval && interval > 0 ? interval : DEFAULT_POLL_INTERVAL_MS;
}

/**
 * Polls one trigger: renders its properties with the flow's variables (except those the plugin renders
 * itself), calls the plugin's `poll`, and starts an execution with the variables it returns when the
 * trigger's conditions hold. Failures are written to the trigger's logs; the next interval tries again.
 */
export async function runPoll(
  ctx: EngineContext,
  due: DuePoll,
  stop?: AbortSignal,
  start: PolledStart = embeddedPolledStart(ctx),
): Promise<void> {
  const { tenantId, flow, trigger, plugin } = due;
  const logs: LogEntry[] = [];
  const log = (level: LogLevel, message: string) =>
    logs.push({
      namespace: flow.namespace,
      flowId: flow.id,
      triggerId: trigger.id,
      level,
      message,
      timestamp: ctx.now().toISOString(),
    });
  const logger = loggerOf(log);
  const functions = ctx.functions(ctx.pool, tenantId);
  const variables = { flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision } };
  const render = (template: unknown, extra?: Record<string, unknown>) =>
    renderTreeAsync(
      template,
      { ...variables, ...extra },
      { functions, now: () => ctx.now(), random: () => ctx.random() },
    );
  const timeout = AbortSignal.timeout(Math.min(pollIntervalMs(trigger), MAX_POLL_MS));
  const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;

  try {
    const { toRender, kept } = splitProperties(trigger, COMMON_KEYS, plugin.rawProperties);
    const parsed = plugin.schema.safeParse({ ...((await render(toRender)) as object), ...kept });
    if (!parsed.success) {
      throw new Error(`invalid properties after rendering: ${describeIssues(parsed.error.issues)}`);
    }
    const result = await (plugin.kind === "trigger" ? plugin.poll : undefined)?.({
      properties: parsed.data as never,
      flow: { namespace: flow.namespace, id: flow.id, revision: flow.revision },
      trigger: { id: trigger.id, type: trigger.type },
      services: ctx.services(tenantId),
      logger,
      signal,
      now: ctx.now(),
      render,
    });
    if (result) await startPolledExecution(ctx, due, result.variables, log, start);
  } catch (error) {
    const why = signal.aborted && !stop?.aborted ? "the poll took too long" : (error as Error).message;
    log("ERROR", `Trigger ${trigger.id} could not poll: ${why}`);
  }
  if (logs.length > 0) {
    await insertLogs(ctx.pool, tenantId, logs).catch((error) =>
      ctx.report("could not write trigger logs", error),
    );
  }
}

async function startPolledExecution(
  ctx: EngineContext,
  { tenantId, flow, trigger, date, allowConcurrent }: DuePoll,
  variables: Record<string, unknown>,
  log: (level: LogLevel, message: string) => void,
  start: PolledStart,
): Promise<void> {
  const started = await withTransaction(ctx.pool, async (client) => {
    // Claimed when due, but polled outside any transaction: meanwhile the trigger may have been disabled
    // (triggers API, Toggle, stopAfter) or locked by an execution another engine's poll started. Checked
    // again under its row lock, so a locked trigger never starts a second execution.
    const still = (
      await client.query(
        `select e.state as lock_state from trigger_states t left join executions e on e.id = t.execution_id
         where t.tenant_id = $1 and t.namespace = $2 and t.flow_id = $3 and t.trigger_id = $4
           and not t.disabled and ${TRIGGER_UNLOCKED} for update of t`,
        [tenantId, flow.namespace, flow.id, trigger.id],
      )
    ).rows[0] as { lock_state: string | null } | undefined;
    if (!still || stoppedAfter(trigger, still.lock_state)) return undefined;
    const scope = {
      registry: ctx.registry,
      flow: { namespace: flow.namespace, id: flow.id },
      now: ctx.now(),
      random: () => ctx.random(),
      variables: { trigger: variables },
      functions: ctx.functions(client, tenantId),
    };
    if (!(await allConditionsHold((trigger.conditions as never[]) ?? [], scope, trigger.when)))
      return undefined;
    try {
      const execution = await start.create(
        client,
        tenantId,
        flow,
        {
          labels: normaliseLabels(trigger.labels),
          trigger: { id: trigger.id, type: trigger.type, variables },
        },
        `poll:${tenantId}/${flow.namespace}/${flow.id}/${trigger.id}@${date.toISOString()}`,
      );
      await lockTrigger(
        client,
        { tenantId, namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id, allowConcurrent },
        execution?.id,
      );
      return execution;
    } catch (error) {
      if (!(error instanceof InputValidationError || error instanceof ExecutionOperationError)) throw error;
      log("ERROR", `Trigger ${trigger.id} could not start an execution: ${error.message}`);
      return undefined;
    }
  });
  if (started) await start.afterCommit?.(tenantId, started);
}

/**
 * Runs claimed polls in the background, so that a slow endpoint never delays the pass that claimed them
 * (nor the schedules it also runs). A trigger is not polled again while its previous poll is in flight
 * (Kestra's scheduler skips a trigger being evaluated): under load a poll may outlast the interval, and
 * two polls seeing the condition hold would start two executions before the first one locks the trigger.
 */
export function backgroundPolls(ctx: EngineContext, start: PolledStart = embeddedPolledStart(ctx)) {
  const polls = new Set<Promise<void>>();
  const stopPolls = new AbortController();
  const inFlight = new Set<string>();
  return {
    poll(due: DuePoll): void {
      const key = `${due.tenantId}/${due.flow.namespace}/${due.flow.id}/${due.trigger.id}`;
      if (!due.allowConcurrent && inFlight.has(key)) return;
      inFlight.add(key);
      const running = runPoll(ctx, due, stopPolls.signal, start)
        .catch((error) => ctx.report("poll failed", error))
        .finally(() => {
          inFlight.delete(key);
          polls.delete(running);
        });
      polls.add(running);
    },
    /** Aborts the polls in flight; resolves once they have settled. */
    stop(): Promise<unknown> {
      stopPolls.abort();
      return Promise.all(polls);
    },
  };
}
