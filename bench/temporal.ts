/**
 * Benchmark of Temporal mode (not a test): `npx tsx bench/temporal.ts`. On one Temporal dev server (the
 * installed CLI's, or TEMPORAL_ADDRESS's) and one PostgreSQL (an embedded one in a temporary directory),
 * in one run, three ways of doing the same work:
 * - Cadenza on Temporal (the `cadenzaExecution` workflow, its worker in this process);
 * - the embedded engine (no Temporal);
 * - a plain hand-written Temporal workflow doing n trivial activities in sequence (bench/temporal-plain).
 * Cases: a 40-task sequential chain (bench/engine.ts's 40 Log tasks; n = 40 for the plain workflow), and
 * the sustained throughput of a 2-task flow (executions/s, 16 in flight). Figures are medians of several
 * rounds, the Cadenza and plain rounds interleaved so the machine's load falls on both alike.
 * Goal: Cadenza on Temporal within 1.3x of the plain workflow.
 * Light tasks (Log, Return) run as local activities, as CADENZA_INLINE_TASKS does by default;
 * BENCH_INLINE_TASKS=false makes each a regular activity, as the plain workflow's are (and as a script
 * task always is), for the like-for-like figure.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, Connection } from "@temporalio/client";
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from "@temporalio/worker";
import { loadFlow } from "@/engine/flow";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { startTestTemporal } from "@/test/temporal";
import { openHarness } from "@/test/temporal/harness";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";
import { startTemporalWorker, workflowIdOf } from "@/worker/temporal";
import { cpuPerUnit, cpuSnapshot } from "./cpu-usage";
import type { plainChain } from "./temporal-plain/workflows";

const CHAIN = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const INLINE_TASKS = process.env.BENCH_INLINE_TASKS !== "false";

const logChain = (n: number) =>
  `id: chain\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - { id: t${i}, type: core.log.Log, message: "task ${i}" }`).join("\n")}\n`;
const twoTasks = `id: two\nnamespace: bench\ntasks:\n  - { id: a, type: core.log.Log, message: a }\n  - { id: b, type: core.debug.Return, format: b }\n`;

/**
 * Where one workflow's time went, from its history: mean time an activity waited in its queue and ran,
 * a workflow task waited and ran (the worker's step, `persist` included for Cadenza), per occurrence.
 */
async function phases(client: Client, workflowId: string): Promise<Record<string, string>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const at = new Map<number, number>();
  const sums: Record<string, { total: number; count: number }> = {};
  const add = (name: string, ms: number) => {
    sums[name] ??= { total: 0, count: 0 };
    (sums[name] as { total: number; count: number }).total += ms;
    (sums[name] as { total: number; count: number }).count++;
  };
  let markers = 0;
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const time = Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
    at.set(id, time);
    const since = (scheduled: unknown) => time - (at.get(Number(scheduled)) ?? time);
    if (event.activityTaskStartedEventAttributes)
      add("activity: queued", since(event.activityTaskStartedEventAttributes.scheduledEventId));
    if (event.activityTaskCompletedEventAttributes)
      add("activity: running", since(event.activityTaskCompletedEventAttributes.startedEventId));
    if (event.workflowTaskStartedEventAttributes)
      add("workflow task: queued", since(event.workflowTaskStartedEventAttributes.scheduledEventId));
    if (event.workflowTaskCompletedEventAttributes)
      add("workflow task: running", since(event.workflowTaskCompletedEventAttributes.startedEventId));
    if (event.markerRecordedEventAttributes) markers++;
  }
  const out: Record<string, string> = {
    events: String(history.events?.length ?? 0),
    "local activities": String(markers),
  };
  for (const [name, { total, count }] of Object.entries(sums))
    out[name] = `${count} x ${(total / count).toFixed(1)} ms = ${total.toFixed(0)} ms`;
  return out;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Runs `once` for `seconds` with `inFlight` callers at a time: completions per second. */
async function sustained(once: () => Promise<void>, seconds: number, inFlight: number): Promise<number> {
  let count = 0;
  const cpuBefore = cpuSnapshot();
  const stopAt = performance.now() + seconds * 1000;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < stopAt) {
        await once();
        count++;
      }
    }),
  );
  lastCpu = cpuPerUnit(cpuBefore, cpuSnapshot(), count);
  return count / ((performance.now() - begin) / 1000);
}

/** CPU ms per execution of the last `sustained` run, by process group. */
let lastCpu: Record<string, string> = {};

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

interface Row {
  case: string;
  cadenzaTemporal: number;
  plainTemporal: number;
  embedded: number;
  unit: string;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger("WARN") });
  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-temporal-"));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const database = await openDatabase({ databaseUrl: undefined, dataDir });
  const temporal = await startTestTemporal();
  const side = { address: temporal.address, namespace: temporal.namespace };
  try {
    await applyMigrations(database.url, migrationsDir);

    // (a) Cadenza on Temporal.
    const h = await openHarness({
      databaseUrl: database.url,
      dataDir,
      temporal: side,
      inlineTasks: INLINE_TASKS,
      // A deployed worker's pool (openServerEngine's default), as the embedded engine below has it.
      poolSize: 20,
    });
    await h.deploy(logChain(CHAIN));
    await h.deploy(twoTasks);
    const cadenzaWorker = await startTemporalWorker({ ctx: h.engine.ctx, ...side, tenantIds: [h.tenantId] });
    let lastCadenza = "";
    const cadenzaRun = async (flowId: string) => {
      const id = await h.start("bench", flowId);
      lastCadenza = workflowIdOf(h.tenantId, id);
      await h.temporal.workflow.getHandle(workflowIdOf(h.tenantId, id)).result();
      const done = await h.read(id);
      if (done.state.current !== "SUCCESS") throw new Error(`${flowId} ended ${done.state.current}`);
    };

    // (c) The plain workflow, on its own task queue of the same server.
    const plainQueue = "bench-plain";
    const plainConnection = await NativeConnection.connect({ address: side.address });
    const plainWorker = await Worker.create({
      connection: plainConnection,
      namespace: side.namespace,
      taskQueue: plainQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL("./temporal-plain/workflows.ts", import.meta.url)),
        logger: new DefaultLogger("WARN"),
      }),
      activities: { noop: async (index: number) => `noop ${index}` },
      maxConcurrentActivityTaskExecutions: 10,
    });
    const plainRunning = plainWorker.run();
    const clientConnection = await Connection.connect({ address: side.address });
    const client = new Client({ connection: clientConnection, namespace: side.namespace });
    let plainId = 0;
    const plainRun = async (n: number) => {
      await client.workflow.execute<typeof plainChain>("plainChain", {
        taskQueue: plainQueue,
        workflowId: `plain-${++plainId}`,
        args: [n],
      });
    };

    const chain = { cadenza: [] as number[], plain: [] as number[] };
    const two = { cadenza: [] as number[], plain: [] as number[] };
    const twoCpu: Record<string, Record<string, string>> = {};
    await cadenzaRun("chain"); // warm-up: bundles, caches, connections
    await plainRun(CHAIN);
    for (let round = 0; round < ROUNDS; round++) {
      chain.cadenza.push(await timed(() => cadenzaRun("chain")));
      chain.plain.push(await timed(() => plainRun(CHAIN)));
      console.log(
        `round ${round + 1}: 40-task chain cadenza ${chain.cadenza.at(-1)?.toFixed(0)} ms, plain ${chain.plain.at(-1)?.toFixed(0)} ms`,
      );
    }
    console.log("Where the last chain's time went (from its history):");
    console.table({
      "Cadenza on Temporal": await phases(client, lastCadenza),
      plain: await phases(client, `plain-${plainId}`),
    });
    for (let round = 0; round < Math.max(1, Math.ceil(ROUNDS / 2)); round++) {
      two.cadenza.push(await sustained(() => cadenzaRun("two"), THROUGHPUT_SECONDS, IN_FLIGHT));
      twoCpu["Cadenza on Temporal"] = lastCpu;
      two.plain.push(await sustained(() => plainRun(2), THROUGHPUT_SECONDS, IN_FLIGHT));
      twoCpu.plain = lastCpu;
      console.log(
        `round ${round + 1}: 2-task throughput cadenza ${two.cadenza.at(-1)?.toFixed(1)}/s, plain ${two.plain.at(-1)?.toFixed(1)}/s`,
      );
    }
    console.log(
      "CPU ms per 2-task execution in the last round, by process (the machine's cores are the budget):",
    );
    console.table(twoCpu);
    await cadenzaWorker.shutdown();
    plainWorker.shutdown();
    await plainRunning;
    await plainConnection.close();
    await clientConnection.close();
    await h.close();

    // (b) The embedded engine, alone on the machine's share once the Temporal workers are stopped.
    const engine = await openServerEngine({
      databaseUrl: database.url,
      dataDir,
      inlineTasks: INLINE_TASKS,
      report: () => {},
    });
    const embedded = { chain: [] as number[], two: [] as number[] };
    try {
      const tenantId = await ensureDefaultTenant(engine);
      await engine.startRuntime({ scheduler: false, retentionDays: 0, concurrency: 10, pollIntervalMs: 200 });
      for (const yaml of [logChain(CHAIN), twoTasks]) {
        const { flow } = loadFlow(yaml, { registry: engine.ctx.registry });
        if (!flow) throw new Error("bench flow does not load");
        await withTransaction(engine.ctx.pool, (db) =>
          saveFlowRevision(db, engine.ctx.registry, tenantId, flow, yaml),
        );
      }
      const embeddedRun = async (flowId: string) => {
        const started = await engine.client.start(tenantId, "bench", flowId);
        const done = await engine.client.waitForEnd(tenantId, started.id, 120_000);
        if (done.state.current !== "SUCCESS") throw new Error(`${flowId} ended ${done.state.current}`);
      };
      await embeddedRun("chain");
      for (let round = 0; round < ROUNDS; round++)
        embedded.chain.push(await timed(() => embeddedRun("chain")));
      for (let round = 0; round < Math.max(1, Math.ceil(ROUNDS / 2)); round++)
        embedded.two.push(await sustained(() => embeddedRun("two"), THROUGHPUT_SECONDS, IN_FLIGHT));
    } finally {
      await engine.close();
    }

    const rows: Row[] = [
      {
        case: `${CHAIN}-task sequential chain (start to end)`,
        cadenzaTemporal: median(chain.cadenza),
        plainTemporal: median(chain.plain),
        embedded: median(embedded.chain),
        unit: "ms",
      },
      {
        case: `2-task flow, sustained, ${IN_FLIGHT} in flight`,
        cadenzaTemporal: median(two.cadenza),
        plainTemporal: median(two.plain),
        embedded: median(embedded.two),
        unit: "executions/s",
      },
    ];
    console.log(
      `Temporal mode (medians of ${ROUNDS} chain rounds; light tasks ${INLINE_TASKS ? "inline: local activities" : "as activities"}; goal: Cadenza on Temporal <= 1.3x plain)`,
    );
    console.table(
      rows.map((r) => ({
        case: r.case,
        "Cadenza on Temporal": `${r.cadenzaTemporal.toFixed(r.unit === "ms" ? 0 : 1)} ${r.unit}`,
        "plain Temporal": `${r.plainTemporal.toFixed(r.unit === "ms" ? 0 : 1)} ${r.unit}`,
        embedded: `${r.embedded.toFixed(r.unit === "ms" ? 0 : 1)} ${r.unit}`,
        // Slowdown: time ratio for durations, inverse rate ratio for throughput.
        "Cadenza / plain": (r.unit === "ms"
          ? r.cadenzaTemporal / r.plainTemporal
          : r.plainTemporal / r.cadenzaTemporal
        ).toFixed(2),
      })),
    );
  } finally {
    await temporal.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
