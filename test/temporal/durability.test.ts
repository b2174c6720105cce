import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import {
  activityStarted,
  type Harness,
  openHarness,
  startWorkerProcess,
  type WorkerProcess,
  waitUntil,
} from "./harness";

/**
 * Durability on a real Temporal dev server, with Temporal workers in processes of their own: a worker
 * SIGKILLed mid-activity, the server stopped and restarted on the same SQLite file mid-activity, and a
 * one-minute Pause through both (it is paused while the other two happen). One server, one database and
 * two worker processes (a worker's start is mostly bundling the workflow code, so the replacement is
 * warmed beside the first): the tests run in order, the Pause's real minute overlapping the others.
 */
// TEMPORAL_ADDRESS's server can be neither restarted nor given to these tests alone (other test files
// serve the same tenant's task queue there): they need a dev server of their own.
const ownServer = temporalAvailable && !process.env.TEMPORAL_ADDRESS;
if (!ownServer)
  console.warn(
    `Temporal durability tests skipped: ${
      temporalAvailable ? "TEMPORAL_ADDRESS is set; they need the installed dev server" : TEMPORAL_SKIP_REASON
    }`,
  );

const FLOWS = [
  `id: crash
namespace: durability
tasks:
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["sleep 4", "echo done"]
  - id: after
    type: core.debug.Return
    format: "{{ outputs.work.exitCode }}"
`,
  `id: restart
namespace: durability
tasks:
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["sleep 3"]
  - id: after
    type: core.debug.Return
    format: after
`,
  `id: pause
namespace: durability
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT1M
  - id: after
    type: core.debug.Return
    format: resumed
`,
];

const ended = (e: Execution) =>
  ["SUCCESS", "FAILED", "KILLED", "WARNING", "CANCELLED"].includes(e.state.current);
const run = (e: Execution, taskId: string) => {
  const found = e.taskRunList.find((r) => r.taskId === taskId);
  if (!found) throw new Error(`no task run of ${taskId}`);
  return found;
};

describe.skipIf(!ownServer)("Temporal durability (real dev server, worker processes)", () => {
  let dataDir = "";
  let database: TestDatabase;
  let server: TestTemporal;
  let h: Harness;
  let first: WorkerProcess;
  let second: WorkerProcess;
  let pauseId = "";
  const happened: { killed?: number; restarted?: number } = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "cadenza-durability-"));
    [database, server] = await Promise.all([createTestDatabase(), startTestTemporal()]);
    const temporal = { address: server.address, namespace: server.namespace };
    h = await openHarness({ databaseUrl: database.url, dataDir, temporal });
    for (const yaml of FLOWS) await h.deploy(yaml);
    const worker = () => startWorkerProcess({ databaseUrl: database.url, dataDir, temporal });
    [first, second] = await Promise.all([worker(), worker()]);
    await first.go();
  }, 240_000);

  afterAll(async () => {
    await Promise.allSettled([first?.stop(), second?.stop()]);
    await h?.close().catch(() => undefined);
    await server?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("a worker SIGKILLed mid-activity: the attempt is lost, runs again on a new worker, the execution succeeds", async () => {
    const id = await h.start("durability", "crash");
    pauseId = await h.start("durability", "pause");
    await waitUntil("the shell task's activity to start", () => activityStarted(h, id), 60_000);
    await h.waitFor(pauseId, (e) => e.state.current === "PAUSED", 60_000);
    await first.kill();
    happened.killed = Date.now();
    await second.go();
    const final = await h.waitFor(id, ended, 90_000);
    expect(final.state.current).toBe("SUCCESS");
    const work = run(final, "work");
    // The lost attempt is kept, FAILED and marked lost; the new one (not a retry) succeeded.
    expect(work.attempts.map((a) => [a.state.current, Boolean(a.lost)])).toEqual([
      ["FAILED", true],
      ["SUCCESS", false],
    ]);
    expect(work.attempts[0]?.error?.message).toMatch(/worker running it was lost/);
    expect(run(final, "after").outputs?.value).toBe("0");
  }, 180_000);

  it("the dev server stopped and restarted on the same file mid-activity: the execution continues", async () => {
    const id = await h.start("durability", "restart");
    await waitUntil("the shell task's activity to start", () => activityStarted(h, id), 60_000);
    await server.restart?.();
    happened.restarted = Date.now();
    const final = await h.waitFor(id, ended, 120_000);
    expect(final.state.current).toBe("SUCCESS");
    expect(run(final, "work").state.current).toBe("SUCCESS");
    expect(run(final, "after").outputs?.value).toBe("after");
  }, 180_000);

  it("a Pause of one minute, paused through the worker kill and the server restart, resumes by itself", async () => {
    const paused = await h.read(pauseId);
    const pausedAt = Date.parse(run(paused, "wait").state.startDate);
    // Both happened during its minute (else this test would prove nothing about them).
    expect(happened.killed).toBeGreaterThan(pausedAt);
    expect(happened.restarted).toBeLessThan(pausedAt + 60_000);
    const final = await h.waitFor(pauseId, ended, 120_000);
    expect(final.state.current).toBe("SUCCESS");
    expect(run(final, "after").outputs?.value).toBe("resumed");
    const resumedAt = Date.parse(run(final, "after").state.startDate);
    expect(resumedAt - pausedAt).toBeGreaterThanOrEqual(60_000);
  }, 180_000);
});
