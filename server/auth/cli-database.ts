// The database for the administration commands (`cadenza admin bootstrap`, `cadenza token create`):
// DATABASE_URL's when set (already migrated, as for the servers); else the embedded PostgreSQL of
// CADENZA_DATA_DIR — the one a running `cadenza start` serves, reached through its postmaster.pid and
// credentials, or else started for the command (and migrated) and stopped after it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CadenzaError } from "../errors";

export interface AdminDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/** The URL of the embedded PostgreSQL that a running `cadenza start` serves from `dataDir`, if one does. */
export async function runningStandaloneUrl(dataDir: string): Promise<string | undefined> {
  try {
    const credentials = JSON.parse(await readFile(path.join(dataDir, "pg-credentials.json"), "utf8")) as {
      user?: string;
      password?: string;
      state?: string;
    };
    // postmaster.pid: pid, data directory, start time, port, ...
    const lines = (await readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8")).split("\n");
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!credentials.user || !credentials.password || credentials.state !== "ready" || !pid || !port)
      return undefined;
    process.kill(pid, 0);
    return `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/cadenza`;
  } catch {
    return undefined;
  }
}

export async function openAdminDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  onProgress?: (message: string) => void;
}): Promise<AdminDatabase> {
  const { checkDatabase, describeUrl, openDatabase } = await import("../runtime/database");
  const { applyMigrations, pendingMigrations } = await import("../db/migrate");
  const { migrationsDir } = await import("../paths");
  if (options.databaseUrl) {
    await checkDatabase(options.databaseUrl);
    const pending = await pendingMigrations(options.databaseUrl, migrationsDir);
    if (pending.length > 0)
      throw new CadenzaError(
        `The database is missing ${pending.length} migration(s): run \`cadenza migrate\` first.`,
      );
    return { url: options.databaseUrl, description: describeUrl(options.databaseUrl), stop: async () => {} };
  }
  const running = await runningStandaloneUrl(options.dataDir);
  if (running) {
    try {
      await checkDatabase(running, { timeoutMs: 2_000 });
      return {
        url: running,
        description: `the running Cadenza's PostgreSQL (${options.dataDir})`,
        stop: async () => {},
      };
    } catch {
      // Not answering: fall through and start it.
    }
  }
  const database = await openDatabase({
    databaseUrl: undefined,
    dataDir: options.dataDir,
    onProgress: options.onProgress,
  });
  try {
    await applyMigrations(database.url, migrationsDir);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return { url: database.url, description: database.description, stop: database.stop };
}
