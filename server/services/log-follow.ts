// Following an execution's logs live (the `/logs/{id}/follow` stream), without gaps.
//
// A log line's id comes from a sequence when it is inserted, but the line becomes visible only when its
// transaction commits, and transactions commit in any order: the executor's transaction may take id 10,
// a task's log insert id 11 and commit first. A cursor "id > last sent" then reads 11, moves past 10, and
// never sends 10 once it commits. So the cursor here is a PostgreSQL snapshot (pg_snapshot), not an id:
// each line records the transaction that wrote it (log_entries.tx, pg_current_xact_id()), and the lines a
// follow has not sent are exactly those whose transaction its last snapshot did not see
// (pg_visible_in_snapshot). Each read returns those lines and its own snapshot (pg_current_snapshot() is the
// statement's snapshot, the one the rows were read with) as the next cursor: every line is sent once,
// whatever order transactions commit in, and no read waits for unrelated transactions to end.

import { NotFoundError } from "./errors";
import { LOG_LEVELS, type LogJson, type LogLevelName } from "./executions";
import type { ServiceScope } from "./scope";

export interface FollowFilter {
  minLevel?: LogLevelName;
  taskId?: string;
}

export interface FollowPage {
  /** Lines not sent before, in the order their transactions were numbered, then by id. */
  lines: LogJson[];
  /** Give it back to read what was committed since (a pg_snapshot's text form). */
  cursor: string;
}

/** A snapshot taken now: what a follow starting here has already seen (e.g. through a `tail` page). */
export async function currentLogCursor(scope: ServiceScope): Promise<string> {
  const engine = await scope.engine();
  const result = await engine.ctx.pool.query<{ cursor: string }>(
    "select pg_current_snapshot()::text as cursor",
  );
  return (result.rows[0] as { cursor: string }).cursor;
}

const SNAPSHOT = /^\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20})*)?$/;

/**
 * The execution's lines committed since `cursor` (all of them without one), and the cursor to read on from.
 * EXECUTION:READ on the execution's namespace.
 */
export async function logsSince(
  scope: ServiceScope,
  executionId: string,
  filter: FollowFilter,
  cursor?: string,
): Promise<FollowPage> {
  const found = await scope.db.execution.findUnique({
    where: { id: executionId },
    select: { namespace: true },
  });
  if (!found) throw new NotFoundError(`Execution ${executionId} not found.`);
  if (cursor !== undefined && !SNAPSHOT.test(cursor)) throw new Error(`not a log cursor: ${cursor}`);
  const levels = LOG_LEVELS.slice(LOG_LEVELS.indexOf(filter.minLevel ?? "TRACE"));
  const engine = await scope.engine();
  // One statement, so one snapshot: the rows and the next cursor agree. The left join returns the snapshot
  // when there is no new line. `tx >= xmin` lets the (execution_id, tx) index skip what every earlier
  // snapshot saw.
  const result = await engine.ctx.pool.query<{
    id: string | null;
    namespace: string;
    flow_id: string;
    execution_id: string | null;
    task_id: string | null;
    task_run_id: string | null;
    attempt_number: number | null;
    trigger_id: string | null;
    level: string;
    message: string;
    timestamp: Date;
    cursor: string;
  }>(
    `with s as (select pg_current_snapshot() as snap)
     select l.id::text, l.namespace, l.flow_id, l.execution_id, l.task_id, l.task_run_id, l.attempt_number,
            l.trigger_id, l.level::text as level, l.message, l.timestamp, s.snap::text as cursor
       from s left join log_entries l
         on l.tenant_id = $1 and l.execution_id = $2 and l.level::text = any($3::text[])
        and ($4::text is null or l.task_id = $4)
        and ($5::pg_snapshot is null
             or (l.tx >= pg_snapshot_xmin($5::pg_snapshot) and not pg_visible_in_snapshot(l.tx, $5::pg_snapshot)))
      order by l.tx, l.id`,
    [scope.tenant.id, executionId, levels, filter.taskId ?? null, cursor ?? null],
  );
  const next = result.rows[0]?.cursor as string;
  const lines = result.rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      id: row.id as string,
      namespace: row.namespace,
      flowId: row.flow_id,
      executionId: row.execution_id,
      taskId: row.task_id,
      taskRunId: row.task_run_id,
      attemptNumber: row.attempt_number,
      triggerId: row.trigger_id,
      level: row.level,
      message: row.message,
      timestamp: row.timestamp.toISOString(),
    }));
  return { lines, cursor: next };
}
