// The pool graphile-worker gets: the engine's own, except that it waits while the database is unavailable
// (down, restarting) instead of failing at once. graphile-worker 0.17 releases a finished job (completeJob /
// failJob) without awaiting it and retries only a few error codes, so a refused connection — or a statement
// on a pooled connection the restart just cut — was an unhandled rejection that ended the whole process,
// and a job whose release was lost stayed locked by a live worker that had forgotten it. Here taking a
// connection waits for the database, and a single statement (outside a transaction) that fails because
// the connection was lost runs again on a fresh one once the database is back: the release statements are
// idempotent (delete or unlock by job id and locker), so a PostgreSQL outage becomes a pause.
import type pg from "pg";
import { isDatabaseUnavailable } from "./database-unavailable";
import type { Db, DbClient } from "./db";

export interface PatientPoolOptions {
  /** Longest wait for the database before its error is let through. */
  maxWaitMs: number;
  /** Stops waiting (the runtime is shutting down). */
  stopping: () => boolean;
  onWait?: (error: unknown) => void;
}

const TRANSACTION_START = /^\s*(begin|start\s+transaction)\b/i;
const TRANSACTION_END = /^\s*(commit|rollback|end|abort)\b/i;

export function patientPool(pool: Db, options: PatientPoolOptions): Db {
  const pause = (attempt: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.min(250 * 1.5 ** attempt, 5_000)).unref());
  const gaveUp = (error: unknown, since: number) =>
    !isDatabaseUnavailable(error) || options.stopping() || Date.now() - since > options.maxWaitMs;

  const connectWaiting = async (since = Date.now()): Promise<DbClient> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await pool.connect();
      } catch (error) {
        if (gaveUp(error, since)) throw error;
        if (attempt === 0) options.onWait?.(error);
        await pause(attempt);
      }
    }
  };

  /** Runs one statement again on fresh connections until it gets through or the wait is over. */
  const again = async (args: unknown[], since: number): Promise<pg.QueryResult> => {
    for (let attempt = 0; ; attempt++) {
      await pause(attempt);
      const client = await connectWaiting(since);
      let failure: unknown;
      try {
        return await (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args);
      } catch (error) {
        failure = error;
        if (gaveUp(error, since)) throw error;
      } finally {
        // A connection that failed is thrown away, not handed back to the pool.
        client.release(
          failure !== undefined && isDatabaseUnavailable(failure) ? (failure as Error) : undefined,
        );
      }
    }
  };

  const patientClient = (client: DbClient): DbClient => {
    let inTransaction = false;
    const query = async (...args: unknown[]) => {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text && TRANSACTION_START.test(text)) inTransaction = true;
      const single = !inTransaction;
      if (text && TRANSACTION_END.test(text)) inTransaction = false;
      try {
        return await (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args);
      } catch (error) {
        if (!single || gaveUp(error, Date.now())) throw error;
        options.onWait?.(error);
        return again(args, Date.now());
      }
    };
    return new Proxy(client, {
      get(target, property) {
        if (property === "query") return query;
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };

  return new Proxy(pool, {
    get(target, property) {
      // The callback form (graphile-worker's LISTEN connection) keeps its own retry logic.
      if (property === "connect")
        return (callback?: unknown) =>
          typeof callback === "function"
            ? target.connect(callback as never)
            : connectWaiting().then(patientClient);
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
