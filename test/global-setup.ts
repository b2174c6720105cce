// One PostgreSQL server for the whole Vitest run: DATABASE_URL's when it is set (tests then create
// and drop their own databases there and never touch the one it names), else an embedded
// PostgreSQL in a temporary directory, tuned for throwaway data and removed afterwards. On it, one
// migrated template database that each test database copies. Test files reach it through test/db.ts.
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { applyMigrations } from "../server/db/migrate";
import { parseEnv } from "../server/env";
import { migrationsDir } from "../server/paths";
import { checkDatabase } from "../server/runtime/database";
import { temporalAvailable } from "./temporal";

/**
 * The Temporal workflow bundles, made (or checked current) once before the test files start, beside the
 * database: every Temporal test file and worker process then reads them from the bundle cache
 * (worker/temporal/bundle-cache.ts) instead of running webpack again, several at once.
 */
async function warmWorkflowBundles(): Promise<void> {
  if (!temporalAvailable) return;
  const [{ workflowBundle }, { scheduledRunBundle }] = await Promise.all([
    import("../worker/temporal/worker"),
    import("../worker/temporal/schedules/worker"),
  ]);
  await Promise.all([workflowBundle(), scheduledRunBundle()]);
}

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of a database on the test server with the right to create databases. */
    databaseAdminUrl: string;
    /** "external" (DATABASE_URL) or "embedded". */
    databaseKind: "external" | "embedded";
    /** A database with every migration applied, copied by test/db.ts for each migrated test database. */
    databaseTemplate: string;
  }
}

/**
 * Migrates a database once for the whole run, closed to connections so that CREATE DATABASE can copy it
 * (a copy takes a fraction of a second; applying the migrations took seconds for each test database).
 * Returns its name and how to drop it.
 */
async function createTemplateDatabase(
  adminUrl: string,
): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `cadenza_template_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const drop = () => admin(`drop database if exists "${name}" with (force)`);
  await admin(`create database "${name}"`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString(), migrationsDir);
    await admin(`alter database "${name}" with allow_connections false`);
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, drop };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { DATABASE_URL } = parseEnv();
  // A bundle that fails here fails again, with its message, in the test files that need it.
  const bundles = warmWorkflowBundles().catch(() => undefined);
  if (DATABASE_URL) {
    await checkDatabase(DATABASE_URL); // one clear line rather than every test failing on its own
    const template = await createTemplateDatabase(DATABASE_URL);
    await bundles;
    project.provide("databaseAdminUrl", DATABASE_URL);
    project.provide("databaseKind", "external");
    project.provide("databaseTemplate", template.name);
    return template.drop;
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cadenza-vitest-"));
  // mkdtemp makes the directory 0700; when we are root, PostgreSQL runs as `postgres` and must get in.
  await chmod(dataDir, 0o755);
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({
      dataDir,
      database: "postgres",
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let template: Awaited<ReturnType<typeof createTemplateDatabase>>;
  try {
    template = await createTemplateDatabase(server.adminUrl);
  } catch (error) {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  await bundles;
  project.provide("databaseAdminUrl", server.adminUrl);
  project.provide("databaseKind", "embedded");
  project.provide("databaseTemplate", template.name);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
