import { EventEmitter } from "node:events";
import { Logger, type Runner, run, runMigrations, type WorkerEvents } from "graphile-worker";
import type { EngineContext } from "./context";
import type { DbClient } from "./db";
import { engineTasks, type RunningTasks } from "./handlers";
import { CANCEL_CHANNEL } from "./jobs";
import { DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_AFTER_MS, startLiveness } from "./liveness";
import { backgroundPolls } from "./polling";
import { purgeOlderThan } from "./purge";
import { patientPool } from "./queue-pool";
import { runBackfills, runDueSchedules } from "./scheduler";

export interface EngineRuntimeOptions {
  /** Task attempts (and other jobs) run at once by this process. */
  concurrency?: number;
  /** How often the scheduler looks for due schedules and backfills. */
  schedulerIntervalMs?: number;
  heartbeatMs?: number;
  /** After this long without a heartbeat, another engine hands the silent one's jobs to live workers. */
  staleAfterMs?: number;
  /** Executions, logs and failed queue rows older than this many days are purged; 0 keeps everything. */
  retentionDays?: number;
  /** How long a stopping engine waits for running tasks before handing them back. */
  shutdownGraceMs?: number;
  /** Queue polling interval for delayed jobs (timers); new jobs are picked up at once via LISTEN/NOTIFY. */
  pollIntervalMs?: number;
  version: string;
  /** Skip the scheduler (tests that drive it by hand). */
  scheduler?: boolean;
}

export interface RunningEngine {
  instanceId: string;
  stop(): Promise<void>;
}

/** Quiet graphile-worker's own logging: only errors, through the engine's reporter. */
function queueLogger(ctx: EngineContext): Logger {
  return new Logger(() => (level, message) => {
    if (level === "error") ctx.report(message);
  });
}

/**
 * How long the queue waits for an unavailable database before its errors go through (graphile-worker then
 * gives up on the job's release): long enough for a restart or a failover.
 */
const QUEUE_DATABASE_WAIT_MS = 10 * 60_000;

export async function prepareQueue(ctx: EngineContext): Promise<void> {
  await runMigrations({ pgPool: ctx.pool, logger: queueLogger(ctx) });
}

/**
 * Starts an engine process: queue workers (task attempts, timers, subflows, ends), the scheduler, the
 * liveness heartbeat/reaper, cancel notifications and retention. Several can run on one database.
 */
export async function startEngineRuntime(
  ctx: EngineContext,
  options: EngineRuntimeOptions,
): Promise<RunningEngine> {
  const running: RunningTasks = new Map();
  const workerIds = new Set<string>();
  const events: WorkerEvents = new EventEmitter();
  // Jobs are locked by a worker's id or, in graphile-worker 0.17, by its pool's id: remember both.
  events.on("pool:create", ({ workerPool }) => workerIds.add(workerPool.id));
  events.on("worker:create", ({ worker }) => workerIds.add(worker.workerId));
  let stopping = false;
  const runner: Runner = await run({
    pgPool: patientPool(ctx.pool, {
      maxWaitMs: QUEUE_DATABASE_WAIT_MS,
      stopping: () => stopping,
      onWait: (error) => ctx.report("the database is unavailable: the queue waits for it", error),
    }),
    taskList: engineTasks(ctx, running),
    concurrency: options.concurrency ?? 10,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? 1000,
    events,
    logger: queueLogger(ctx),
    gracefulShutdownAbortTimeout: options.shutdownGraceMs ?? 5_000,
  });

  // Kill requests for running attempts arrive by NOTIFY. The LISTEN connection is made again whenever it
  // is lost (the database restarted), or kills would stop reaching this engine after an outage.
  let listener: DbClient | undefined;
  const listen = async () => {
    const client = await ctx.pool.connect();
    client.on("notification", (message) => {
      if (message.channel !== CANCEL_CHANNEL || !message.payload) return;
      const { taskRunId, attempt } = JSON.parse(message.payload) as { taskRunId: string; attempt: number };
      running.get(`${taskRunId}:${attempt}`)?.abort();
    });
    client.on("error", () => {
      if (listener !== client) return;
      listener = undefined;
      client.release(true);
      void listenAgain();
    });
    try {
      await client.query(`listen ${CANCEL_CHANNEL}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    listener = client;
  };
  const listenAgain = async () => {
    for (let attempt = 0; !stopping; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 1.5 ** attempt, 5_000)).unref());
      if (stopping) return;
      try {
        await listen();
        return;
      } catch (error) {
        if (attempt === 0) ctx.report("cancel listener lost; reconnecting", error);
      }
    }
  };
  await listen();

  const liveness = await startLiveness(ctx.pool, () => [...workerIds], {
    version: options.version,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
    onError: (error) => ctx.report("heartbeat failed", error),
  });

  const loops: Promise<void>[] = [];
  const loop = (everyMs: number, work: () => Promise<unknown>) => {
    loops.push(
      (async () => {
        while (!stopping) {
          await work().catch((error) => ctx.report("background pass failed", error));
          await new Promise((resolve) => setTimeout(resolve, everyMs).unref());
        }
      })(),
    );
  };
  // Polls (HTTP requests...) run in the background so that a slow endpoint never delays schedules.
  const polls = backgroundPolls(ctx);
  if (options.scheduler !== false) {
    loop(options.schedulerIntervalMs ?? 1_000, async () => {
      await runDueSchedules(ctx, 20, polls.poll);
      await runBackfills(ctx);
    });
  }
  const retention = options.retentionDays ?? 30;
  if (retention > 0) {
    loop(3_600_000, () =>
      purgeOlderThan(ctx.pool, new Date(ctx.now().getTime() - retention * 86_400_000), 5_000, ctx.storage),
    );
  }

  let stopped: Promise<void> | undefined;
  return {
    instanceId: liveness.id,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        // Tasks still running when the grace period ends are aborted; their jobs fail and run again.
        await runner.stop().catch((error) => ctx.report("queue shutdown failed", error));
        for (const controller of running.values()) controller.abort();
        await Promise.race([
          Promise.all([...loops, polls.stop()]),
          new Promise((resolve) => setTimeout(resolve, 2_000)),
        ]);
        const last = listener;
        listener = undefined;
        await last?.query(`unlisten ${CANCEL_CHANNEL}`).catch(() => {});
        last?.release();
        await liveness.stop();
      })();
      return stopped;
    },
  };
}
