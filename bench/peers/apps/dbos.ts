/**
 * DBOS Transact's bench app (bench/peers/protocol.ts), durable workflows on the same PostgreSQL as
 * Cadenza (BENCH_DATABASE_URL, a database of its own). Each step is `DBOS.runStep` (one checkpoint); a
 * step's times are DBOS's own record (operation_outputs.started_at / completed_at; DBOS runs a step where
 * its workflow runs, so created = started). DBOS has no HTTP ingress of its own (its docs pair it with
 * Express): workload 3 goes through this app's node:http route, which starts the workflow and answers
 * with its result. Needs bench/peers/node_modules (`npm run bench -- peers` installs it).
 */
import { DBOS } from "@dbos-inc/dbos-sdk";
import pg from "pg";
import { burstOf, type StepTimes, serveApp, timed, timedResult } from "../protocol";

const databaseUrl = process.env.BENCH_DATABASE_URL ?? "";
DBOS.setConfig({ name: "cadenza-bench", systemDatabaseUrl: databaseUrl, logLevel: "error" });

const noop = (i: number) => DBOS.runStep(async () => `noop ${i}`, { name: `noop${i}` });
const chain = DBOS.registerWorkflow(
  async (n: number) => {
    const results: string[] = [];
    for (let i = 0; i < n; i++) results.push(await noop(i));
    return results;
  },
  { name: "chain" },
);
const kestraTwo = DBOS.registerWorkflow(
  async (name: string) => {
    const message = await noop(0);
    return noop(message.length + name.length);
  },
  { name: "kestraTwo" },
);
const kestraIfs = DBOS.registerWorkflow(
  async () => {
    for (let i = 0; i < 5; i++) if (i < 10) await noop(i);
  },
  { name: "kestraIfs" },
);

await DBOS.launch();
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const run = async <A extends unknown[]>(workflow: (...args: A) => Promise<unknown>, ...args: A) => {
  const handle = await DBOS.startWorkflow(workflow)(...args);
  await handle.getResult();
  return handle.workflowID;
};

await serveApp(
  {
    async chain(n) {
      const { value: id, ms } = await timedResult(() => run(chain, n));
      const rows = await pool.query<{ started: string; ended: string }>(
        `select started_at_epoch_ms as started, completed_at_epoch_ms as ended
           from dbos.operation_outputs where workflow_uuid = $1 order by function_id`,
        [id],
      );
      const steps = rows.rows.map(
        (r): StepTimes => ({
          created: Number(r.started),
          started: Number(r.started),
          ended: Number(r.ended),
        }),
      );
      return { steps, ms };
    },
    three: () => timed(() => run(chain, 3)),
    burst: (count) => burstOf(count, () => run(chain, 3)),
    routes: {
      "/kestra/two": () => run(kestraTwo, "World"),
      "/kestra/ifs": () => run(kestraIfs),
      "/kestra/loop": () => run(chain, 100),
    },
    async close() {
      await pool.end();
      await DBOS.shutdown();
    },
  },
  (base) => ({
    system: "DBOS Transact",
    ingress: { two: `${base}/kestra/two`, ifs: `${base}/kestra/ifs`, loop: `${base}/kestra/loop` },
  }),
);
