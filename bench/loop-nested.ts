/**
 * Benchmark of a Kestra 2.0 nested Loop on the embedded engine, and of the execution page and REST reads of
 * what it leaves (not a test): `npm run bench:loop` (= `npx tsx bench/loop-nested.ts`; DATABASE_URL's
 * server, else an embedded PostgreSQL in a temporary directory; a fresh database either way, dropped
 * afterwards; with BENCH_DATA_DIR, an embedded PostgreSQL there, kept: a finished run is measured again, not
 * rerun). BENCH_LOOP_LINES sets the size (default 10,000; 500 checks the script in a minute).
 * BENCH_LOOP_READ_LINES=n measures the reads on the run's iterations copied in SQL up to n outer iterations
 * under one execution (replicateIterations): the engine takes hours over 10,000 lines (README, Benchmarks).
 *
 * The flow writes a file of N lines (core.storage.Write), then an outer Loop runs over its lines with
 * concurrencyLimit 50; each iteration (an execution of kind LOOP) logs a line and runs an inner Loop over
 * three values (three more LOOP executions each) with a cheap OutputValues task, and both loops declare
 * per-iteration outputs. Reported: wall time, iterations/s, the peak of running outer iterations (from the
 * stored LOOP executions' start and end dates and from the loop's runningIterations output, sampled while it
 * runs; the bench fails when either exceeds 50) and the database's size.
 *
 * Then each read behind the execution page and the REST API, of the loop's execution and of one iteration,
 * through the service function the page or the route calls (with its JSON serialization), warm, BENCH_RUNS
 * runs each (default 10): median and p95 against the executions issue's budget of 300 ms per query.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import superjson from "superjson";
import { loadFlow } from "@/engine/flow";
import { createPrismaClient } from "@/server/db/client";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine, type ServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { logPage } from "@/server/services/execution-logs";
import { executionRelatives } from "@/server/services/execution-page";
import { getExecutionPageView } from "@/server/services/execution-page-view";
import { getExecution, searchExecutions } from "@/server/services/executions";
import { countExecutions, listExecutionPage } from "@/server/services/executions-list";
import { executionFlowGraph } from "@/server/services/graphs";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";
import { adminScope, plan } from "./executions-list";

export const LOOP_LIMIT = 50;
const NAMESPACE = "bench.loops";
const FLOW = "nested";
const BUDGET_MS = 300;

/** The flow: a file of `lines` lines, an outer Loop over them (at most 50 at once), an inner Loop of 3. */
export function nestedLoopFlow(lines: number, limit = LOOP_LIMIT): string {
  return `id: ${FLOW}
namespace: ${NAMESPACE}
tasks:
  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: "{{ range(1, ${lines}) | join('\\n') }}"
    extension: .txt
  - id: lines
    type: io.kestra.plugin.core.flow.Loop
    values: "{{ outputs.file.uri }}"
    concurrencyLimit: ${limit}
    outputs:
      - id: pairs
        type: JSON
        value: "{{ loopOutputs(outputs.inner.outputs, 'pair') }}"
    tasks:
      - id: say
        type: io.kestra.plugin.core.log.Log
        message: "line {{ item.value }}"
      - id: inner
        type: io.kestra.plugin.core.flow.Loop
        values: [a, b, c]
        outputs:
          - id: pair
            type: STRING
            value: "{{ outputs.leaf.values.pair }}"
        tasks:
          - id: leaf
            type: io.kestra.plugin.core.output.OutputValues
            values:
              pair: "{{ item.parent.value }}{{ item.value }}"
`;
}

export interface LoopRunFigures {
  executionId: string;
  lines: number;
  wallSeconds: number;
  /** Outer iterations per second, and all LOOP executions (outer and inner) per second. */
  iterationsPerSecond: number;
  loopExecutionsPerSecond: number;
  loopExecutions: number;
  /** The most outer iterations running at once, from the stored executions' dates. */
  peakFromDates: number;
  /** The largest runningIterations the loop's run showed while it ran (sampled every 250 ms). */
  peakFromOutput: number;
  databaseBytes: number;
  tableBytes: Record<string, number>;
}

export interface ReadFigure {
  name: string;
  medianMs: number;
  p95Ms: number;
  size?: string;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] ?? 0;
const p95 = (values: number[]) =>
  sorted(values)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)] ?? 0;

/** The most outer iterations running at once: a sweep over their starts and ends (an end first on a tie). */
export async function peakRunningIterations(pool: pg.Pool, executionId: string): Promise<number> {
  const found = await pool.query<{ peak: number | null }>(
    `select max(running)::int as peak from (
       select sum(delta) over (order by at, delta, id rows unbounded preceding) as running from (
         select id, start_date as at, 1 as delta from executions where parent_id = $1 and kind = 'LOOP'
         union all
         select id, end_date, -1 from executions where parent_id = $1 and kind = 'LOOP' and end_date is not null
       ) events
     ) sweep`,
    [executionId],
  );
  return found.rows[0]?.peak ?? 0;
}

/** Runs the flow to its end, sampling the loop's runningIterations; throws unless SUCCESS. */
export async function runNestedLoop(
  engine: ServerEngine,
  tenantId: string,
  lines: number,
  report: (m: string) => void,
): Promise<LoopRunFigures> {
  const pool = engine.ctx.pool;
  const yaml = nestedLoopFlow(lines);
  const { flow, errors } = loadFlow(yaml, { registry: engine.ctx.registry });
  if (!flow) throw new Error(errors[0]?.message);
  await withTransaction(pool, (client) =>
    saveFlowRevision(client, engine.ctx.registry, tenantId, flow, yaml),
  );
  const begin = performance.now();
  const started = await engine.client.start(tenantId, NAMESPACE, FLOW);
  let peakFromOutput = 0;
  let sampling = true;
  const sampler = (async () => {
    let lastReport = performance.now();
    while (sampling) {
      const seen = await pool.query<{ running: number | null; done: number | null }>(
        `select (outputs->>'runningIterations')::int as running, (outputs->>'terminatedIterations')::int as done
           from task_runs where execution_id = $1 and task_id = 'lines'`,
        [started.id],
      );
      const row = seen.rows[0];
      peakFromOutput = Math.max(peakFromOutput, row?.running ?? 0);
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        report(
          `  ${row?.done ?? 0} of ${lines} iterations ended, ${row?.running ?? 0} running (${((performance.now() - begin) / 1000).toFixed(0)} s)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const done = await engine.client
    .waitForEnd(tenantId, started.id, 3_600_000)
    .finally(() => (sampling = false));
  await sampler;
  const wallSeconds = (performance.now() - begin) / 1000;
  if (done.state.current !== SUCCESS)
    throw new Error(`the nested loop ended ${done.state.current}, not SUCCESS`);
  const counted = await pool.query<{ outer: number; all: number; failed: number }>(
    `with recursive tree(id) as (
       select id from executions where parent_id = $1 and kind = 'LOOP'
       union all select e.id from executions e join tree t on e.parent_id = t.id where e.kind = 'LOOP')
     select (select count(*)::int from executions where parent_id = $1 and kind = 'LOOP') as outer,
            count(*)::int as all,
            count(*) filter (where x.state <> 'SUCCESS')::int as failed
       from tree join executions x on x.id = tree.id`,
    [started.id],
  );
  const { outer, all, failed } = counted.rows[0] ?? { outer: 0, all: 0, failed: 0 };
  if (outer !== lines || all !== lines * 4 || failed > 0)
    throw new Error(
      `expected ${lines} outer and ${lines * 4} LOOP executions all SUCCESS, got ${outer}, ${all}, ${failed} not SUCCESS`,
    );
  const peakFromDates = await peakRunningIterations(pool, started.id);
  if (peakFromDates > LOOP_LIMIT || peakFromOutput > LOOP_LIMIT)
    throw new Error(
      `more than ${LOOP_LIMIT} iterations ran at once: ${peakFromDates} (dates), ${peakFromOutput} (output)`,
    );
  await pool.query("vacuum analyze executions");
  await pool.query("vacuum analyze task_runs");
  await pool.query("vacuum analyze log_entries");
  const sizes = await pool.query<{ name: string; bytes: string }>(
    `select 'database' as name, pg_database_size(current_database())::text as bytes
     union all select relname, pg_total_relation_size(oid)::text from pg_class
      where relname in ('executions', 'task_runs', 'log_entries') and relkind = 'r'`,
  );
  const tableBytes = Object.fromEntries(sizes.rows.map((r) => [r.name, Number(r.bytes)]));
  return {
    executionId: started.id,
    lines,
    wallSeconds,
    iterationsPerSecond: lines / wallSeconds,
    loopExecutionsPerSecond: all / wallSeconds,
    loopExecutions: all,
    peakFromDates,
    peakFromOutput,
    databaseBytes: tableBytes.database ?? 0,
    tableBytes,
  };
}
const SUCCESS = "SUCCESS";

/**
 * The run's iterations (their executions, task runs and logs, nested loops' too) copied in SQL under a new
 * execution until it has `total` outer iterations: the reads measured at a size the engine would take hours
 * to run (README, Benchmarks). Copy k's ids end with `-c<copies>-k`, its outer iterations' indexes are
 * shifted by k × lines (in their parent links: their documents keep the original's). Returns its id.
 */
export async function replicateIterations(
  pool: pg.Pool,
  root: string,
  lines: number,
  total: number,
): Promise<string> {
  const copies = Math.ceil(total / lines);
  const copy = `${root}-x${total}`;
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("delete from log_entries where execution_id like $1", [`%-c${copies}-%`]);
    await client.query("delete from executions where id = $1 or id like $2", [copy, `%-c${copies}-%`]);
    // Each iteration with the index of the outer iteration it is in (its own for an outer one).
    await client.query(
      `create temp table tree on commit drop as
       with recursive tree(id, outer_index) as (
         select id, (parent_link->>'iteration')::int from executions where parent_id = $1 and kind = 'LOOP'
         union all
         select e.id, t.outer_index from executions e join tree t on e.parent_id = t.id where e.kind = 'LOOP')
       select id, outer_index from tree`,
      [root],
    );
    await client.query("create temp table ex on commit drop as select * from executions where id = $1", [
      root,
    ]);
    await client.query("update ex set id = $1", [copy]);
    await client.query("insert into executions select * from ex");
    await client.query(
      "create temp table tr on commit drop as select * from task_runs where execution_id = $1",
      [root],
    );
    await client.query(
      "update tr set id = id || $2, execution_id = $1, parent_task_run_id = parent_task_run_id || $2",
      [copy, `-x${total}`],
    );
    await client.query("insert into task_runs select * from tr");
    const logColumns = (
      await client.query<{ name: string }>(
        `select column_name as name from information_schema.columns
          where table_name = 'log_entries' and table_schema = current_schema() and column_name <> 'id'`,
      )
    ).rows.map((r) => `"${r.name}"`);
    const renamed = (c: string) =>
      c === '"execution_id"' || c === '"task_run_id"' ? `l.${c} || $1` : `l.${c}`;
    for (let k = 0; k * lines < total; k++) {
      const suffix = `-c${copies}-${k}`;
      await client.query("truncate ex, tr");
      await client.query(
        "insert into ex select e.* from executions e join tree t on t.id = e.id where t.outer_index + $1::int < $2::int",
        [k * lines, total],
      );
      await client.query("insert into tr select r.* from task_runs r join ex on ex.id = r.execution_id");
      await client.query(
        `update ex set
           parent_link = case when parent_id = $1
             then parent_link || jsonb_build_object('executionId', $2::text,
                    'iteration', (parent_link->>'iteration')::int + $4::int)
             else parent_link || jsonb_build_object('executionId', parent_id || $3) end,
           parent_id = case when parent_id = $1 then $2 else parent_id || $3 end,
           id = id || $3`,
        [root, copy, suffix, k * lines],
      );
      await client.query("insert into executions select * from ex");
      await client.query(
        `insert into log_entries (${logColumns.join(", ")})
         select ${logColumns.map(renamed).join(", ")} from log_entries l join ex on ex.id = l.execution_id || $1`,
        [suffix],
      );
      await client.query(
        "update tr set id = id || $1, execution_id = execution_id || $1, parent_task_run_id = parent_task_run_id || $1",
        [suffix],
      );
      await client.query("insert into task_runs select * from tr");
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
  await pool.query("vacuum analyze executions");
  await pool.query("vacuum analyze task_runs");
  await pool.query("vacuum analyze log_entries");
  return copy;
}

/** Times each read behind the execution page and the REST API, of the loop's execution and one iteration. */
export async function measureLoopReads(options: {
  engine: ServerEngine;
  db: ReturnType<typeof createPrismaClient>;
  tenantId: string;
  executionId: string;
  lines: number;
  runs: number;
  report: (m: string) => void;
}): Promise<ReadFigure[]> {
  const { engine, db, tenantId, executionId: x, runs, report } = options;
  const pool = engine.ctx.pool;
  const scope = adminScope(db, tenantId, async () => engine);
  const figures: ReadFigure[] = [];
  const record = async (name: string, work: () => Promise<string | undefined | unknown>) => {
    let last = await work(); // warm
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const begin = performance.now();
      last = await work();
      samples.push(performance.now() - begin);
    }
    const size = typeof last === "string" ? `${(last.length / 1e3).toFixed(0)} kB` : undefined;
    figures.push({ name, medianMs: median(samples), p95Ms: p95(samples), ...(size ? { size } : {}) });
  };
  const json = (value: unknown) => JSON.stringify(value);

  // The middle outer iteration, and the first inner iteration of it.
  const middle = Math.floor(options.lines / 2);
  const iteration = (
    await pool.query<{ id: string }>(
      `select id from executions where parent_id = $1 and kind = 'LOOP'
          and coalesce((parent_link->>'iteration')::int, (document->'loopRun'->>'index')::int) = $2`,
      [x, middle],
    )
  ).rows[0]?.id as string;
  const inner = (
    await pool.query<{ id: string }>(
      `select id from executions where parent_id = $1 and kind = 'LOOP' order by start_date, id limit 1`,
      [iteration],
    )
  ).rows[0]?.id as string;

  // The loop's execution page: what the page reads on load (tRPC, superjson), then its tabs.
  await record("page: executions.page (slim, packed) + JSON", async () =>
    json(await getExecutionPageView(scope, x)),
  );
  await record("page: executions.relatives (previous, next, children)", async () =>
    superjson.stringify(await executionRelatives(scope, x)),
  );
  await record("page + REST: graph, the loop's nodes coloured by its iterations", async () =>
    json(await executionFlowGraph(scope, x)),
  );
  await record("page: iterations list, first page (parentId + kind LOOP, 50 rows)", async () =>
    superjson.stringify(await listExecutionPage(scope, { parentId: x, kind: "LOOP" }, { size: 50 })),
  );
  await record("page: iterations count (parentId + kind LOOP)", async () =>
    json(await countExecutions(scope, { parentId: x, kind: "LOOP" })),
  );
  await record("page + REST: logs, first 100 lines", async () =>
    json(await logPage(scope, x, { limit: 100 })),
  );
  await record("REST: GET /executions/{id}", async () => json(await getExecution(scope, x)));
  await record("REST: GET /executions/search?kind=LOOP (first page of 25)", async () =>
    json(await searchExecutions(scope, { namespace: NAMESPACE, kind: "LOOP", page: 1, size: 25 })),
  );

  // One iteration's page (an outer iteration: its own nested loop of 3).
  await record(`iteration ${middle}: executions.page + JSON`, async () =>
    json(await getExecutionPageView(scope, iteration)),
  );
  await record(`iteration ${middle}: executions.relatives`, async () =>
    superjson.stringify(await executionRelatives(scope, iteration)),
  );
  await record(`iteration ${middle}: graph`, async () => json(await executionFlowGraph(scope, iteration)));
  await record(`iteration ${middle}: logs, first 100 lines`, async () =>
    json(await logPage(scope, iteration, { limit: 100 })),
  );
  await record(`iteration ${middle}: GET /executions/{id}`, async () =>
    json(await getExecution(scope, iteration)),
  );
  await record(`iteration ${middle}, inner iteration: executions.page + JSON`, async () =>
    json(await getExecutionPageView(scope, inner)),
  );

  report("\nPlans:");
  report(
    `  iterations list, first page\n${await plan(
      pool,
      `select e.id from executions e where e.tenant_id = $1 and e.parent_id = $2 and e.kind = 'LOOP'
        order by e.start_date desc, e.id desc limit 51`,
      [tenantId, x],
    )}`,
  );
  // GET /executions/search?kind=LOOP as Prisma sends it (page and count).
  const search = `from executions e where e.tenant_id = $1 and (e.namespace = $2 or e.namespace like $3) and e.kind = 'LOOP'`;
  report(
    `  REST search kind=LOOP, first page\n${await plan(
      pool,
      `select e.namespace, e.document ${search} order by e.start_date desc, e.id asc limit 25 offset 0`,
      [tenantId, NAMESPACE, `${NAMESPACE}.%`],
    )}`,
  );
  report(
    `  REST search kind=LOOP, its total\n${await plan(pool, `select count(*) ${search}`, [tenantId, NAMESPACE, `${NAMESPACE}.%`])}`,
  );
  return figures;
}

export async function runLoopBench(
  options: {
    databaseUrl?: string;
    /** Kept between runs: the database is not dropped and a finished run is measured again, not rerun. */
    dataDir?: string;
    lines?: number;
    /** Reads measured on the run's iterations copied in SQL up to this many outer iterations (default: none). */
    readLines?: number;
    runs?: number;
    report?: (m: string) => void;
  } = {},
): Promise<{ run: LoopRunFigures; reads: ReadFigure[]; readLines: number }> {
  const report = options.report ?? ((m: string) => console.log(m));
  const lines = options.lines ?? 10_000;
  const keep = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "cadenza-bench-loop-"));
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  const name = keep ? `cadenza_bench_loop_${lines}` : `cadenza_bench_loop_${Date.now()}`;
  const figuresFile = join(dataDir, `loop-${lines}.json`);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
  if (exists.rowCount === 0) await admin.query(`create database ${name}`);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  let engine: ServerEngine | undefined;
  const db = createPrismaClient(url.toString());
  try {
    await applyMigrations(url.toString(), migrationsDir);
    engine = await openServerEngine({ databaseUrl: url.toString(), dataDir, report: () => {} });
    const tenantId = await ensureDefaultTenant(engine);
    let run: LoopRunFigures;
    if (keep && existsSync(figuresFile)) {
      run = JSON.parse(readFileSync(figuresFile, "utf8")) as LoopRunFigures;
      report(`The run of ${lines.toLocaleString("en")} lines is in ${dataDir}: measured again, not rerun.`);
    } else {
      await engine.startRuntime({ scheduler: false, retentionDays: 0, concurrency: 10, pollIntervalMs: 200 });
      report(
        `Running the nested Loop over ${lines.toLocaleString("en")} lines (concurrencyLimit ${LOOP_LIMIT}) on the embedded engine (${database.description})…`,
      );
      run = await runNestedLoop(engine, tenantId, lines, report);
      if (keep) writeFileSync(figuresFile, JSON.stringify(run));
    }
    const readLines = Math.max(lines, options.readLines ?? lines);
    let executionId = run.executionId;
    if (readLines > lines) {
      const begin = performance.now();
      executionId = await replicateIterations(engine.ctx.pool, run.executionId, lines, readLines);
      report(
        `Reads on the run's iterations copied in SQL under ${executionId}: ${readLines.toLocaleString("en")} outer iterations, ${((run.loopExecutions * readLines) / lines).toLocaleString("en")} LOOP executions (copied in ${((performance.now() - begin) / 1000).toFixed(0)} s).`,
      );
    }
    const reads = await measureLoopReads({
      engine,
      db,
      tenantId,
      executionId,
      lines: readLines,
      runs: options.runs ?? 10,
      report,
    });
    return { run, reads, readLines };
  } finally {
    await db.$disconnect();
    await engine?.close();
    if (!keep) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await database.stop();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printLoopBench({
  run,
  reads,
  readLines,
}: {
  run: LoopRunFigures;
  reads: ReadFigure[];
  readLines: number;
}): void {
  const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1e6).toFixed(0)} MB`;
  console.log(`\nNested Loop over ${run.lines.toLocaleString("en")} lines, concurrencyLimit ${LOOP_LIMIT}:`);
  console.table({
    "wall time": `${run.wallSeconds.toFixed(1)} s`,
    "outer iterations/s": run.iterationsPerSecond.toFixed(1),
    "LOOP executions (outer + inner)": run.loopExecutions.toLocaleString("en"),
    "LOOP executions/s": run.loopExecutionsPerSecond.toFixed(1),
    "peak running iterations (stored dates)": `${run.peakFromDates} (limit ${LOOP_LIMIT})`,
    "peak runningIterations output (sampled)": `${run.peakFromOutput} (limit ${LOOP_LIMIT})`,
    "database size": mb(run.databaseBytes),
    "executions / task_runs / log_entries": `${mb(run.tableBytes.executions)} / ${mb(run.tableBytes.task_runs)} / ${mb(run.tableBytes.log_entries)}`,
  });
  console.log(`Reads of the loop's execution over ${readLines.toLocaleString("en")} lines:`);
  console.table(
    reads.map((r) => ({
      read: r.name,
      "median ms": r.medianMs.toFixed(1),
      "p95 ms": r.p95Ms.toFixed(1),
      budget: `≤ ${BUDGET_MS} ms`,
      met: r.p95Ms <= BUDGET_MS ? "yes" : r.medianMs <= BUDGET_MS ? "median only" : "NO",
      size: r.size ?? "",
    })),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { parseEnv } = await import("@/server/env");
  const databaseUrl = parseEnv().DATABASE_URL;
  printLoopBench(
    await runLoopBench({
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : {}),
      lines: Number(process.env.BENCH_LOOP_LINES ?? 10_000),
      ...(process.env.BENCH_LOOP_READ_LINES ? { readLines: Number(process.env.BENCH_LOOP_READ_LINES) } : {}),
      runs: Number(process.env.BENCH_RUNS ?? 10),
    }),
  );
  process.exit(0);
}
