// The Playwright webServer: runs the real `cadenza start` with the environment playwright.config.ts
// chose, then, once it has stopped, removes what the run created: its data directory (under the
// system temp dir) and, when DATABASE_URL names a database on a shared server, that database.
//
// Playwright stops it by sending SIGTERM to the whole process group, so `cadenza start` receives
// the signal directly; this wrapper only waits for it to finish.
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const dataDir = process.env.CADENZA_DATA_DIR ?? "";
const databaseUrl = process.env.DATABASE_URL ?? "";
const child = spawn(process.execPath, ["bin/cadenza.mjs", "start"], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => {});

const code = await new Promise((resolve) => child.once("exit", (exitCode) => resolve(exitCode ?? 1)));
if (dataDir && path.resolve(dataDir).startsWith(path.join(os.tmpdir(), "cadenza-e2e-"))) {
  await rm(dataDir, { recursive: true, force: true });
}
const database = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : "";
if (database.startsWith("cadenza_e2e_")) {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    await client.query(`drop database if exists "${database}" with (force)`);
  } catch (error) {
    process.stderr.write(`e2e: could not drop database ${database}: ${error.message}\n`);
  } finally {
    await client.end().catch(() => {});
  }
}
process.exit(code);
