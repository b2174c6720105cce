/**
 * Benchmark of the embedded engine (not a test): `npx tsx bench/engine.ts` (DATABASE_URL's server, else an
 * embedded PostgreSQL in a temporary directory; a fresh database either way, dropped afterwards).
 *
 * Every figure comes with the floor measured in the same run: the time of one bare `pg` transaction
 * (begin; update one row; commit), the least a durable state change can cost on this database.
 * - per-task overhead of a 40-task sequential Log chain, from the execution's own timestamps, with light
 *   tasks run inline in the executor's transaction and without (every task a queue job);
 * - the same for 40 `scripts.shell.Commands` running `true`;
 * - fan-out: 100 tasks of one Parallel;
 * - a 100-iteration ForEach (`concurrencyLimit: 1`) of a Log, Kestra's third benchmark flow (bench/peers);
 * - sustained throughput of a 2-task flow started through the engine client, with p95 start-to-end latency.
 * Targets on a 2-core machine: <= 5 ms per in-engine task, >= 100 executions/s of the 2-task flow.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { loadFlow } from "@/engine/flow";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine, type ServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";

export interface EngineBenchResult {
  name: string;
  value: number;
  unit: string;
  /** value divided by the floor (ms per bare transaction), or the floor's rate divided by value for rates. */
  ratioToFloor: number;
  note?: string;
}

const logChain = (n: number, id = "chain") =>
  `id: ${id}\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - { id: t${i}, type: core.log.Log, message: "task ${i}" }`).join("\n")}\n`;
const shellChain = (n: number) =>
  `id: shell\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - { id: s${i}, type: io.kestra.plugin.scripts.shell.Commands, commands: ["true"] }`).join("\n")}\n`;
const fanOut = (n: number) =>
  `id: fan\nnamespace: bench\ntasks:\n  - id: all\n    type: core.flow.Parallel\n    tasks:\n${Array.from({ length: n }, (_, i) => `      - { id: p${i}, type: core.log.Log, message: "p ${i}" }`).join("\n")}\n`;
const loop100 = `id: loop\nnamespace: bench\ntasks:\n  - id: each\n    type: core.flow.ForEach\n    values: ${JSON.stringify(Array.from({ length: 100 }, (_, i) => String(i)))}\n    concurrencyLimit: 1\n    tasks:\n      - { id: log, type: core.log.Log, message: "{{ taskrun.value }}" }\n`;
const twoTasks = `id: two\nnamespace: bench\ntasks:\n  - { id: a, type: core.log.Log, message: a }\n  - { id: b, type: core.debug.Return, format: b }\n`;

async function deploy(engine: ServerEngine, tenantId: string, yaml: string) {
  const { flow, errors } = loadFlow(yaml, { registry: engine.ctx.registry });
  if (!flow) throw new Error(errors[0]?.message);
  await withTransaction(engine.ctx.pool, (client) =>
    saveFlowRevision(client, engine.ctx.registry, tenantId, flow, yaml),
  );
}

async function runOnce(engine: ServerEngine, tenantId: string, flowId: string) {
  const started = await engine.client.start(tenantId, "bench", flowId);
  const done = await engine.client.waitForEnd(tenantId, started.id, 300_000);
  if (done.state.current !== "SUCCESS") throw new Error(`${flowId} ended ${done.state.current}`);
  return Date.parse(done.state.endDate ?? "") - Date.parse(done.state.startDate);
}

/** The floor: ms per bare transaction (begin; update one row; commit) on the same database. */
async function bareCommitMs(url: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("create temporary table bench_floor (id int primary key, n int)");
    await client.query("insert into bench_floor values (1, 0)");
    for (let i = 0; i < 50; i++)
      await client.query("begin; update bench_floor set n = n + 1 where id = 1; commit");
    const start = performance.now();
    for (let i = 0; i < count; i++)
      await client.query("begin; update bench_floor set n = n + 1 where id = 1; commit");
    return (performance.now() - start) / count;
  } finally {
    await client.end();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] as number;

async function throughput(engine: ServerEngine, tenantId: string, seconds: number, inFlight: number) {
  const latencies: number[] = [];
  const stopAt = performance.now() + seconds * 1000;
  const workers = Array.from({ length: inFlight }, async () => {
    while (performance.now() < stopAt) {
      const start = performance.now();
      const execution = await engine.client.start(tenantId, "bench", "two");
      const done = await engine.client.waitForEnd(tenantId, execution.id, 60_000);
      if (done.state.current !== "SUCCESS") throw new Error(`two ended ${done.state.current}`);
      latencies.push(performance.now() - start);
    }
  });
  const begin = performance.now();
  await Promise.all(workers);
  const elapsed = (performance.now() - begin) / 1000;
  return { perSecond: latencies.length / elapsed, p95: percentile(latencies, 0.95), count: latencies.length };
}

export async function runEngineBench(
  options: { databaseUrl?: string; rounds?: number } = {},
): Promise<EngineBenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-"));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  const name = `cadenza_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(database.url);
  url.pathname = `/${name}`;
  const results: EngineBenchResult[] = [];
  try {
    await applyMigrations(url.toString(), migrationsDir);
    const floor = await bareCommitMs(url.toString(), 2000);
    results.push({ name: "floor: one bare pg transaction", value: floor, unit: "ms", ratioToFloor: 1 });
    const rounds = options.rounds ?? 3;
    for (const inline of [true, false]) {
      const engine = await openServerEngine({
        databaseUrl: url.toString(),
        dataDir,
        inlineTasks: inline,
        report: () => {},
      });
      try {
        const tenantId = await ensureDefaultTenant(engine);
        await engine.startRuntime({
          scheduler: false,
          retentionDays: 0,
          concurrency: 10,
          pollIntervalMs: 200,
        });
        for (const yaml of [
          logChain(40),
          logChain(1000, "chain1000"),
          shellChain(40),
          fanOut(100),
          loop100,
          twoTasks,
        ])
          await deploy(engine, tenantId, yaml);
        const label = inline ? "inline light tasks" : "every task queued";
        const chain = median(await sequence(rounds, () => runOnce(engine, tenantId, "chain"))) / 40;
        results.push({
          name: `40 Log tasks in sequence (${label})`,
          value: chain,
          unit: "ms/task",
          ratioToFloor: chain / floor,
        });
        // Cost as an execution grows: every task reads and writes a document that now holds 1,000 task runs.
        const long =
          median(await sequence(Math.min(rounds, 2), () => runOnce(engine, tenantId, "chain1000"))) / 1000;
        results.push({
          name: `1,000 Log tasks in sequence (${label})`,
          value: long,
          unit: "ms/task",
          ratioToFloor: long / floor,
          note: `${(long / chain).toFixed(2)}x the 40-task chain's per task (goal <= 1.5x)`,
        });
        const fan = median(await sequence(rounds, () => runOnce(engine, tenantId, "fan")));
        results.push({
          name: `fan-out: 100 Log tasks in one Parallel (${label})`,
          value: fan,
          unit: "ms total",
          ratioToFloor: fan / floor,
          note: `${(fan / 100).toFixed(2)} ms/task`,
        });
        const loop = median(await sequence(rounds, () => runOnce(engine, tenantId, "loop")));
        results.push({
          name: `100-iteration ForEach of a Log, one at a time (${label})`,
          value: loop,
          unit: "ms total",
          ratioToFloor: loop / floor,
          note: `${(loop / 100).toFixed(2)} ms/iteration`,
        });
        if (inline) {
          const shell =
            median(await sequence(Math.min(rounds, 3), () => runOnce(engine, tenantId, "shell"))) / 40;
          results.push({
            name: "40 shell `true` tasks in sequence",
            value: shell,
            unit: "ms/task",
            ratioToFloor: shell / floor,
          });
        }
        const load = await throughput(engine, tenantId, 8, 16);
        results.push({
          name: `2-task flow, sustained (${label})`,
          value: load.perSecond,
          unit: "executions/s",
          ratioToFloor: 1000 / floor / load.perSecond,
          note: `p95 start-to-end ${load.p95.toFixed(0)} ms over ${load.count} executions; ratio = floor rate / this rate`,
        });
      } finally {
        await engine.close();
      }
    }
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

async function sequence<T>(n: number, run: () => Promise<T>): Promise<T[]> {
  await run();
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await run());
  return out;
}

async function main(): Promise<void> {
  const { parseEnv } = await import("@/server/env");
  const results = await runEngineBench({ databaseUrl: parseEnv().DATABASE_URL });
  console.log(
    "Embedded engine (targets: <= 5 ms per in-engine task, >= 100 executions/s of the 2-task flow)",
  );
  console.table(
    results.map((r) => ({
      case: r.name,
      value: `${r.value.toFixed(2)} ${r.unit}`,
      "x floor": r.ratioToFloor.toFixed(1),
      note: r.note ?? "",
    })),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
