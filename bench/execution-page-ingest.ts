/**
 * What the log search's trigram index costs the hot path that writes logs (not a test):
 *   npx tsx bench/execution-page-ingest.ts
 * Log lines written as the worker writes them (worker/embedded/logs-store.ts insertLogs: batches of 100
 * lines in one statement), without and with the GIN trigram index, in alternating rounds in the same
 * process and database (DATABASE_URL's server, else an embedded PostgreSQL in a temporary directory; a
 * fresh database either way, dropped afterwards), so that the machine's load weighs on both alike. Each
 * round starts from an empty table and writes BENCH_INGEST_LINES lines (default 50,000). GIN's pending
 * list (fastupdate, on by default) is merged into the index as it fills, inside the rounds.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { insertLogs } from "@/worker/embedded/logs-store";
import type { LogEntry } from "@/worker/logs";

const INDEX = "log_entries_execution_id_message_task_id_idx";
const INDEX_SQL = `CREATE INDEX "${INDEX}" ON "log_entries" USING GIN ("execution_id" text_ops, "message" gin_trgm_ops, "task_id" gin_trgm_ops)`;
const WORDS = ["fetched", "row", "user", "order", "payment", "retry", "timeout", "cache", "miss", "upload"];

/** A batch of lines like a task's: varied words, numbers, ids. */
function batch(executionId: string, from: number, size: number): LogEntry[] {
  return Array.from({ length: size }, (_, k) => {
    const i = from + k;
    const word = (n: number) => WORDS[(i * 7 + n * 13) % WORDS.length];
    return {
      executionId,
      namespace: "company.ingest",
      flowId: "ingest",
      taskId: `task_${i % 17}`,
      taskRunId: `${executionId}-tr-${i % 17}`,
      attemptNumber: 1,
      level: i % 50 === 0 ? "WARN" : "INFO",
      message: `${word(1)} ${word(2)} ${i} of ${word(3)} ${((i * 2654435761) % 4294967296).toString(16)} in ${i % 997} ms`,
      timestamp: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    };
  });
}

export async function runIngestBench(
  options: { databaseUrl?: string; lines?: number; rounds?: number; report?: (m: string) => void } = {},
) {
  const report = options.report ?? ((m: string) => console.log(m));
  const lines = options.lines ?? 50_000;
  const rounds = options.rounds ?? 3;
  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-"));
  chmodSync(dataDir, 0o755);
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  const name = `cadenza_bench_ingest_${Date.now()}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  const engine = await (async () => {
    await applyMigrations(url.toString(), migrationsDir);
    return openServerEngine({ databaseUrl: url.toString(), dataDir, report: () => {} });
  })();
  const pool = engine.ctx.pool;
  const rates: Record<"without" | "with", number[]> = { without: [], with: [] };
  try {
    const tenantId = await ensureDefaultTenant(engine);
    const executions = Array.from({ length: 10 }, (_, i) => `ingest-${i}`);
    for (const id of executions)
      await pool.query(
        `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, updated_at)
         values ($1, $2, 'company.ingest', 'ingest', 1, 'RUNNING', now())`,
        [id, tenantId],
      );
    for (let round = 0; round < rounds; round++)
      for (const variant of ["without", "with"] as const) {
        await pool.query("truncate log_entries");
        await pool.query(`drop index if exists "${INDEX}"`);
        if (variant === "with") await pool.query(INDEX_SQL);
        await pool.query("vacuum analyze log_entries");
        const begin = performance.now();
        for (let i = 0; i < lines; i += 100)
          await insertLogs(pool, tenantId, batch(executions[(i / 100) % executions.length] ?? "", i, 100));
        const seconds = (performance.now() - begin) / 1000;
        rates[variant].push(lines / seconds);
        report(`  round ${round + 1}, ${variant} the trigram index: ${Math.round(lines / seconds)} lines/s`);
      }
  } finally {
    await engine.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return { without: median(rates.without), with: median(rates.with), lines, rounds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await runIngestBench({
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(process.env.BENCH_INGEST_LINES ? { lines: Number(process.env.BENCH_INGEST_LINES) } : {}),
  });
  console.log(
    `Log lines written per second (batches of 100, median of ${result.rounds} rounds of ${result.lines.toLocaleString("en")}): ` +
      `${Math.round(result.without)} without the trigram index, ${Math.round(result.with)} with it ` +
      `(${(result.with / result.without).toFixed(2)}×).`,
  );
}
