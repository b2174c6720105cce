import os from "node:os";
import type { Db } from "./db";

/** How often an engine heartbeats, by default. */
export const DEFAULT_HEARTBEAT_MS = 2_000;
/** After this long without a heartbeat an engine is considered gone and its jobs are handed back. */
export const DEFAULT_STALE_AFTER_MS = 10_000;

export interface LivenessOptions {
  version: string;
  /** How often this process heartbeats. */
  heartbeatMs: number;
  /** A process silent for longer is considered dead: its queue workers' jobs are handed back. */
  staleAfterMs: number;
  onError?: (error: unknown) => void;
}

/**
 * Engine processes heartbeat in service_instances with the ids of their queue workers. Each process also
 * reaps: when another one has been silent for `staleAfterMs` (kill -9, lost machine), its locked jobs are
 * unlocked with graphile-worker's force_unlock_workers so that another worker runs them (the
 * "visibility timeout" of a running task).
 */
export async function startLiveness(pool: Db, workerIds: () => string[], options: LivenessOptions) {
  const inserted = await pool.query(
    `insert into service_instances (id, role, mode, hostname, pid, version, worker_ids)
     values (gen_random_uuid()::text, 'engine', 'embedded', $1, $2, $3, $4) returning id`,
    [os.hostname(), process.pid, options.version, workerIds()],
  );
  const id = (inserted.rows[0] as { id: string }).id;
  const beat = async () => {
    await pool.query("update service_instances set heartbeat_at = now(), worker_ids = $2 where id = $1", [
      id,
      workerIds(),
    ]);
    await reapDeadEngines(pool, options.staleAfterMs);
  };
  const timer = setInterval(() => beat().catch((error) => options.onError?.(error)), options.heartbeatMs);
  timer.unref();
  return {
    id,
    beat,
    async stop() {
      clearInterval(timer);
      await pool
        .query("delete from service_instances where id = $1", [id])
        .catch((error) => options.onError?.(error));
    },
  };
}

/** Hands back the jobs of engines that stopped heartbeating, and forgets those engines. */
export async function reapDeadEngines(pool: Db, staleAfterMs: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const dead = (
      await client.query(
        `select id, worker_ids from service_instances
         where role = 'engine' and heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
         for update skip locked`,
        [staleAfterMs],
      )
    ).rows as { id: string; worker_ids: string[] }[];
    const workers = dead.flatMap((row) => row.worker_ids ?? []);
    if (workers.length > 0)
      await client.query("select graphile_worker.force_unlock_workers($1::text[])", [workers]);
    if (dead.length > 0)
      await client.query("delete from service_instances where id = any($1::text[])", [dead.map((r) => r.id)]);
    await client.query("commit");
    return dead.length;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
