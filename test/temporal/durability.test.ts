import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { createTestDatabase } from "@/test/db";
import { startTestTemporal, TEMPORAL_SKIP_REASON, temporalAvailable } from "@/test/temporal";
import {
  activityStarted,
  type Harness,
  openHarness,
  startWorkerProcess,
  type TemporalSide,
  type WorkerProcess,
  waitUntil,
} from "./harness";

/**
 * Durability on a real Temporal dev server: a worker SIGKILLed mid-activity, the server stopped and
 * restarted on the same SQLite file mid-execution, and a one-minute Pause through both. Each scenario has
 * its own database, dev server and worker processes, so they run at once (the Pause's real minute sets
 * the file's time).
 */
// TEMPORAL_ADDRESS's server can be neither restarted nor given to one scenario alone (other test files
// serve the same tenant's task queue there): these tests need dev servers of their own.
const ownServers = temporalAvailable && !process.env.TEMPORAL_ADDRESS;
if (!ownServers)
  console.warn(
    `Temporal durability tests skipped: ${
      temporalAvailable ? "TEMPORAL_ADDRESS is set; they need the installed dev server" : TEMPORAL_SKIP_REASON
    }`,
  );

interface Scenario {
  h: Harness;
  restartServer(): Promise<void>;
  startWorker(): Promise<WorkerProcess>;
}

/** One isolated world for a scenario, torn down whatever happens. */
async function withScenario(run: (s: Scenario) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-durability-"));
  const [database, server] = await Promise.all([createTestDatabase(), startTestTemporal()]);
  const temporal: TemporalSide = { address: server.address, namespace: server.namespace };
  const workers: WorkerProcess[] = [];
  let h: Harness | undefined;
  try {
    h = await openHarness({ databaseUrl: database.url, dataDir, temporal });
    await run({
      h,
      async restartServer() {
        if (!server.restart) throw new Error("only a dev server started by the test can be restarted");
        await server.restart();
      },
      async startWorker() {
        const worker = await startWorkerProcess({ databaseUrl: database.url, dataDir, temporal });
        workers.push(worker);
        return worker;
      },
    });
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await h?.close().catch(() => undefined);
    await server.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ended = (e: Execution) =>
  ["SUCCESS", "FAILED", "KILLED", "WARNING", "CANCELLED"].includes(e.state.current);
const run = (e: Execution, taskId: string) => {
  const found = e.taskRunList.find((r) => r.taskId === taskId);
  if (!found) throw new Error(`no task run of ${taskId}`);
  return found;
};

describe.skipIf(!ownServers).concurrent("Temporal durability (real dev server)", () => {
  it(
    "a worker SIGKILLed mid-activity: the attempt is lost, runs again on a new worker, the execution succeeds",
    () =>
      withScenario(async ({ h, startWorker }) => {
        await h.deploy(`id: crash
namespace: durability
tasks:
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["sleep 4", "echo done"]
  - id: after
    type: core.debug.Return
    format: "{{ outputs.work.exitCode }}"
`);
        const first = await startWorker();
        const id = await h.start("durability", "crash");
        await waitUntil("the shell task's activity to start", () => activityStarted(h, id), 30_000);
        await first.kill();
        await startWorker();
        const final = await h.waitFor(id, ended, 60_000);
        expect(final.state.current).toBe("SUCCESS");
        const work = run(final, "work");
        // The lost attempt is kept, FAILED and marked lost; the new one (not a retry) succeeded.
        expect(work.attempts.map((a) => [a.state.current, Boolean(a.lost)])).toEqual([
          ["FAILED", true],
          ["SUCCESS", false],
        ]);
        expect(work.attempts[0]?.error?.message).toMatch(/worker running it was lost/);
        expect(run(final, "after").outputs?.value).toBe("0");
      }),
    120_000,
  );

  it(
    "the dev server stopped and restarted on the same file mid-activity: the execution continues",
    () =>
      withScenario(async ({ h, startWorker, restartServer }) => {
        await h.deploy(`id: restart
namespace: durability
tasks:
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["sleep 3"]
  - id: after
    type: core.debug.Return
    format: after
`);
        await startWorker();
        const id = await h.start("durability", "restart");
        await waitUntil("the shell task's activity to start", () => activityStarted(h, id), 30_000);
        await restartServer();
        const final = await h.waitFor(id, ended, 90_000);
        expect(final.state.current).toBe("SUCCESS");
        expect(run(final, "work").state.current).toBe("SUCCESS");
        expect(run(final, "after").outputs?.value).toBe("after");
      }),
    150_000,
  );

  it(
    "a Pause of one minute survives a worker SIGKILL and a server restart, then resumes by itself",
    () =>
      withScenario(async ({ h, startWorker, restartServer }) => {
        await h.deploy(`id: pause
namespace: durability
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT1M
  - id: after
    type: core.debug.Return
    format: resumed
`);
        const first = await startWorker();
        const id = await h.start("durability", "pause");
        const paused = await h.waitFor(id, (e) => e.state.current === "PAUSED", 30_000);
        await first.kill();
        await restartServer();
        await startWorker();
        const final = await h.waitFor(id, ended, 120_000);
        expect(final.state.current).toBe("SUCCESS");
        expect(run(final, "after").outputs?.value).toBe("resumed");
        const pausedAt = Date.parse(run(paused, "wait").state.startDate);
        const resumedAt = Date.parse(run(final, "after").state.startDate);
        expect(resumedAt - pausedAt).toBeGreaterThanOrEqual(60_000);
      }),
    180_000,
  );
});
