// One PostgreSQL server for the whole Vitest run: DATABASE_URL's when it is set (tests then create
// and drop their own databases there and never touch the one it names), else an embedded
// PostgreSQL in a temporary directory, tuned for throwaway data and removed afterwards.
// Test files reach it through test/db.ts.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { parseEnv } from "../server/env";
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
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { DATABASE_URL } = parseEnv();
  // A bundle that fails here fails again, with its message, in the test files that need it.
  const bundles = warmWorkflowBundles().catch(() => undefined);
  if (DATABASE_URL) {
    // one clear line rather than every test failing on its own
    await Promise.all([checkDatabase(DATABASE_URL), bundles]);
    project.provide("databaseAdminUrl", DATABASE_URL);
    project.provide("databaseKind", "external");
    return async () => {};
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cadenza-vitest-"));
  // mkdtemp makes the directory 0700; when we are root, PostgreSQL runs as `postgres` and must get in.
  await chmod(dataDir, 0o755);
  let server: EmbeddedPostgres;
  try {
    [server] = await Promise.all([
      startEmbeddedPostgres({
        dataDir,
        database: "postgres",
        settings: {
          fsync: "off",
          synchronous_commit: "off",
          full_page_writes: "off",
          max_connections: "300",
        },
      }),
      bundles,
    ]);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide("databaseAdminUrl", server.adminUrl);
  project.provide("databaseKind", "embedded");
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
