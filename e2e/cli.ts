// Runs the `cadenza` CLI against the server playwright.config.ts started for the test's project (same data
// directory, or same database when DATABASE_URL is set): the administration commands reach its PostgreSQL.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { test } from "@playwright/test";
import { inTemporalProject } from "./temporal";

const run = promisify(execFile);

export async function cadenza(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  // A test of the temporal project administers the Temporal-mode server's database.
  let temporal = false;
  try {
    temporal = inTemporalProject(test.info());
  } catch {
    // Called outside a test (none do today): the first server.
  }
  const e = process.env;
  return run(process.execPath, ["bin/cadenza.mjs", ...args], {
    env: {
      ...e,
      CADENZA_DATA_DIR: (temporal ? e.CADENZA_E2E_TEMPORAL_DATA_DIR : e.CADENZA_E2E_DATA_DIR) ?? "",
      DATABASE_URL: (temporal ? e.CADENZA_E2E_TEMPORAL_DATABASE_URL : e.CADENZA_E2E_DATABASE_URL) ?? "",
      NODE_ENV: "test",
      ...env,
    },
    timeout: 60_000,
  });
}

/** Makes `email` Admin of `tenant` (created if missing) and returns a new API token of theirs there. */
export async function adminWithToken(tenant: string, email: string, password: string): Promise<string> {
  await cadenza(["admin", "bootstrap", "--tenant", tenant, "--email", email, "--password", password]);
  const { stdout } = await cadenza([
    "token",
    "create",
    "--tenant",
    tenant,
    "--email",
    email,
    "--name",
    "e2e",
    "--expires",
    "1d",
  ]);
  return stdout.trim().split("\n").pop() ?? "";
}
