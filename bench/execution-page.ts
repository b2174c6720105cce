/**
 * Benchmark of the execution page's and the dashboard's queries on a large tenant (not a test):
 *   npx tsx bench/execution-page.ts
 * 1,000,000 executions and 10,000,000 log lines in one tenant, one execution of them with 5,000 task runs
 * and 1,000,000 log lines (bench/execution-page-data.ts), generated once into a kept database
 * (bench/bench-database.ts: DATABASE_URL, else an embedded PostgreSQL in BENCH_DATA_DIR). Each query runs
 * through the service function the page calls, warm, median of 5. Goal on a 2-core machine: <= 300 ms per
 * query. The query plans of the log queries are printed, to show which index each uses. The browser's
 * first paints are bench/execution-page-ui.ts.
 */
import { pathToFileURL } from "node:url";
import superjson from "superjson";
import { createPrismaClient } from "@/server/db/client";
import { logCounts, logPage, nextLogLine } from "@/server/services/execution-logs";
import { getExecution } from "@/server/services/executions";
import { openBenchDatabase } from "./bench-database";
import { BIG_EXECUTION } from "./execution-page-data";
import { adminScope, measureExecutionList, plan, time } from "./executions-list";

export interface PageBenchResult {
  name: string;
  ms: number;
  goalMs: number;
  rows?: number | string;
}

export async function runExecutionPageBench(
  options: { databaseUrl?: string; dataDir?: string; report?: (m: string) => void } = {},
): Promise<PageBenchResult[]> {
  const report = options.report ?? ((m: string) => console.log(m));
  const total = 1_000_000;
  const bench = await openBenchDatabase({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    executions: total,
    report,
  });
  const db = createPrismaClient(bench.url);
  const results: PageBenchResult[] = [];
  try {
    const { engine, tenantId } = bench;
    const pool = engine.ctx.pool;
    const counted = await pool.query<{ n: string }>(
      "select count(*) as n from log_entries where tenant_id = $1",
      [tenantId],
    );
    report(`The tenant holds ${Number(counted.rows[0]?.n).toLocaleString("en")} log lines.`);
    const scope = adminScope(db, tenantId, async () => engine);
    const record = async (
      name: string,
      work: () => Promise<unknown>,
      rows?: (r: unknown) => number | string,
    ) => {
      const { ms, result } = await time(work);
      results.push({ name, ms, goalMs: 300, ...(rows ? { rows: rows(result) } : {}) });
      return result;
    };
    const lines = (r: unknown) => (r as { lines: unknown[] }).lines.length;
    const x = BIG_EXECUTION;

    // The execution page's server side: the execution with its 5,000 task runs (what the Gantt and every
    // tab draw), as tRPC sends it (superjson).
    const got = await record("execution page: the execution with 5,000 task runs (executions.get)", () =>
      getExecution(scope, x),
    );
    const json = superjson.stringify(got);
    await record(
      "execution page: executions.get + superjson serialization",
      async () => superjson.stringify(await getExecution(scope, x)),
      () => `${(json.length / 1e6).toFixed(1)} MB`,
    );

    // Logs of the execution with 1,000,000 lines.
    await record("logs: first screen (first 100 lines)", () => logPage(scope, x, { limit: 100 }), lines);
    await record(
      "logs: last 2,000 lines (where the live stream starts)",
      () => logPage(scope, x, { fromEnd: true, limit: 2000 }),
      lines,
    );
    const middle = (
      await pool.query<{ id: string; timestamp: Date }>(
        `select id::text, timestamp from log_entries where execution_id = $1 order by timestamp, id offset 500000 limit 1`,
        [x],
      )
    ).rows[0] as { id: string; timestamp: Date };
    const cursor = { id: middle.id, timestamp: middle.timestamp.toISOString() };
    await record(
      "logs: 500 lines after line 500,000 (keyset)",
      () => logPage(scope, x, { after: cursor, limit: 500 }),
      lines,
    );
    await record(
      "logs: 500 lines before line 500,000 (keyset)",
      () => logPage(scope, x, { before: cursor, limit: 500 }),
      lines,
    );
    await record(
      "logs: level ERROR, first 100",
      () => logPage(scope, x, { minLevel: "ERROR", limit: 100 }),
      lines,
    );
    await record(
      "logs: level WARN and above, first 100",
      () => logPage(scope, x, { minLevel: "WARN", limit: 100 }),
      lines,
    );
    await record(
      "logs: text search (1 line in 1,000 matches), first 100",
      () => logPage(scope, x, { text: "checksum mismatch", limit: 100 }),
      lines,
    );
    await record(
      "logs: text search (1 line matches), first 100",
      () => logPage(scope, x, { text: "record 987654 of", limit: 100 }),
      lines,
    );
    const searched = (r: unknown) => {
      const page = r as { lines: unknown[]; searched?: { lines: number } };
      return page.searched
        ? `${page.lines.length} (searched ${page.searched.lines.toLocaleString("en")} lines)`
        : page.lines.length;
    };
    await record(
      "logs: text search (every line matches), first 100",
      () => logPage(scope, x, { text: "processed", limit: 100 }),
      searched,
    );
    await record(
      "logs: text search, a word in every line and a rare one, first 100",
      () => logPage(scope, x, { text: "processed record 98765", limit: 100 }),
      searched,
    );
    await record(
      "logs: text search, a term too short for trigrams (no match)",
      () => logPage(scope, x, { text: "zq", limit: 100 }),
      searched,
    );
    await record(
      "logs: jump to next error after line 500,000",
      () => nextLogLine(scope, x, { level: "ERROR", after: cursor }),
      (r) => (r ? 1 : 0),
    );
    await record(
      "logs: jump to next error with a search",
      () => nextLogLine(scope, x, { level: "ERROR", text: "record 9", after: cursor }),
      (r) => (r ? 1 : 0),
    );
    const countRows = (r: unknown) => {
      const c = r as {
        total: number;
        matching: number;
        partial?: { reason: "cap" } | { reason: "scanned"; lines: number };
      };
      const n = `${c.matching.toLocaleString("en")} of ${c.total.toLocaleString("en")}`;
      if (!c.partial) return n;
      return c.partial.reason === "cap"
        ? `more than ${n}`
        : `${n} (in the first ${c.partial.lines.toLocaleString("en")})`;
    };
    await record("logs: counts (per level, in all)", () => logCounts(scope, x), countRows);
    await record("logs: counts, level ERROR", () => logCounts(scope, x, { minLevel: "ERROR" }), countRows);
    await record(
      "logs: counts, text search",
      () => logCounts(scope, x, { text: "checksum mismatch" }),
      countRows,
    );
    await record(
      "logs: counts, text search (1 line matches)",
      () => logCounts(scope, x, { text: "record 987654 of" }),
      countRows,
    );
    await record(
      "logs: counts, text search (every line matches)",
      () => logCounts(scope, x, { text: "processed" }),
      countRows,
    );
    await record(
      "logs: counts, a term too short for trigrams",
      () => logCounts(scope, x, { text: "zq" }),
      countRows,
    );

    report("\nPlans of the log queries (the big execution):");
    const planOf = async (label: string, text: string, params: unknown[], trigram = false) => {
      if (!trigram) return report(`  ${label}\n${await plan(pool, text, params)}`);
      const client = await pool.connect();
      try {
        await client.query("begin");
        await client.query("set local enable_indexscan = off");
        await client.query("set local enable_seqscan = off");
        report(`  ${label}\n${await plan(client as unknown as typeof pool, text, params)}`);
        await client.query("rollback");
      } finally {
        client.release();
      }
    };
    await planOf(
      "first screen",
      "select * from log_entries l where l.execution_id = $1 and l.tenant_id = $2 order by l.timestamp, l.id limit 101",
      [x, tenantId],
    );
    await planOf(
      "level ERROR",
      "select * from log_entries l where l.execution_id = $1 and l.tenant_id = $2 and l.level = 'ERROR' order by l.timestamp, l.id limit 101",
      [x, tenantId],
    );
    await planOf(
      "next error",
      "select * from log_entries l where l.execution_id = $1 and l.tenant_id = $2 and l.level = 'ERROR' and (l.timestamp, l.id) > ($3::timestamptz, $4::bigint) order by l.timestamp, l.id limit 1",
      [x, tenantId, cursor.timestamp, cursor.id],
    );
    await planOf(
      "counts per level",
      "select l.level, count(*) from log_entries l where l.execution_id = $1 and l.tenant_id = $2 group by 1",
      [x, tenantId],
    );
    await planOf(
      "text search, the trigram index's candidates (as execution-log-search.ts asks, index scans off)",
      "with c as materialized (select * from log_entries l where l.execution_id = $1 and (l.message ilike $2 or l.task_id ilike $2) limit 5001) select count(*) from c",
      [x, "%checksum%"],
      true,
    );

    report("\nExecutions list and dashboard on the same tenant:");
    for (const r of await measureExecutionList({ db, engine, tenantId, total, report }))
      results.push({
        name: r.name,
        ms: r.ms,
        goalMs: 300,
        ...(r.rows !== undefined ? { rows: r.rows } : {}),
      });
  } finally {
    await db.$disconnect();
    await bench.close();
  }
  return results;
}

export function printPageBench(results: PageBenchResult[]) {
  console.table(
    results.map((r) => ({
      query: r.name,
      "ms (median of 5)": r.ms.toFixed(1),
      goal: `≤ ${r.goalMs} ms`,
      met: r.ms <= r.goalMs ? "yes" : "NO",
      rows: r.rows ?? "",
    })),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  printPageBench(
    await runExecutionPageBench({
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      ...(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : {}),
    }),
  );
}
