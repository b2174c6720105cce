import type { Client } from "@temporalio/client";
import { createMaskedExecution } from "../embedded/apply";
import type { EngineContext } from "../embedded/context";
import { insertExecution } from "../embedded/execution-store";
import { backgroundPolls, type PolledStart } from "../embedded/polling";
import { runDueSchedules } from "../embedded/scheduler";
import { startRun } from "./runs";

/**
 * A poll's execution on Temporal: stored (masked, under the poll's dedupe key) in the transaction that
 * evaluated the conditions and took the trigger lock, then run as its `cadenzaExecution` workflow once
 * that transaction has committed (a workflow start cannot be part of it; the workflow reads the row).
 */
export function temporalPolledStart(ctx: EngineContext, client: Client): PolledStart {
  return {
    async create(db, tenantId, flow, request, dedupeKey) {
      const execution = await createMaskedExecution(ctx, db, tenantId, flow, request);
      return (await insertExecution(db, tenantId, execution, { dedupeKey })) ? execution : undefined;
    },
    afterCommit: (tenantId, execution) =>
      startRun(client, { tenantId, executionId: execution.id, event: { type: "start" } }),
  };
}

/** A poll's execution still CREATED this long after it was stored has lost its workflow start. */
const STRANDED_AFTER_MS = 60_000;

/**
 * Starts the workflows of executions that polls stored but whose start never reached Temporal (the
 * process died, or Temporal was unreachable, between the commit and the start): such an execution would
 * hold its trigger's lock for ever. A start of a workflow that exists does nothing, so this is safe to
 * repeat.
 */
async function startStranded(ctx: EngineContext, client: Client): Promise<void> {
  const rows = (
    await ctx.pool.query(
      `select e.tenant_id, e.id from trigger_states t join executions e on e.id = t.execution_id
       where e.state = 'CREATED' and e.dedupe_key like 'poll:%' and e.start_date < $1 limit 20`,
      [new Date(ctx.now().getTime() - STRANDED_AFTER_MS)],
    )
  ).rows as { tenant_id: string; id: string }[];
  for (const row of rows)
    await startRun(client, { tenantId: row.tenant_id, executionId: row.id, event: { type: "start" } });
}

export interface TemporalPollingOptions {
  /** How often due polling triggers are looked for (the embedded scheduler's pass, 1 s by default). */
  everyMs?: number;
}

export interface RunningTemporalPolling {
  /** Ends the loop, aborts the polls in flight, waits for them (at most 2 s). */
  stop(): Promise<void>;
}

/**
 * Polling triggers (http.Trigger, the JDBC Triggers, any plugin with `poll`) in Temporal mode: the
 * embedded scheduler's pass over `trigger_states`, limited to them, in the Temporal worker process. Each
 * due trigger is claimed under a row lock (SKIP LOCKED: several workers share the triggers, one evaluation
 * at a time each; a locked or disabled trigger is not due), polled in the background by the embedded
 * engine's `runPoll`, and a hit starts a workflow (`temporalPolledStart`). Why not a workflow per trigger:
 * worker/temporal/README.md, "Polling triggers".
 */
export function startTemporalPolling(
  ctx: EngineContext,
  client: Client,
  options: TemporalPollingOptions = {},
): RunningTemporalPolling {
  const polls = backgroundPolls(ctx, temporalPolledStart(ctx, client));
  let stopping = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopping) {
      await runDueSchedules(ctx, 20, polls.poll, { pollsOnly: true })
        .then(() => startStranded(ctx, client))
        .catch((error) => ctx.report("polling pass failed", error));
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.everyMs ?? 1_000).unref();
      });
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await Promise.race([
        Promise.all([loop, polls.stop()]),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
    },
  };
}
