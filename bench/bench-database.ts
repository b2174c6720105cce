/**
 * The kept database of the execution page bench: DATABASE_URL's, else an embedded PostgreSQL in
 * BENCH_DATA_DIR (default /tmp/cadenza-bench-execution-page), which is also a CADENZA_DATA_DIR: `cadenza start`
 * with CADENZA_DATA_DIR set to it serves the same data to the browser bench. Migrations are applied on
 * every open (new indexes are built on the existing data); the data is generated only when missing.
 */
import { mkdirSync } from "node:fs";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine, type ServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { benchDataReady, generateExecutionPageData } from "./execution-page-data";

export const DEFAULT_BENCH_DATA_DIR = "/tmp/cadenza-bench-execution-page";

export interface BenchDatabase {
  url: string;
  engine: ServerEngine;
  tenantId: string;
  close: () => Promise<void>;
}

export async function openBenchDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
  executions: number;
  report: (m: string) => void;
}): Promise<BenchDatabase> {
  const dataDir = options.dataDir ?? DEFAULT_BENCH_DATA_DIR;
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  try {
    const begin = performance.now();
    await applyMigrations(database.url, migrationsDir);
    options.report(
      `Migrations applied in ${Math.round(performance.now() - begin)} ms (${database.description})`,
    );
    const engine = await openServerEngine({ databaseUrl: database.url, dataDir, report: () => {} });
    const tenantId = await ensureDefaultTenant(engine);
    if (!(await benchDataReady(engine.ctx.pool)))
      await generateExecutionPageData(engine.ctx.pool, tenantId, options);
    else options.report(`Bench data found in ${database.description}: not generated again.`);
    return {
      url: database.url,
      engine,
      tenantId,
      close: async () => {
        await engine.close();
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}
