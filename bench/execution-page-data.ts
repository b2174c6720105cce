/**
 * The execution page bench's data, generated once into a database that is kept between runs (generation
 * takes minutes; measuring then takes seconds): 1,000,000 executions in one tenant (bench/executions-list.ts's
 * generator), one execution `bench-big` of the flow company.bench.big with 5,000 task runs (a ForEach of
 * 4,999 iterations) and 1,000,000 log lines, and 9,000,000 more log lines spread over the other executions:
 * 10,000,000 log lines in the tenant. Everything is set-based SQL (insert ... select generate_series).
 */
import type pg from "pg";
import type { Execution, TaskRun } from "@/engine/executor";
import { insertExecution } from "@/worker/embedded/execution-store";
import { generate } from "./executions-list";

export const BIG_EXECUTION = "bench-big";
export const BIG_NAMESPACE = "company.bench";
export const BIG_FLOW = "big";
export const BIG_TASK_RUNS = 5_000;
export const BIG_LOG_LINES = 1_000_000;
/** Log lines of the other executions, on top of the 100,000 bench/executions-list.ts writes. */
const OTHER_LOG_LINES = 8_900_000;

export const BIG_FLOW_SOURCE = `id: ${BIG_FLOW}
namespace: ${BIG_NAMESPACE}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ range(1, ${BIG_TASK_RUNS - 1}) }}"
    concurrencyLimit: 4
    tasks:
      - id: work
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }}"
`;

/** When the big execution started: a fixed time in the last hour of the generation. */
function bigOrigin(): number {
  return Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
}

/** Run i (1..4999) starts at origin + 200 ms × i and lasts 150–650 ms; one in 500 failed once, then passed. */
export function bigExecution(tenantId: string, origin = bigOrigin()): Execution {
  const iso = (ms: number) => new Date(ms).toISOString();
  const state = (current: string, start: number, end: number) => ({
    current: current as Execution["state"]["current"],
    histories: [
      { state: "CREATED" as const, date: iso(start) },
      { state: "RUNNING" as const, date: iso(start) },
      { state: current as Execution["state"]["current"], date: iso(end) },
    ],
    startDate: iso(start),
    endDate: iso(end),
    duration: `PT${((end - start) / 1000).toFixed(3)}S`,
  });
  const runs: TaskRun[] = [];
  const lastEnd = origin + 200 * (BIG_TASK_RUNS - 1) + 700;
  const parentId = `${BIG_EXECUTION}-tr-0`;
  runs.push({
    id: parentId,
    executionId: BIG_EXECUTION,
    namespace: BIG_NAMESPACE,
    flowId: BIG_FLOW,
    taskId: "each",
    parentTaskRunId: null,
    state: state("WARNING", origin, lastEnd),
    attempts: [{ state: state("WARNING", origin, lastEnd) }],
    outputs: null,
  });
  for (let i = 1; i < BIG_TASK_RUNS; i++) {
    const start = origin + 200 * i;
    const end = start + 150 + ((i * 37) % 500);
    const retried = i % 500 === 0;
    runs.push({
      id: `${BIG_EXECUTION}-tr-${i}`,
      executionId: BIG_EXECUTION,
      namespace: BIG_NAMESPACE,
      flowId: BIG_FLOW,
      taskId: "work",
      parentTaskRunId: parentId,
      value: String(i),
      iteration: i - 1,
      state: state("SUCCESS", start, end),
      attempts: retried
        ? [
            { state: state("FAILED", start, start + 100), error: { message: "checksum mismatch" } },
            { state: state("SUCCESS", start + 100, end) },
          ]
        : [{ state: state("SUCCESS", start, end) }],
      outputs: { item: i },
    });
  }
  return {
    id: BIG_EXECUTION,
    tenantId,
    namespace: BIG_NAMESPACE,
    flowId: BIG_FLOW,
    flowRevision: 1,
    state: state("WARNING", origin, lastEnd + 50),
    inputs: {},
    labels: [{ key: "bench", value: "big" }],
    taskRunList: runs,
    originalId: BIG_EXECUTION,
    metadata: { attemptNumber: 1, originalCreatedDate: iso(origin) },
  };
}

async function insertBigExecution(pool: pg.Pool, tenantId: string) {
  const execution = bigExecution(tenantId);
  const origin = Date.parse(execution.state.startDate);
  await pool.query("delete from executions where id = $1", [BIG_EXECUTION]);
  await insertExecution(pool, tenantId, execution);
  await pool.query("insert into namespaces (tenant_id, name) values ($1, $2) on conflict do nothing", [
    tenantId,
    BIG_NAMESPACE,
  ]);
  await pool.query(
    `insert into flows (tenant_id, namespace, id, revision, source, updated_at) values ($1, $2, $3, 1, $4, now())
     on conflict do nothing`,
    [tenantId, BIG_NAMESPACE, BIG_FLOW, BIG_FLOW_SOURCE],
  );
  await pool.query(
    `insert into flow_revisions (tenant_id, namespace, flow_id, revision, source) values ($1, $2, $3, 1, $4)
     on conflict do nothing`,
    [tenantId, BIG_NAMESPACE, BIG_FLOW, BIG_FLOW_SOURCE],
  );
  // Line g belongs to iteration i = 1 + g % 4999 (about 200 lines each, the ForEach parent has none), at its
  // start + g / 4999 ms; ERROR 1 in 1,000 (with the words a search looks for), WARN 1 in 100, DEBUG 1 in 10.
  const chunk = 250_000;
  for (let from = 0; from < BIG_LOG_LINES; from += chunk) {
    await pool.query(
      `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_run_id, task_id, attempt_number,
         level, message, timestamp)
       select $1, $2, $3, $4, $4 || '-tr-' || (1 + g % ${BIG_TASK_RUNS - 1}), 'work', 1,
              (case when g % 1000 = 999 then 'ERROR' when g % 100 = 50 then 'WARN' when g % 10 = 1 then 'DEBUG'
                    else 'INFO' end)::log_level,
              case when g % 1000 = 999 then 'checksum mismatch in record ' || g || ': expected ' || md5(g::text)
                   else 'processed record ' || g || ' of item ' || (1 + g % ${BIG_TASK_RUNS - 1}) || ' in ' || (g % 97) || ' ms' end,
              $5::timestamptz + (200 * (1 + g % ${BIG_TASK_RUNS - 1}) + g / ${BIG_TASK_RUNS - 1}) * interval '1 millisecond'
       from generate_series($6::bigint, $7::bigint) g`,
      [
        tenantId,
        BIG_NAMESPACE,
        BIG_FLOW,
        BIG_EXECUTION,
        new Date(origin),
        from,
        Math.min(from + chunk, BIG_LOG_LINES) - 1,
      ],
    );
  }
}

async function insertOtherLogs(
  pool: pg.Pool,
  tenantId: string,
  executions: number,
  report: (m: string) => void,
) {
  const chunk = 1_000_000;
  for (let from = 1; from <= OTHER_LOG_LINES; from += chunk) {
    const begin = performance.now();
    // Line g belongs to execution 1 + g % executions, a few seconds after its start (see executions-list.ts).
    await pool.query(
      `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_id, level, message, timestamp)
       select $1, 'company.team' || (e % 20) || '.sub' || (e % 3), 'flow' || (e % 200), 'b' || lpad(e::text, 9, '0'),
              't' || (g % 3), (case when g % 200 = 7 then 'ERROR' when g % 50 = 3 then 'WARN' else 'INFO' end)::log_level,
              'step ' || g || ' done', now() - ((e * 104729) % 7776000) * interval '1 second' + (g / $4) * interval '1 second'
       from generate_series($2::bigint, $3::bigint) g, lateral (select 1 + g % $4 as e) x`,
      [tenantId, from, Math.min(from + chunk - 1, OTHER_LOG_LINES), executions],
    );
    report(
      `  ${Math.min(from + chunk - 1, OTHER_LOG_LINES).toLocaleString("en")} more log lines (${Math.round(performance.now() - begin)} ms)`,
    );
  }
}

/** Whether the data is there (the big execution's lines are written last). */
export async function benchDataReady(pool: pg.Pool): Promise<boolean> {
  const found = await pool.query<{ n: number }>(
    "select count(*)::int as n from log_entries where execution_id = $1",
    [BIG_EXECUTION],
  );
  return (found.rows[0]?.n ?? 0) >= BIG_LOG_LINES;
}

export async function generateExecutionPageData(
  pool: pg.Pool,
  tenantId: string,
  options: { executions: number; report: (m: string) => void },
): Promise<void> {
  const { executions, report } = options;
  const begin = performance.now();
  // An earlier generation that stopped before the big execution keeps its executions and other lines.
  const have = await pool.query<{ executions: number; logs: number }>(
    `select (select count(*) from executions where id like 'b%' and id <> $1)::int as executions,
            (select count(*) from log_entries where execution_id is distinct from $1)::int as logs`,
    [BIG_EXECUTION],
  );
  const done = have.rows[0] ?? { executions: 0, logs: 0 };
  if (done.executions < executions || done.logs < OTHER_LOG_LINES + executions / 10) {
    // truncate fires no delete trigger: the execution stats go with it.
    await pool.query(
      "truncate log_entries, task_runs, executions, execution_stats, execution_duration_stats cascade",
    );
    report(`Generating ${executions.toLocaleString("en")} executions in one tenant…`);
    await generate(pool, tenantId, executions, report);
    report(`Generating ${OTHER_LOG_LINES.toLocaleString("en")} log lines over them…`);
    await insertOtherLogs(pool, tenantId, executions, report);
  }
  report(
    `Generating ${BIG_EXECUTION}: ${BIG_TASK_RUNS} task runs, ${BIG_LOG_LINES.toLocaleString("en")} log lines…`,
  );
  await insertBigExecution(pool, tenantId);
  await pool.query("vacuum analyze executions");
  await pool.query("vacuum analyze task_runs");
  await pool.query("vacuum analyze log_entries");
  await pool.query("vacuum analyze execution_stats");
  await pool.query("vacuum analyze execution_duration_stats");
  report(`  data generated in ${((performance.now() - begin) / 1000).toFixed(0)} s`);
}
