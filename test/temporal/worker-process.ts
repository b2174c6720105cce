/**
 * A Temporal worker in a process of its own, for the durability tests (which SIGKILL it mid-activity):
 * `node test/temporal/worker-process.mjs` with DATABASE_URL, CADENZA_DATA_DIR, TEMPORAL_ADDRESS and
 * TEMPORAL_NAMESPACE set. It does its slow part first (imports, the workflow bundle, the engine) and
 * prints `warm`; on a `go` line on stdin it starts polling the `main` tenant's task queue and prints
 * `ready`. So a test has a replacement worker warm before it kills the first one.
 */
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { ensureDefaultTenant, openServerEngine } from "@/server/engine";
import { startTemporalWorker, workflowBundle } from "@/worker/temporal";

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

// The SDK's INFO lines (worker state changes) would drown the test output.
Runtime.install({ logger: new DefaultLogger("WARN") });

// Built once per process: startTemporalWorker below gets this same bundle.
await workflowBundle();
const engine = await openServerEngine({
  databaseUrl: need("DATABASE_URL"),
  dataDir: need("CADENZA_DATA_DIR"),
  poolSize: 5,
  report: (message, error) => console.error(message, error ?? ""),
});
const tenantId = await ensureDefaultTenant(engine);
process.stdout.write("warm\n");
// The test holds stdin: when it goes (its process died), so does this worker, never left running.
process.stdin.on("end", () => process.exit(0));
await new Promise<void>((resolve) => {
  let input = "";
  process.stdin.on("data", (chunk: Buffer) => {
    input += chunk.toString();
    if (input.includes("go")) resolve();
  });
});
const worker = await startTemporalWorker({
  ctx: engine.ctx,
  address: need("TEMPORAL_ADDRESS"),
  namespace: process.env.TEMPORAL_NAMESPACE ?? "default",
  tenantIds: [tenantId],
});
process.stdout.write("ready\n");
// A graceful stop (SIGTERM) for the tests' clean-up; the durability tests use SIGKILL instead.
process.once("SIGTERM", () => {
  void worker
    .shutdown()
    .then(() => engine.close())
    .finally(() => process.exit(0));
});
