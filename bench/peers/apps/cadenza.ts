/**
 * Cadenza's bench app (bench/peers/protocol.ts), one engine per process as `cadenza start` runs it:
 * BENCH_CADENZA_MODE = inline (light tasks in the executor's transaction, the default setting), queued
 * (every task a queue job) or temporal (Temporal mode on BENCH_TEMPORAL_ADDRESS). Workload 3 goes through
 * the REST API's webhook route (server/rest, the handler the Next route runs) on a node:http server of
 * its own: the same rate limit, audit row and `wait` as in production, without Next in front.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFlow } from "@/engine/flow";
import { createPrismaClient } from "@/server/db/client";
import { ensureDefaultTenant, openServerEngine } from "@/server/engine";
import { handleRest } from "@/server/rest/handler";
import { router } from "@/server/rest/routes";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";
import { burstOf, type StepTimes, serveApp, timed, timedResult } from "../protocol";

const mode = process.env.BENCH_CADENZA_MODE ?? "inline";
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "";
const temporalAddress = process.env.BENCH_TEMPORAL_ADDRESS ?? "";
const KEY = "benchmark";

const returns = (id: string, n: number) =>
  `id: ${id}\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - { id: t${i}, type: core.debug.Return, format: "${i}" }`).join("\n")}\n`;
const webhook = `triggers:\n  - { id: webhook, type: io.kestra.plugin.core.trigger.Webhook, key: ${KEY}, wait: true }\n`;
// Kestra's benchmark flows (kestra.io/docs/performance/benchmark): benchmark01 as published; the If and
// loop flows as described there (5 If tasks = 10 task runs; a 100-iteration loop).
const two = `id: two\nnamespace: bench\ninputs:\n  - { id: name, type: STRING, defaults: World }\n${webhook}tasks:\n  - id: concatenate\n    type: io.kestra.plugin.core.output.OutputValues\n    values: { message: "Hello {{ inputs.name }}" }\n  - { id: hello, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.concatenate.values.message }}" }\n`;
const ifs = `id: ifs\nnamespace: bench\n${webhook}tasks:\n${Array.from({ length: 5 }, (_, i) => `  - id: if${i}\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ ${i} < 10 }}"\n    then:\n      - { id: log${i}, type: io.kestra.plugin.core.log.Log, message: "branch ${i}" }`).join("\n")}\n`;
const loop = `id: loop\nnamespace: bench\n${webhook}tasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: ${JSON.stringify(Array.from({ length: 100 }, (_, i) => String(i)))}\n    concurrencyLimit: 1\n    tasks:\n      - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ taskrun.value }}" }\n`;

const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-peers-"));
const engine = await openServerEngine({
  databaseUrl,
  dataDir,
  inlineTasks: mode !== "queued",
  poolSize: 20,
  ...(mode === "temporal"
    ? { mode: { kind: "temporal" as const, temporal: { address: temporalAddress, namespace: "default" } } }
    : {}),
  report: () => {},
});
const tenantId = await ensureDefaultTenant(engine);
const deployed = new Set<string>();
async function deploy(yaml: string): Promise<void> {
  const { flow, errors } = loadFlow(yaml, { registry: engine.ctx.registry });
  if (!flow) throw new Error(errors.map((e) => e.message).join("; "));
  await withTransaction(engine.ctx.pool, (db) =>
    saveFlowRevision(db, engine.ctx.registry, tenantId, flow, yaml),
  );
  deployed.add(flow.id);
}
for (const yaml of [returns("three", 3), two, ifs, loop]) await deploy(yaml);
const runtime = await engine.startRuntime({
  scheduler: false,
  retentionDays: 0,
  concurrency: 10,
  pollIntervalMs: 200,
});

async function run(flowId: string) {
  const started = await engine.client.start(tenantId, "bench", flowId);
  const done = await engine.client.waitForEnd(tenantId, started.id, 300_000);
  if (done.state.current !== "SUCCESS") throw new Error(`${flowId} ended ${done.state.current}`);
  return done;
}

const db = createPrismaClient(databaseUrl);
let inFlight = 0;
const api = createServer((request, response) => {
  inFlight++;
  response.once("close", () => inFlight--);
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string") headers.set(name, value);
    const method = request.method ?? "GET";
    const answer = await handleRest(
      new Request(`http://127.0.0.1${request.url}`, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      }),
      { db, engine: async () => engine, session: async () => null, router },
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
});
api.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
const apiPort = (api.address() as { port: number }).port;
const hook = (flowId: string) =>
  `http://127.0.0.1:${apiPort}/api/v1/main/executions/webhook/bench/${flowId}/${KEY}`;

await serveApp(
  {
    async chain(n) {
      const flowId = `chain${n}`;
      if (!deployed.has(flowId)) await deploy(returns(flowId, n));
      const { value: done, ms } = await timedResult(() => run(flowId));
      const at = (history: { state: string; date: string }[], ...states: string[]) =>
        Date.parse(history.find((h) => states.includes(h.state))?.date ?? "");
      const steps = done.taskRunList.map(
        (taskRun): StepTimes => ({
          created: at(taskRun.state.histories, "CREATED"),
          started: at(taskRun.state.histories, "RUNNING", "SUCCESS"),
          ended: at(taskRun.state.histories, "SUCCESS"),
        }),
      );
      return { steps, ms };
    },
    three: () => timed(() => run("three")),
    burst: (count) => burstOf(count, () => run("three")),
    async close() {
      // Webhook calls the load gave up on may still be waiting for their executions: let them end first.
      api.close();
      for (let i = 0; i < 300 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 100));
      api.closeAllConnections();
      await runtime.stop();
      await engine.close();
      await db.$disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    },
  },
  () => ({
    system: `Cadenza ${mode === "temporal" ? "Temporal mode" : `embedded, ${mode}`}`,
    ingress: { two: hook("two"), ifs: hook("ifs"), loop: hook("loop") },
  }),
);
