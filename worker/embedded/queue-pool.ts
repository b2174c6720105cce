// The pool graphile-worker gets: the engine's own, except that taking a connection waits while the database
// is unavailable (down, restarting) instead of failing at once. graphile-worker 0.17 releases a finished
// job (completeJob / failJob) without awaiting it and retries only a few error codes, so a refused
// connection there is an unhandled rejection that ends the whole process, and a job whose release is lost
// stays locked by a live worker that has forgotten it. Waiting for the database at `connect()` turns a
// PostgreSQL outage into a pause: the release happens once it is back, and the execution goes on.

import { isDatabaseUnavailable } from "./database-unavailable";
import type { Db } from "./db";

export interface PatientPoolOptions {
  /** Longest wait for one connection before the error is let through. */
  maxWaitMs: number;
  /** Stops waiting (the runtime is shutting down). */
  stopping: () => boolean;
  onWait?: (error: unknown) => void;
}

export function patientPool(pool: Db, options: PatientPoolOptions): Db {
  const connect = async () => {
    const startedAt = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await pool.connect();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || options.stopping() || Date.now() - startedAt > options.maxWaitMs)
          throw error;
        if (attempt === 0) options.onWait?.(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 1.5 ** attempt, 5_000)).unref());
      }
    }
  };
  return new Proxy(pool, {
    get(target, property) {
      // The callback form (graphile-worker's LISTEN connection) keeps its own retry logic.
      if (property === "connect")
        return (callback?: unknown) =>
          typeof callback === "function" ? target.connect(callback as never) : connect();
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
