import type { Execution, TaskRun } from "@/engine/executor";
import type { LogEntry } from "../logs";
import type { Queryable } from "./db";
import { insertLogsFrom } from "./logs-store";

/** Where a subflow execution reports its end. */
export interface ParentLink {
  executionId: string;
  taskRunId: string;
  iteration?: number;
}

export interface StoredExecution {
  tenantId: string;
  execution: Execution;
  parentLink?: ParentLink | null;
  /** The row's version (PostgreSQL's `xmin`), for a later write at that version (saveExecutionAtVersion). */
  version: string;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Loads an execution; with `lock`, holds its row lock until the transaction ends (one writer at a time). */
export async function loadExecution(
  db: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredExecution | undefined> {
  const result = await db.query(
    `select tenant_id, document, parent_link, xmin::text as version from executions where id = $1${options.lock ? " for update" : ""}`,
    [id],
  );
  const row = result.rows[0] as
    | { tenant_id: string; document: Execution; parent_link: ParentLink | null; version: string }
    | undefined;
  return row
    ? { tenantId: row.tenant_id, execution: row.document, parentLink: row.parent_link, version: row.version }
    : undefined;
}

/**
 * Locks an execution's row, as loadExecution with `lock`, for a caller that read it a moment ago: the
 * document is sent only when the row has changed since (its version differs from `known`'s), so the
 * common case (nothing wrote in between: a task of a sequence) reads and parses no document.
 */
export async function lockExecutionKnown(
  db: Queryable,
  id: string,
  known: StoredExecution,
): Promise<StoredExecution | undefined> {
  const row = (
    await db.query(
      `select tenant_id, parent_link, xmin::text as version,
         case when xmin::text = $2 then null else document end as document
       from executions where id = $1 for update`,
      [id, known.version],
    )
  ).rows[0] as
    | { tenant_id: string; document: Execution | null; parent_link: ParentLink | null; version: string }
    | undefined;
  if (!row) return undefined;
  return {
    tenantId: row.tenant_id,
    execution: row.document ?? known.execution,
    parentLink: row.parent_link,
    version: row.version,
  };
}

/** Inserts a new execution with its read-model columns. Returns false when its dedupe key already exists. */
export async function insertExecution(
  db: Queryable,
  tenantId: string,
  execution: Execution,
  extra: { parentLink?: ParentLink; dedupeKey?: string } = {},
): Promise<boolean> {
  const result = await db.query(
    `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, state_histories, start_date, end_date,
       inputs, outputs, labels, trigger, original_id, parent_id, parent_link, schedule_date, dedupe_key, document, kind, updated_at)
     values ($1,$2,$3,$4,$5,$6::state,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20, now())
     on conflict (dedupe_key) do nothing`,
    [
      execution.id,
      tenantId,
      execution.namespace,
      execution.flowId,
      execution.flowRevision,
      execution.state.current,
      json(execution.state.histories),
      execution.state.startDate,
      execution.state.endDate ?? null,
      json(execution.inputs),
      json(execution.outputs),
      json(execution.labels),
      json(execution.trigger),
      execution.originalId,
      execution.parentId ?? null,
      json(extra.parentLink),
      execution.scheduleDate ?? null,
      extra.dedupeKey ?? null,
      json(execution),
      execution.kind ?? null,
    ],
  );
  if ((result.rowCount ?? 0) > 0) await saveTaskRuns(db, tenantId, execution, []);
  return (result.rowCount ?? 0) > 0;
}

/** The read-model columns a step rewrites, in the order both update statements name them, then the document. */
function rowColumns(after: Execution, document: string | null): unknown[] {
  return [
    after.state.current,
    json(after.state.histories),
    after.state.startDate,
    after.state.endDate ?? null,
    json(after.inputs),
    json(after.outputs),
    json(after.labels),
    json(after.trigger),
    document,
  ];
}

/** Writes a stepped execution: its row, the task runs that changed, and drops the ones a restart removed. */
export async function saveExecution(
  db: Queryable,
  tenantId: string,
  before: Execution,
  after: Execution,
): Promise<void> {
  await db.query(
    `update executions set state = $2::state, state_histories = $3, start_date = $4, end_date = $5, inputs = $6,
       outputs = $7, labels = $8, trigger = $9, document = $10, updated_at = now() where id = $1`,
    [after.id, ...rowColumns(after, json(after))],
  );
  await saveTaskRuns(db, tenantId, after, before.taskRunList);
}

function taskRunRow(run: TaskRun, position: number): Record<string, unknown> {
  return {
    id: run.id,
    position,
    parent_task_run_id: run.parentTaskRunId ?? null,
    task_id: run.taskId,
    value: run.value ?? null,
    iteration: run.iteration ?? null,
    state: run.state.current,
    state_histories: run.state.histories,
    attempts: run.attempts,
    outputs: run.outputs ?? null,
    start_date: run.state.startDate,
    end_date: run.state.endDate ?? null,
  };
}

/** The task runs of `execution` that are new or changed since `previous`, and those it no longer has. */
function taskRunChanges(
  execution: Execution,
  previous: TaskRun[],
): { removed: string[]; rows: Record<string, unknown>[] } {
  const kept = new Set(execution.taskRunList.map((r) => r.id));
  const removed = previous.filter((r) => !kept.has(r.id)).map((r) => r.id);
  if (removed.length > 0) return { removed, rows: execution.taskRunList.map(taskRunRow) };
  const old = new Map(previous.map((run, position) => [run.id, { text: JSON.stringify(run), position }]));
  const rows: Record<string, unknown>[] = [];
  execution.taskRunList.forEach((run, position) => {
    const seen = old.get(run.id);
    if (!seen || seen.position !== position || seen.text !== JSON.stringify(run))
      rows.push(taskRunRow(run, position));
  });
  return { removed, rows };
}

/** Upserts task-run rows given as a JSON array in `rows` (a parameter), for tenant `tenant` and execution `execution`. */
const upsertTaskRuns = (tenant: string, execution: string, rows: string, guard = "") =>
  `insert into task_runs (id, tenant_id, execution_id, position, parent_task_run_id, task_id, value, iteration, state,
       state_histories, attempts, outputs, start_date, end_date)
     select x.id, ${tenant}, ${execution}, x.position, x.parent_task_run_id, x.task_id, x.value, x.iteration, x.state::state,
       x.state_histories, x.attempts, x.outputs, x.start_date, x.end_date
     from jsonb_to_recordset(${rows}::jsonb) as x(id text, position int, parent_task_run_id text, task_id text, value text,
       iteration int, state text, state_histories jsonb, attempts jsonb, outputs jsonb, start_date timestamptz, end_date timestamptz)
     ${guard}
     on conflict (id) do update set position = excluded.position, state = excluded.state,
       state_histories = excluded.state_histories, attempts = excluded.attempts, outputs = excluded.outputs,
       start_date = excluded.start_date, end_date = excluded.end_date, value = excluded.value, iteration = excluded.iteration`;

/**
 * Upserts the task runs that changed since `previous` in one statement. When a restart removed runs,
 * positions shift: the removed rows are deleted and every remaining row rewritten.
 */
async function saveTaskRuns(
  db: Queryable,
  tenantId: string,
  execution: Execution,
  previous: TaskRun[],
): Promise<void> {
  const { removed, rows } = taskRunChanges(execution, previous);
  if (removed.length > 0) {
    await db.query("delete from task_runs where id = any($1::text[])", [removed]);
    await db.query("update task_runs set position = -position - 1 where execution_id = $1", [execution.id]);
  }
  if (rows.length === 0) return;
  await db.query(upsertTaskRuns("$1", "$2", "$3"), [tenantId, execution.id, JSON.stringify(rows)]);
}

/**
 * The stored execution under a row lock, with its row's version and whether it already is `document`
 * (compared as jsonb: the stored document's keys come back in jsonb's order, not the writer's).
 */
export async function lockedExecution(
  db: Queryable,
  id: string,
  document: string,
): Promise<{ execution: Execution; same: boolean; version: string } | undefined> {
  const row = (
    await db.query(
      "select document, document = $2::jsonb as same, xmin::text as version from executions where id = $1 for update",
      [id, document],
    )
  ).rows[0] as { document: Execution; same: boolean; version: string } | undefined;
  return row ? { execution: row.document, same: row.same, version: row.version } : undefined;
}

/** The version of an execution's row (PostgreSQL's `xmin`: changes with every write of the row). */
export async function executionVersion(db: Queryable, id: string): Promise<string | undefined> {
  const row = (await db.query("select xmin::text as version from executions where id = $1", [id])).rows[0];
  return (row as { version: string } | undefined)?.version;
}

/**
 * Writes a step of an execution whose row is still at `version` — the row, its changed task runs, the
 * step's logs and, when it ended, the ENDED notification — in ONE statement (one round trip, atomic
 * without a transaction), with no read of the stored document: `before` is what the caller last wrote.
 * Returns the row's new version; undefined when it was written meanwhile by someone else (nothing is
 * written then), or when task runs were removed (a restart): the caller then takes the locked path.
 */
export async function saveExecutionAtVersion(
  db: Queryable,
  tenantId: string,
  before: Execution,
  after: Execution,
  version: string,
  extra: { document?: string; logs?: readonly LogEntry[]; notify?: string },
): Promise<string | undefined> {
  const { removed, rows } = taskRunChanges(after, before.taskRunList);
  if (removed.length > 0) return undefined;
  const written = "where exists (select 1 from e)";
  const result = await db.query(
    `with e as (
       update executions set state = $3::state, state_histories = $4, start_date = $5, end_date = $6, inputs = $7,
         outputs = $8, labels = $9, trigger = $10, document = $11, updated_at = now()
       where id = $1 and xmin = $2::text::xid returning xmin::text as version),
     runs as (${upsertTaskRuns("$12", "$1", "$13", written)}),
     logs as (${insertLogsFrom("$12", "$14", written)})
     select version, case when $15::text is not null then pg_notify($15::text, $1) end from e`,
    [
      after.id,
      version,
      ...rowColumns(after, extra.document ?? json(after)),
      tenantId,
      JSON.stringify(rows),
      JSON.stringify(extra.logs ?? []),
      extra.notify ?? null,
    ],
  );
  return (result.rows[0] as { version: string } | undefined)?.version;
}
