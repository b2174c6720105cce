import { ExecutionOperationError, InputValidationError } from "@/engine/executor";
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
import { withTransaction } from "./db";
import { insertLogs } from "./logs-store";
import { lockTrigger } from "./trigger-states";

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
export async function runPoll(ctx: EngineContext, due: DuePoll, stop?: AbortSignal): Promise<void> {
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
    const result = await plugin.poll?.({
      properties: parsed.data as never,
      flow: { namespace: flow.namespace, id: flow.id, revision: flow.revision },
      trigger: { id: trigger.id, type: trigger.type },
      services: ctx.services(tenantId),
      logger,
      signal,
      now: ctx.now(),
      render,
    });
    if (result) await startPolledExecution(ctx, due, result.variables, log);
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
): Promise<void> {
  await withTransaction(ctx.pool, async (client) => {
    const scope = {
      registry: ctx.registry,
      flow: { namespace: flow.namespace, id: flow.id },
      now: ctx.now(),
      random: () => ctx.random(),
      variables: { trigger: variables },
      functions: ctx.functions(client, tenantId),
    };
    if (!(await allConditionsHold((trigger.conditions as never[]) ?? [], scope, trigger.when))) return;
    try {
      const execution = await createAndStartInTransaction(
        ctx,
        client,
        tenantId,
        flow,
        {
          labels: normaliseLabels(trigger.labels),
          trigger: { id: trigger.id, type: trigger.type, variables },
        },
        { dedupeKey: `poll:${tenantId}/${flow.namespace}/${flow.id}/${trigger.id}@${date.toISOString()}` },
      );
      await lockTrigger(
        client,
        { tenantId, namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id, allowConcurrent },
        execution?.id,
      );
    } catch (error) {
      if (!(error instanceof InputValidationError || error instanceof ExecutionOperationError)) throw error;
      log("ERROR", `Trigger ${trigger.id} could not start an execution: ${error.message}`);
    }
  });
}
