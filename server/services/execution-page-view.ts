// The execution page's reads of one execution (EXECUTION:READ on its namespace, 404 elsewhere): the
// execution with its task runs slim and packed (execution-view.ts: a 5,000-run ForEach is 4 MB in Kestra's
// JSON, a few hundred kB here), and the full task runs of one task (or all) when the page shows their
// outputs, metrics or errors.
import { type Execution, toExecutionJson } from "@/engine/executor";
import { NotFoundError } from "./errors";
import {
  executionPageView,
  type PackedExecutionPageView,
  type PackedTaskRun,
  type PackedTaskRuns,
  packExecutionPageView,
} from "./execution-view";
import type { ServiceScope } from "./scope";

async function readDocument(scope: ServiceScope, id: string): Promise<Execution> {
  // Through the pool, not Prisma: the document of a big execution is read a third faster.
  const engine = await scope.engine();
  const found = await engine.ctx.pool.query<{ namespace: string; document: Execution }>(
    "select namespace, document from executions where id = $1 and tenant_id = $2",
    [id, scope.tenant.id],
  );
  const row = found.rows[0];
  if (!row) throw new NotFoundError(`Execution ${id} not found.`);
  return row.document;
}

interface TaskRunRow {
  id: string;
  parent_task_run_id: string | null;
  task_id: string;
  value: string | null;
  iteration: number | null;
  state: string;
  start_ms: number;
  end_ms: number | null;
  /** The attempts' states, null when there is one with the run's own state and span (most runs). */
  attempts: { current?: string; startDate?: string; endDate?: string }[] | null;
}

// Dates as epoch milliseconds and attempts only where they tell something: 5,000 rows parse in a few ms.
const TASK_RUN_ROWS = `
  select id, parent_task_run_id, task_id, value, iteration, state::text,
         (extract(epoch from start_date) * 1000)::float8 as start_ms,
         (extract(epoch from end_date) * 1000)::float8 as end_ms,
         case when jsonb_array_length(attempts) = 1 and attempts#>>'{0,state,current}' = state::text
                   and (attempts#>>'{0,state,startDate}')::timestamptz = start_date
                   and (attempts#>>'{0,state,endDate}')::timestamptz is not distinct from end_date
              then null else jsonb_path_query_array(attempts, '$[*].state') end as attempts
    from task_runs
   where execution_id = $1 and tenant_id = $2
   order by position`;

/**
 * What the execution page draws first: Kestra's execution JSON with its task runs slim and packed. The
 * task runs come from their own table (kept with the document in the same transaction by the execution
 * store), the rest from the document without its taskRunList: the 4 MB document of a 5,000-run ForEach is
 * neither shipped from the database nor parsed.
 */
export async function getExecutionPageView(
  scope: ServiceScope,
  id: string,
): Promise<PackedExecutionPageView> {
  const engine = await scope.engine();
  const [head, runs] = await Promise.all([
    engine.ctx.pool.query<{ namespace: string; document: Execution }>(
      "select namespace, document - 'taskRunList' as document from executions where id = $1 and tenant_id = $2",
      [id, scope.tenant.id],
    ),
    engine.ctx.pool.query<TaskRunRow>(TASK_RUN_ROWS, [id, scope.tenant.id]),
  ]);
  const row = head.rows[0];
  if (!row) throw new NotFoundError(`Execution ${id} not found.`);
  const view = executionPageView(toExecutionJson({ ...row.document, taskRunList: [] }));
  const state = view.state as { startDate?: string };
  return {
    ...packExecutionPageView({ ...view, taskRunList: [] }),
    packedTaskRuns: packTaskRunRows(runs.rows, state.startDate ?? ""),
  };
}

/** packTaskRuns (execution-view.ts) straight from task_runs rows, their dates already numbers. */
function packTaskRunRows(rows: TaskRunRow[], originDate: string): PackedTaskRuns {
  const parsed = Date.parse(originDate);
  const origin = Number.isNaN(parsed) ? 0 : parsed;
  const tasks: string[] = [];
  const states: string[] = [];
  const codes = new Map<string, number>();
  const code = (list: string[], prefix: string, value: string) => {
    let at = codes.get(prefix + value);
    if (at === undefined) {
      at = list.push(value) - 1;
      codes.set(prefix + value, at);
    }
    return at;
  };
  const position = new Map(rows.map((run, i) => [run.id, i]));
  const offset = (date: string | undefined) => {
    const ms = date === undefined ? Number.NaN : Date.parse(date);
    return Number.isNaN(ms) ? null : ms - origin;
  };
  return {
    origin,
    tasks,
    states,
    runs: rows.map((run): PackedTaskRun => {
      const start = Math.round(run.start_ms - origin);
      const end = run.end_ms === null ? null : Math.round(run.end_ms - origin);
      return [
        run.id,
        code(tasks, "t:", run.task_id),
        run.parent_task_run_id === null
          ? null
          : (position.get(run.parent_task_run_id) ?? run.parent_task_run_id),
        run.value,
        run.iteration,
        code(states, "s:", run.state),
        start,
        end,
        run.attempts === null
          ? 0
          : run.attempts.map((a) => [
              code(states, "s:", a.current ?? "CREATED"),
              offset(a.startDate),
              offset(a.endDate),
            ]),
      ];
    }),
  };
}

export interface TaskRunFilter {
  taskId?: string;
  taskRunIds?: string[];
}

/**
 * The execution's task runs in Kestra's JSON (outputs, attempts with their errors and metrics), in the
 * order of its taskRunList: those of one task and/or of the given ids, else all.
 */
export async function executionTaskRuns(
  scope: ServiceScope,
  id: string,
  filter: TaskRunFilter = {},
): Promise<Record<string, unknown>[]> {
  const execution = await readDocument(scope, id);
  const ids = filter.taskRunIds ? new Set(filter.taskRunIds) : undefined;
  const runs = execution.taskRunList.filter(
    (run) => (!filter.taskId || run.taskId === filter.taskId) && (!ids || ids.has(run.id)),
  );
  return toExecutionJson({ ...execution, taskRunList: runs }).taskRunList as Record<string, unknown>[];
}
