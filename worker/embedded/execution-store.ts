import type { Execution, TaskRun } from "@/engine/executor";
import type { Queryable } from "./db";

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
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Loads an execution; with `lock`, holds its row lock until the transaction ends (one writer at a time). */
export async function loadExecution(
  db: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<StoredExecution | undefined> {
  const result = await db.query(
    `select tenant_id, document, parent_link from executions where id = $1${options.lock ? " for update" : ""}`,
    [id],
  );
  const row = result.rows[0] as
    | { tenant_id: string; document: Execution; parent_link: ParentLink | null }
    | undefined;
  return row ? { tenantId: row.tenant_id, execution: row.document, parentLink: row.parent_link } : undefined;
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
       inputs, outputs, labels, trigger, original_id, parent_id, parent_link, schedule_date, dedupe_key, document, updated_at)
     values ($1,$2,$3,$4,$5,$6::state,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19, now())
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
    ],
  );
  if ((result.rowCount ?? 0) > 0) await saveTaskRuns(db, tenantId, execution, []);
  return (result.rowCount ?? 0) > 0;
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
    [
      after.id,
      after.state.current,
      json(after.state.histories),
      after.state.startDate,
      after.state.endDate ?? null,
      json(after.inputs),
      json(after.outputs),
      json(after.labels),
      json(after.trigger),
      json(after),
    ],
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
  const kept = new Set(execution.taskRunList.map((r) => r.id));
  const removed = previous.filter((r) => !kept.has(r.id)).map((r) => r.id);
  let rows: Record<string, unknown>[];
  if (removed.length > 0) {
    await db.query("delete from task_runs where id = any($1::text[])", [removed]);
    await db.query("update task_runs set position = -position - 1 where execution_id = $1", [execution.id]);
    rows = execution.taskRunList.map(taskRunRow);
  } else {
    const old = new Map(previous.map((run, position) => [run.id, { text: JSON.stringify(run), position }]));
    rows = [];
    execution.taskRunList.forEach((run, position) => {
      const seen = old.get(run.id);
      if (!seen || seen.position !== position || seen.text !== JSON.stringify(run))
        rows.push(taskRunRow(run, position));
    });
  }
  if (rows.length === 0) return;
  await db.query(
    `insert into task_runs (id, tenant_id, execution_id, position, parent_task_run_id, task_id, value, iteration, state,
       state_histories, attempts, outputs, start_date, end_date)
     select x.id, $1, $2, x.position, x.parent_task_run_id, x.task_id, x.value, x.iteration, x.state::state,
       x.state_histories, x.attempts, x.outputs, x.start_date, x.end_date
     from jsonb_to_recordset($3::jsonb) as x(id text, position int, parent_task_run_id text, task_id text, value text,
       iteration int, state text, state_histories jsonb, attempts jsonb, outputs jsonb, start_date timestamptz, end_date timestamptz)
     on conflict (id) do update set position = excluded.position, state = excluded.state,
       state_histories = excluded.state_histories, attempts = excluded.attempts, outputs = excluded.outputs,
       start_date = excluded.start_date, end_date = excluded.end_date, value = excluded.value, iteration = excluded.iteration`,
    [tenantId, execution.id, JSON.stringify(rows)],
  );
}
