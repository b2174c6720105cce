import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["{engine,plugins,server,worker,cli,app,test,bench}/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "e2e/**", ".next/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one file at a time (cores - 1). Most files wait on
    // PostgreSQL, Temporal or child processes rather than compute, so two at a time halves the wall time.
    maxWorkers: 2,
  },
});
