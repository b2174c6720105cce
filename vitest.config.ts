import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const all = "{engine,plugins,server,worker,cli,app,test,bench}/**/*.test.{ts,tsx}";
// Pure code's tests (engine/ does no I/O by design; app/ and plugins/ test logic and components): they
// start no server, database or child process and touch no process-wide state, so they share worker
// processes and their loaded modules instead of paying a fresh process and module graph per file (most
// of their time: these 35 files took 80 s of CPU isolated, 51 s shared). Everything else stays isolated.
const pure = "{engine,plugins,app}/**/*.test.{ts,tsx}";
const exclude = ["**/node_modules/**", "e2e/**", ".next/**"];

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one file at a time (cores - 1). Most files wait on
    // PostgreSQL, Temporal or child processes rather than compute, so two at a time halves the wall time.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "pure", include: [pure], exclude, isolate: false } },
      {
        extends: true,
        // The database server and the Temporal bundles (test/db.ts, test/temporal.ts) are for these only.
        test: {
          name: "isolated",
          include: [all],
          exclude: [...exclude, pure],
          globalSetup: ["test/global-setup.ts"],
        },
      },
    ],
  },
});
