/**
 * Benchmark of the executions list and the dashboard on a large tenant (not a test):
 * `npx tsx bench/executions-list.ts` (DATABASE_URL's server, else an embedded PostgreSQL in a temporary
 * directory; a fresh database either way, dropped afterwards). BENCH_EXECUTIONS sets the size (default
 * 1,000,000 executions in one tenant, spread over 90 days, 20 namespaces, 200 flows; plus 1 log line in 10,
 * a tenth of them ERROR). Each query runs through the same service functions as the UI, warm, median of 5.
 * Goal on a 2-core machine: <= 300 ms each. The query plans of the list's pages are printed too.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import type { AuthorizedPrincipal } from "@/server/access/authorize";
import { ACTIONS, PERMISSIONS } from "@/server/access/permissions";
import { createPrismaClient } from "@/server/db/client";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine, type ServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import {
  activeCounts,
  dashboard,
  perNamespace,
  recentErrorLogs,
  slowestFlows,
  stateCountsByBucket,
} from "@/server/services/dashboard";
import { scopedExecutionWhere } from "@/server/services/execution-query";
import {
  countExecutions,
  encodeCursor,
  executionsChangedSince,
  executionsOverTime,
  listExecutionPage,
} from "@/server/services/executions-list";
import { createScope, type ServiceScope } from "@/server/services/scope";

export interface ListBenchResult {
  name: string;
  ms: number;
  rows?: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function time<T>(work: () => Promise<T>, runs = 5): Promise<{ ms: number; result: T }> {
  let result = await work(); // warm
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const begin = performance.now();
    result = await work();
    samples.push(performance.now() - begin);
  }
  return { ms: median(samples), result };
}

/** The triggers that keep the execution stats (migration ..._execution_stats). */
const STATS_TRIGGERS = ["execution_stats_insert", "execution_stats_update", "execution_stats_delete"];

export async function generate(pool: pg.Pool, tenantId: string, total: number, report: (m: string) => void) {
  const chunk = 100_000;
  // One transaction with the stats triggers off, then the stats rebuilt by the migration's backfill
  // (execution_stats_rebuild): counting a million rows one trigger call at a time would take minutes.
  const client = await pool.connect();
  try {
    await client.query("begin");
    for (const name of STATS_TRIGGERS) await client.query(`alter table executions disable trigger ${name}`);
    for (let offset = 0; offset < total; offset += chunk) {
      const n = Math.min(chunk, total - offset);
      const begin = performance.now();
      // Deterministic pseudo-random spread: start dates over 90 days before now, durations 1 s .. ~17 min.
      await client.query(
        `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, start_date, end_date,
           labels, trigger, created_at, updated_at)
         select 'b' || lpad(g::text, 9, '0'), $1,
                'company.team' || (g % 20) || '.sub' || (g % 3),
                'flow' || (g % 200), 1,
                (case when g % 1000 = 7 then 'RUNNING' when g % 10 = 3 then 'FAILED' when g % 20 = 5 then 'WARNING'
                      when g % 33 = 1 then 'KILLED' else 'SUCCESS' end)::state,
                s.start, case when g % 1000 = 7 then null else s.start + ((g * 7919) % 1000 + 1) * interval '1 second' end,
                jsonb_build_array(jsonb_build_object('key', 'env', 'value', case when g % 4 = 0 then 'dev' else 'prod' end),
                                  jsonb_build_object('key', 'team', 'value', 't' || (g % 10))),
                case when g % 5 = 0 then '{"id":"every","type":"io.kestra.plugin.core.trigger.Schedule"}'::jsonb end,
                s.start, s.start + interval '20 minutes'
         from generate_series($2::bigint, $3::bigint) g,
              lateral (select now() - ((g * 104729) % 7776000) * interval '1 second' as start) s`,
        [tenantId, offset + 1, offset + n],
      );
      await client.query(
        `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_id, level, message, timestamp)
         select $1, 'company.team' || (g % 20) || '.sub' || (g % 3), 'flow' || (g % 200), 'b' || lpad(g::text, 9, '0'),
                't1', (case when g % 100 = 3 then 'ERROR' else 'INFO' end)::log_level,
                'message ' || g, now() - ((g * 104729) % 7776000) * interval '1 second'
         from generate_series($2::bigint, $3::bigint) g where g % 10 = 3`,
        [tenantId, offset + 1, offset + n],
      );
      report(
        `  ${(offset + n).toLocaleString("en")} executions (${Math.round(performance.now() - begin)} ms)`,
      );
    }
    for (const name of STATS_TRIGGERS) await client.query(`alter table executions enable trigger ${name}`);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
  const begin = performance.now();
  await pool.query("select execution_stats_rebuild()");
  report(`  execution stats rebuilt (${Math.round(performance.now() - begin)} ms)`);
  // What autovacuum does on a live database: statistics, and the visibility map index-only scans need.
  await pool.query("vacuum analyze executions");
  await pool.query("vacuum analyze log_entries");
  await pool.query("vacuum analyze execution_stats");
  await pool.query("vacuum analyze execution_duration_stats");
}

export function adminScope(
  db: ReturnType<typeof createPrismaClient>,
  tenantId: string,
  engine: ServiceScope["engine"],
) {
  const grants = new Set(PERMISSIONS.flatMap((p) => ACTIONS.map((a) => `${p}:${a}`)));
  const principal: AuthorizedPrincipal = {
    kind: "user",
    id: "bench",
    name: "bench@example.com",
    via: "token",
    access: new Map([[tenantId, [{ grants, namespace: null, role: "Admin" }]]]),
  };
  return createScope({ db, tenant: { id: tenantId, slug: "main", name: "Main" }, principal, engine });
}

export async function plan(pool: pg.Pool, text: string, params: unknown[]): Promise<string> {
  const rows = await pool.query(`explain (analyze, buffers off, costs off, timing off) ${text}`, params);
  return rows.rows.map((r: Record<string, string>) => `    ${r["QUERY PLAN"]}`).join("\n");
}

export async function runExecutionListBench(
  options: { databaseUrl?: string; executions?: number; report?: (m: string) => void } = {},
): Promise<ListBenchResult[]> {
  const report = options.report ?? ((m: string) => console.log(m));
  const total = options.executions ?? 1_000_000;
  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-"));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  const name = `cadenza_bench_list_${Date.now()}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  const results: ListBenchResult[] = [];
  const engine = await (async () => {
    await applyMigrations(url.toString(), migrationsDir);
    return openServerEngine({ databaseUrl: url.toString(), dataDir, report: () => {} });
  })();
  const db = createPrismaClient(url.toString());
  try {
    const tenantId = await ensureDefaultTenant(engine);
    report(`Generating ${total.toLocaleString("en")} executions in one tenant…`);
    const begin = performance.now();
    await generate(engine.ctx.pool, tenantId, total, report);
    report(`  done in ${((performance.now() - begin) / 1000).toFixed(0)} s`);
    results.push(...(await measureExecutionList({ db, engine, tenantId, total, report })));
  } finally {
    await db.$disconnect();
    await engine.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

/** The list's and the dashboard's queries on a tenant holding `total` generated executions. */
export async function measureExecutionList(options: {
  db: ReturnType<typeof createPrismaClient>;
  engine: ServerEngine;
  tenantId: string;
  total: number;
  report: (m: string) => void;
}): Promise<ListBenchResult[]> {
  const { db, engine, tenantId, total, report } = options;
  const results: ListBenchResult[] = [];
  {
    const scope = adminScope(db, tenantId, async () => engine);
    const now = Date.now();
    const week = new Date(now - 7 * 86_400_000);
    const month = new Date(now - 30 * 86_400_000);
    const record = async (label: string, work: () => Promise<unknown>, rows?: (r: unknown) => number) => {
      const { ms, result } = await time(work);
      results.push({ name: label, ms, ...(rows ? { rows: rows(result) } : {}) });
    };
    const pageRows = (r: unknown) => (r as { results: unknown[] }).results.length;

    await record(
      "list: first page (last 7 days, 50 rows)",
      () => listExecutionPage(scope, { from: week }, { size: 50 }),
      pageRows,
    );
    // A cursor deep in the list: the row at position 500,000 of the whole tenant.
    const deep = (
      await engine.ctx.pool.query(
        `select id, start_date as "startDate" from executions where tenant_id = $1 order by start_date desc, id desc offset $2 limit 1`,
        [tenantId, Math.floor(total / 2)],
      )
    ).rows[0] as { id: string; startDate: Date };
    await record(
      `list: page at row ${Math.floor(total / 2).toLocaleString("en")} (no filter, all time)`,
      () => listExecutionPage(scope, {}, { size: 50, cursor: encodeCursor(deep) }),
      pageRows,
    );
    const filtered = {
      namespace: "company.team3",
      states: ["FAILED" as const],
      labels: [{ key: "env", value: "prod" }],
    };
    const deepFiltered = (
      await engine.ctx.pool.query(
        `select id, start_date as "startDate" from executions where tenant_id = $1 and (namespace like 'company.team3.%')
           and state = 'FAILED' and labels @> '[{"key":"env","value":"prod"}]' order by start_date desc, id desc offset $2 limit 1`,
        [tenantId, Math.floor(total * 0.002)],
      )
    ).rows[0] as { id: string; startDate: Date };
    await record(
      `list: filtered (namespace prefix + FAILED + label), page at row ${Math.floor(total * 0.002).toLocaleString("en")} of ~${Math.round(total * 0.00375).toLocaleString("en")}`,
      () => listExecutionPage(scope, filtered, { size: 50, cursor: encodeCursor(deepFiltered) }),
      pageRows,
    );
    await record(
      "list: flow + state filter, first page",
      () => listExecutionPage(scope, { flowId: "flow43", states: ["FAILED"] }, { size: 50 }),
      pageRows,
    );
    await record("list: count, capped at 10,000 (last 7 days)", () => countExecutions(scope, { from: week }));
    await record("list: changed since 5 s ago", () =>
      executionsChangedSince(scope, { from: week }, new Date(now - 5000)),
    );
    await record("list: chart per day by state, last 7 days", () =>
      executionsOverTime(scope, { from: week }, { bucket: "day", timeZone: "Europe/Paris" }),
    );
    await record("list: chart per day by state, namespace prefix, last 7 days", () =>
      executionsOverTime(
        scope,
        { from: week, namespace: "company.team3" },
        { bucket: "day", timeZone: "UTC" },
      ),
    );
    await record("dashboard: chart per day by state, 30 days", () =>
      stateCountsByBucket(scope, { from: month }, { bucket: "day", timeZone: "Europe/Paris" }),
    );
    await record("dashboard: per namespace, 30 days", () => perNamespace(scope, { from: month }));
    await record("dashboard: slowest flows p50/p95, 7 days", () => slowestFlows(scope, { from: week }));
    await record("dashboard: per namespace, 7 days", () => perNamespace(scope, { from: week }));
    await record("dashboard: running and queued now", () => activeCounts(scope, { from: new Date(0) }));
    await record("dashboard: recent error logs", () => recentErrorLogs(scope, { from: week }));
    await record("dashboard: whole (all its queries at once), 24h", () =>
      dashboard(scope, { range: "24h", timeZone: "UTC" }),
    );
    await record("dashboard: whole (all its queries at once), 7d", () =>
      dashboard(scope, { range: "7d", timeZone: "UTC" }),
    );
    await record("dashboard: whole (all its queries at once), 30d", () =>
      dashboard(scope, { range: "30d", timeZone: "UTC" }),
    );
    await record("dashboard: slowest flows p50/p95, 30 days", () => slowestFlows(scope, { from: month }));

    const first = scopedExecutionWhere(scope, { from: week });
    report("\nPlan of the first page:");
    report(
      await plan(
        engine.ctx.pool,
        `select e.id from executions e ${first.clause} order by e.start_date desc, e.id desc limit 51`,
        first.params,
      ),
    );
    const f = scopedExecutionWhere(scope, filtered);
    f.where(`(e.start_date, e.id) < (${f.param(deepFiltered.startDate)}, ${f.param(deepFiltered.id)})`);
    report("Plan of the filtered deep page:");
    report(
      await plan(
        engine.ctx.pool,
        `select e.id from executions e ${f.clause} order by e.start_date desc, e.id desc limit 51`,
        f.params,
      ),
    );
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const executions = Number(process.env.BENCH_EXECUTIONS ?? 1_000_000);
  const results = await runExecutionListBench({ databaseUrl: process.env.DATABASE_URL, executions });
  console.table(
    results.map((r) => ({ query: r.name, "ms (median of 5)": r.ms.toFixed(1), rows: r.rows ?? "" })),
  );
}
