import type { Queryable } from "./db";

/** States that hold one of a flow's `concurrency` slots. */
const ACTIVE_STATES = ["RUNNING", "PAUSED", "RETRYING", "KILLING", "RESTARTED"];

export interface FlowKey {
  tenantId: string;
  namespace: string;
  flowId: string;
}

/**
 * Takes the flow's concurrency lock until the caller's transaction ends. Every count of a flow's running
 * executions and every write that changes it for a start (the embedded engine's start, the Temporal
 * driver's claim) or a release (the pick of the next QUEUED one) happens under it, so two processes
 * never both see a free slot and never miss an execution queued meanwhile. Outside a transaction the lock
 * would end with the statement: the caller must hold one.
 */
export async function lockFlowConcurrency(db: Queryable, flow: FlowKey): Promise<void> {
  await db.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `flow:${flow.tenantId}/${flow.namespace}/${flow.flowId}`,
  ]);
}

/**
 * The flow's executions holding a slot, this one left out. A Loop iteration (kind LOOP) is part of its
 * parent's run and holds none. Read after lockFlowConcurrency, in its own statement: in READ COMMITTED a
 * statement sees what was committed when it began, so the lock must be taken by an earlier one.
 */
export async function countRunning(db: Queryable, flow: FlowKey, executionId: string): Promise<number> {
  const result = await db.query(
    `select count(*)::int as count from executions
     where tenant_id = $1 and namespace = $2 and flow_id = $3 and state = any($4::state[]) and id <> $5
       and kind is distinct from 'LOOP'`,
    [flow.tenantId, flow.namespace, flow.flowId, ACTIVE_STATES, executionId],
  );
  return (result.rows[0] as { count: number }).count;
}

/**
 * The QUEUED executions of a flow to send `start` now that one of its executions has ended, under
 * lockFlowConcurrency. While fewer than `limit` hold a slot, the oldest QUEUED one is given the freed
 * slot here (its `state` column set to RUNNING, so the next release picks another and no start counts
 * the slot free), as Kestra's ConcurrencySlotReleaseProcessor pops its queue: two executions ending at
 * once then start two queued ones, not the oldest twice. Its own start, when applied, counts the others
 * and runs. Also returned: the ones given a slot by an earlier release whose start was never applied
 * (the column RUNNING while the document is still QUEUED: a release that failed before it sent it,
 * retried), so none keeps a slot without running; a second start of a running one changes nothing.
 *
 * Every transaction that takes both locks takes the flow's first (the embedded engine's start:
 * apply.ts `lockConcurrencyBeforeRow`; the Temporal driver's claim), so waiting here for a queued row
 * locked by a transaction in flight cannot deadlock.
 */
export async function takeQueued(db: Queryable, flow: FlowKey, limit: number): Promise<string[]> {
  const given = await db.query(
    `select id from executions
     where tenant_id = $1 and namespace = $2 and flow_id = $3 and state = 'RUNNING'
       and document->'state'->>'current' = 'QUEUED'
     order by created_at, id`,
    [flow.tenantId, flow.namespace, flow.flowId],
  );
  const ids = (given.rows as { id: string }[]).map((r) => r.id);
  if ((await countRunning(db, flow, "")) >= limit) return ids;
  const popped = await db.query(
    `update executions set state = 'RUNNING'
     where id = (select id from executions
                 where tenant_id = $1 and namespace = $2 and flow_id = $3 and state = 'QUEUED'
                 order by created_at, id limit 1)
     returning id`,
    [flow.tenantId, flow.namespace, flow.flowId],
  );
  const next = (popped.rows[0] as { id: string } | undefined)?.id;
  return next ? [...ids, next] : ids;
}

/** Undoes takeQueued's gift of a slot to an execution whose start did not reach it (core `requeue`). */
export async function requeueGiven(db: Queryable, executionId: string): Promise<void> {
  await db.query(
    `update executions set state = 'QUEUED'
     where id = $1 and state = 'RUNNING' and document->'state'->>'current' = 'QUEUED'`,
    [executionId],
  );
}
