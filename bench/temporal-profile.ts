/**
 * Where Cadenza on Temporal spends its time per task (not a test): `npx tsx bench/temporal-profile.ts`.
 * Runs the 40-task Log chain of bench/temporal.ts on a dev server with the production workflow bundle and
 * activities, each activity timed, and prints per run: the wall time and the mean time of each activity
 * (`persist` is the local activity writing the read model after every step; `runTask` one task attempt).
 * What remains of a workflow task's time beyond `persist` is the SDK's (activations, payloads) and `step`.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DefaultLogger, NativeConnection, Runtime, Worker } from "@temporalio/worker";
import { applyMigrations } from "@/server/db/migrate";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { startTestTemporal } from "@/test/temporal";
import { openHarness } from "@/test/temporal/harness";
import {
  createTemporalActivities,
  taskQueueOf,
  temporalEnded,
  workflowBundle,
  workflowIdOf,
} from "@/worker/temporal";

const CHAIN = 40;
const logChain = (n: number) =>
  `id: chain\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - { id: t${i}, type: core.log.Log, message: "task ${i}" }`).join("\n")}\n`;

Runtime.install({ logger: new DefaultLogger("WARN") });
const dataDir = mkdtempSync(join(tmpdir(), "cadenza-profile-"));
chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
const database = await openDatabase({ databaseUrl: undefined, dataDir });
const temporal = await startTestTemporal();
try {
  const side = { address: temporal.address, namespace: temporal.namespace };
  await applyMigrations(database.url, migrationsDir);
  const h = await openHarness({ databaseUrl: database.url, dataDir, temporal: side });
  await h.deploy(logChain(CHAIN));
  const times: Record<string, number[]> = {};
  const activities = Object.fromEntries(
    Object.entries(createTemporalActivities(h.engine.ctx, temporalEnded(h.engine.ctx))).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          (times[name] ??= []).push(performance.now() - start);
        }
      },
    ]),
  );
  const connection = await NativeConnection.connect({ address: side.address });
  const worker = await Worker.create({
    connection,
    namespace: side.namespace,
    taskQueue: taskQueueOf(h.tenantId),
    workflowBundle: await workflowBundle(),
    activities,
    maxConcurrentActivityTaskExecutions: 10,
  });
  const running = worker.run();
  for (let round = 0; round <= Number(process.env.BENCH_ROUNDS ?? 3); round++) {
    for (const name of Object.keys(times)) times[name] = [];
    const start = performance.now();
    const id = await h.start("bench", "chain");
    await h.temporal.workflow.getHandle(workflowIdOf(h.tenantId, id)).result();
    const wall = performance.now() - start;
    if (round === 0) continue; // warm-up
    console.log(`round ${round}: ${wall.toFixed(0)} ms, ${(wall / CHAIN).toFixed(1)} ms/task`);
    console.table(
      Object.fromEntries(
        Object.entries(times).map(([name, values]) => [
          name,
          {
            calls: values.length,
            "mean ms": (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1),
            "total ms": values.reduce((a, b) => a + b, 0).toFixed(0),
          },
        ]),
      ),
    );
  }
  worker.shutdown();
  await running;
  await connection.close();
  await h.close();
} finally {
  await temporal.stop();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
