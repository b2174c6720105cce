// End-to-end tests against the real `cadenza start`, in Debian's Chromium (/usr/bin/chromium;
// `npx playwright install` would download a browser, which this project never does).
//
// The server gets a free port, its own data directory under the system temp dir, and — when
// DATABASE_URL is set — its own database on that server; e2e/serve.mjs removes both afterwards.
// This file is evaluated in the runner and again in each worker: the choices are handed down
// through environment variables so that every process agrees on them.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const env = process.env;
env.CADENZA_E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
]).toString();
if (!env.CADENZA_E2E_DATA_DIR) {
  env.CADENZA_E2E_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "cadenza-e2e-"));
  chmodSync(env.CADENZA_E2E_DATA_DIR, 0o755); // reachable by the postgres user when we are root
}
if (env.DATABASE_URL && !env.CADENZA_E2E_DATABASE_URL) {
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/cadenza_e2e_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  env.CADENZA_E2E_DATABASE_URL = url.toString();
}
const port = Number(env.CADENZA_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

// Temporal mode (issue 13): a second `cadenza start` with CADENZA_ENGINE=temporal, on a Temporal dev server
// it starts in its own data directory, for the curl journey and a UI run. Without the Temporal CLI
// (`npm run temporal:install`) its tests report themselves skipped (e2e/temporal.ts).
const temporalCli = env.TEMPORAL_CLI ?? path.resolve(".temporal", "bin", "temporal");
const withTemporal = existsSync(temporalCli);
if (withTemporal) {
  env.CADENZA_E2E_TEMPORAL_PORT ??= execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
  if (!env.CADENZA_E2E_TEMPORAL_DATA_DIR) {
    env.CADENZA_E2E_TEMPORAL_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "cadenza-e2e-"));
    chmodSync(env.CADENZA_E2E_TEMPORAL_DATA_DIR, 0o755);
  }
  if (env.DATABASE_URL && !env.CADENZA_E2E_TEMPORAL_DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    url.pathname = `/cadenza_e2e_${Date.now().toString(36)}t${Math.random().toString(36).slice(2, 8)}`;
    env.CADENZA_E2E_TEMPORAL_DATABASE_URL = url.toString();
  }
}
const temporalURL = `http://127.0.0.1:${Number(env.CADENZA_E2E_TEMPORAL_PORT ?? 0)}`;
const TEMPORAL_SPECS = ["api-journey.spec.ts", "execute.spec.ts"];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: true,
  forbidOnly: true,
  // The UI journeys type into Monaco and race live streams on a 2-core machine: one retry in CI, and a test
  // that needed it is reported as flaky (counted apart in the summary), never silently.
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  // Two cores run the server, its engine, PostgreSQL and Chromium: a page's first paint can pass
  // Playwright's 5 s default while the machine is busy. Waiting longer hides no bug (nothing here asserts
  // a duration); bench/ measures speed.
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "chromium", use: { browserName: "chromium" } },
    { name: "temporal", testMatch: TEMPORAL_SPECS, use: { browserName: "chromium", baseURL: temporalURL } },
  ],
  webServer: [
    {
      command: "node e2e/serve.mjs",
      url: `${baseURL}/api/health`,
      // Never attach to whatever already listens on the port: always our own fresh server.
      reuseExistingServer: false,
      // The first run builds the app (30 s or more on a slow machine).
      timeout: 240_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      env: {
        PORT: String(port),
        HOST: "127.0.0.1",
        CADENZA_DATA_DIR: env.CADENZA_E2E_DATA_DIR,
        DATABASE_URL: env.CADENZA_E2E_DATABASE_URL ?? "",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
    ...(withTemporal
      ? [
          {
            // Started after the first server, which has built the app by then.
            command: "node e2e/serve.mjs",
            url: `${temporalURL}/api/health`,
            reuseExistingServer: false,
            timeout: 240_000,
            gracefulShutdown: { signal: "SIGTERM" as const, timeout: 20_000 },
            stdout: "pipe" as const,
            env: {
              PORT: String(env.CADENZA_E2E_TEMPORAL_PORT),
              HOST: "127.0.0.1",
              CADENZA_ENGINE: "temporal",
              CADENZA_DATA_DIR: env.CADENZA_E2E_TEMPORAL_DATA_DIR as string,
              DATABASE_URL: env.CADENZA_E2E_TEMPORAL_DATABASE_URL ?? "",
              NEXT_TELEMETRY_DISABLED: "1",
            },
          },
        ]
      : []),
  ],
});
