import type { PreconditionState, PreconditionStore } from "@/engine/triggers";
import type { Queryable } from "./db";

/**
 * Flow-trigger precondition state in flow_trigger_states, shared by every engine process. Use it inside a
 * transaction: `get` takes an advisory lock on the key until the transaction ends, so two upstream
 * executions ending at once update the state one after the other.
 */
export function databasePreconditionStore(db: Queryable): PreconditionStore {
  return {
    async get(key) {
      await db.query("select pg_advisory_xact_lock(hashtextextended($1, 1))", [key]);
      const result = await db.query("select state from flow_trigger_states where key = $1", [key]);
      return (result.rows[0] as { state: PreconditionState } | undefined)?.state;
    },
    async set(key, state) {
      if (!state) {
        await db.query("delete from flow_trigger_states where key = $1", [key]);
        return;
      }
      await db.query(
        `insert into flow_trigger_states (key, state, updated_at) values ($1, $2::jsonb, now())
         on conflict (key) do update set state = excluded.state, updated_at = now()`,
        [key, JSON.stringify(state)],
      );
    },
  };
}
