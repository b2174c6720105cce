/**
 * Benchmark of the Temporal driver's `persist` activity alone (not a test): `npx tsx bench/temporal-persist.ts`.
 * No Temporal server: the activity is called as the workflow calls it, once per step of a 40-task chain
 * (start, then each task's result: 41 writes, each with its step's logs), on an embedded PostgreSQL. Two
 * ways, interleaved round by round so the machine's load falls on both alike:
 * - locked: a process that never wrote the execution (the first write of each execution on a worker, or
 *   after the workflow moved): a transaction that reads the stored document under a row lock, diffs the
 *   task runs, writes row, task runs and logs — the statements every step took before;
 * - remembered: the same worker writing step after step: one statement at the row's version.
 * Figures: median ms per write, and per chain.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Execution, type ExecutorLog, step } from "@/engine/executor";
import { loadFlow } from "@/engine/flow";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine } from "@/server/engine";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";
import { createStoredExecution } from "@/worker/temporal";
import { createPersist } from "@/worker/temporal/activities/persist";

const CHAIN = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const chain = `id: chain\nnamespace: bench\ntasks:\n${Array.from({ length: CHAIN }, (_, i) => `  - { id: t${i}, type: core.log.Log, message: "task ${i}" }`).join("\n")}\n`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-persist-"));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const database = await openDatabase({ databaseUrl: undefined, dataDir });
  try {
    await applyMigrations(database.url, migrationsDir);
    const engine = await openServerEngine({ databaseUrl: database.url, dataDir, report: () => {} });
    const { ctx } = engine;
    const tenantId = await ensureDefaultTenant(engine);
    const { flow } = loadFlow(chain, { registry: ctx.registry });
    if (!flow) throw new Error("bench flow does not load");
    await withTransaction(ctx.pool, (db) => saveFlowRevision(db, ctx.registry, tenantId, flow, chain));
    const stored = await ctx.flows.current(ctx.pool, tenantId, "bench", "chain");
    if (!stored) throw new Error("bench flow not stored");
    const env = { now: () => new Date(), newId: () => ctx.newId(), registry: ctx.registry, functions: {} };

    /** The writes of one chain's execution, as its workflow would ask for them. */
    const steps = async () => {
      const { execution } = await createStoredExecution(ctx, tenantId, stored, {});
      const out: { execution: Execution; logs: ExecutorLog[] }[] = [];
      let current = await step(stored, execution, { type: "start" }, env as never);
      out.push({ execution: current.execution, logs: current.logs });
      for (;;) {
        const run = current.commands.find((c) => c.type === "runTask");
        if (run?.type !== "runTask") break;
        const event = {
          type: "taskResult",
          taskRunId: run.taskRunId,
          attempt: run.attempt,
          state: "SUCCESS",
        };
        current = await step(stored, current.execution, event as never, env as never);
        out.push({ execution: current.execution, logs: current.logs });
      }
      return out;
    };

    const perWrite = { locked: [] as number[], remembered: [] as number[] };
    const perChain = { locked: [] as number[], remembered: [] as number[] };
    const run = async (way: "locked" | "remembered") => {
      const writes = await steps();
      const remembering = createPersist(ctx);
      const begin = performance.now();
      for (const write of writes) {
        const persist = way === "remembered" ? remembering : createPersist(ctx);
        const t = performance.now();
        await persist({ tenantId, ...write });
        perWrite[way].push(performance.now() - t);
      }
      perChain[way].push(performance.now() - begin);
    };
    await run("locked");
    await run("remembered");
    perWrite.locked.length = perWrite.remembered.length = 0;
    perChain.locked.length = perChain.remembered.length = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await run("locked");
      await run("remembered");
    }
    console.log(`persist, ${CHAIN + 1} writes per chain, medians of ${ROUNDS} rounds`);
    console.table({
      locked: {
        "ms per write": median(perWrite.locked).toFixed(2),
        "ms per chain": median(perChain.locked).toFixed(0),
      },
      remembered: {
        "ms per write": median(perWrite.remembered).toFixed(2),
        "ms per chain": median(perChain.remembered).toFixed(0),
      },
    });
    await engine.close();
  } finally {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
