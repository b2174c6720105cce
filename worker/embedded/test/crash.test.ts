import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "./harness";
import { type EngineProcess, spawnEngine } from "./processes";

/**
 * Crash safety with real processes: `cadenza server engine` children are killed with SIGKILL mid-work and
 * another engine takes over. The test's own runtime reaps dead engines after 3 s of silence.
 */
const h = setUpEmbeddedEngine();
const dataDir = mkdtempSync(join(tmpdir(), "cadenza-crash-"));
const children: EngineProcess[] = [];
afterAll(async () => {
  for (const child of children) await child.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

async function engineProcess(extra: Record<string, string> = {}): Promise<EngineProcess> {
  const child = await spawnEngine({
    DATABASE_URL: h.database.url,
    CADENZA_DATA_DIR: dataDir,
    CADENZA_RETENTION_DAYS: "0",
    ...extra,
  });
  children.push(child);
  return child;
}

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) =>
  pollUntil(read, done, timeoutMs, 100);

describe("crash safety", () => {
  it("a worker killed mid-task: another worker runs the attempt again, and the attempts show it", async () => {
    await h.deploy(`id: slow
namespace: crash
tasks:
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 1.5
      - echo '::{"outputs":{"finished":true}}::'
  - { id: after, type: core.log.Log, message: after }
`);
    const first = await engineProcess();
    const started = await h.client.start(TENANT, "crash", "slow");
    await until(
      () => h.client.get(TENANT, started.id),
      (e) => e?.taskRunList[0]?.attempts[0]?.state.current === "RUNNING",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.crash();
    await h.startRuntime({ staleAfterMs: 3_000, heartbeatMs: 500, scheduler: false });
    const done = await h.client.waitForEnd(TENANT, started.id, 40_000);
    expect(done.state.current).toBe("SUCCESS");
    const work = done.taskRunList.find((r) => r.taskId === "work");
    expect(work?.attempts.map((a) => [a.state.current, a.lost ?? false])).toEqual([
      ["FAILED", true],
      ["SUCCESS", false],
    ]);
    expect(work?.attempts[0]?.error?.message).toMatch(/stopped before it ended/);
    expect(work?.outputs).toMatchObject({ vars: { finished: true } });
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["work", "after"]);
  }, 90_000);

  it("the whole engine killed mid-execution: a restarted engine continues where it was", async () => {
    await h.deploy(`id: timers
namespace: crash
tasks:
  - { id: before, type: core.log.Log, message: before }
  - { id: nap, type: core.flow.Sleep, duration: PT2S }
  - id: fan
    type: core.flow.Parallel
    tasks:
      - { id: a, type: io.kestra.plugin.scripts.shell.Commands, commands: ["echo a"] }
      - { id: b, type: core.log.Log, message: b }
`);
    const first = await engineProcess();
    const started = await h.client.start(TENANT, "crash", "timers");
    await until(
      () => h.client.get(TENANT, started.id),
      (e) => e?.taskRunList.some((r) => r.taskId === "nap" && r.state.current === "RUNNING") ?? false,
    );
    await first.crash();
    const second = await engineProcess();
    const done = await h.client.waitForEnd(TENANT, started.id, 40_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current, r.attempts.length])).toEqual([
      ["before", "SUCCESS", 1],
      ["nap", "SUCCESS", 0],
      ["fan", "SUCCESS", 0],
      ["a", "SUCCESS", 1],
      ["b", "SUCCESS", 1],
    ]);
    await second.stop();
  }, 90_000);
});
