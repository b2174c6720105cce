import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { flowPath } from "@/test/conformance/corpus";
import { temporalAvailable } from "@/test/temporal";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import { workflowIdOf } from "./names";
import { setUpTemporalDriver } from "./test/driver-harness";

/**
 * A parent's restart that restarts its failed child in place (Subflow restartBehavior RETRY_FAILED), and a
 * Subflow's `scheduleDate`, on a real Temporal dev server, each against the embedded engine running the
 * same flows on the same database (its runtime beside the Temporal worker, as `cadenza start --engine
 * temporal` runs them).
 */
const h = setUpEmbeddedEngine();
const corpus = (name: string) => readFileSync(flowPath(name), "utf8");
const NS = "io.kestra.tests";

const driver = setUpTemporalDriver(h, "Temporal subflow tests");
beforeAll(async () => {
  if (temporalAvailable) await h.startRuntime({ scheduler: false });
});

/** Each engine behind the same few calls: start, operate, read, wait for the end. */
interface Engine {
  name: string;
  start(flowId: string, inputs?: Record<string, unknown>): Promise<string>;
  operate(id: string, event: { type: "restart" | "kill" }): Promise<void>;
  waitForEnd(id: string): Promise<Execution>;
  /**
   * Until an execution just created takes operations: its workflow has started (Temporal), or, on the
   * embedded engine, what it was sent (its end's notice to a parent) has been applied.
   */
  settle(id: string): Promise<void>;
}
const temporalEngine: Engine = {
  name: "temporal",
  async start(flowId, inputs = {}) {
    const flow = await h.ctx.flows.current(h.pool, TENANT, NS, flowId);
    if (!flow) throw new Error(`flow ${flowId} not deployed`);
    return (await driver.client().start(TENANT, flow, { inputs })).id;
  },
  operate: (id, event) => driver.client().operate(TENANT, id, event),
  waitForEnd: (id) => driver.client().waitForEnd(TENANT, id, 60_000),
  async settle(id) {
    const handle = driver.client().client.workflow.getHandle(workflowIdOf(TENANT, id));
    await pollUntil(
      () =>
        handle.describe().then(
          () => true,
          () => false,
        ),
      (found) => found,
      30_000,
    );
  },
};
const embeddedEngine: Engine = {
  name: "embedded",
  start: async (flowId, inputs = {}) => (await h.client.start(TENANT, NS, flowId, { inputs })).id,
  operate: async (id, event) => {
    await h.client.operate(TENANT, id, event);
  },
  waitForEnd: (id) => h.client.waitForEnd(TENANT, id, 60_000),
  async settle(id) {
    await pollUntil(
      () =>
        h.query<{ n: number }>(
          "select count(*)::int as n from graphile_worker._private_jobs where payload::text like $1 and run_at <= now() + interval '1 second'",
          [`%${id}%`],
        ),
      (rows) => rows[0]?.n === 0,
      30_000,
    );
  },
};

const read = async (id: string) => {
  const found = await h.client.get(TENANT, id);
  if (!found) throw new Error(`execution ${id} not found`);
  return found;
};
/** Polls the read model (PostgreSQL, the same rows for both engines) until `done` holds. */
const until = async (id: string, done: (e: Execution) => boolean, timeoutMs = 60_000) => {
  const found = await pollUntil(
    () => h.client.get(TENANT, id),
    (e) => e !== undefined && done(e),
    timeoutMs,
  );
  if (!found || !done(found))
    throw new Error(`execution ${id} still ${found?.state.current} after ${timeoutMs} ms`);
  return found;
};
/** What both engines must agree on: the task runs, their states, their attempts' states. */
const shape = (e: Execution) => ({
  state: e.state.current,
  histories: e.state.histories.map((s) => s.state),
  taskRuns: e.taskRunList.map((r) => ({
    taskId: r.taskId,
    state: r.state.current,
    histories: r.state.histories.map((s) => s.state),
    attempts: r.attempts.map((a) => a.state.current),
  })),
});
const childOf = (parent: Execution) => String(parent.taskRunList[0]?.outputs?.executionId);
const childCount = async (parentId: string) =>
  (
    await h.query<{ n: number }>("select count(*)::int as n from executions where parent_id = $1", [parentId])
  )[0]?.n;

const RESTART_PARENT = `id: restart_parent
namespace: ${NS}
tasks:
  - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: ${NS}, flowId: restart_last_failed }
`;

describe.skipIf(!temporalAvailable)("Temporal: a parent's restart restarts its failed subflow", () => {
  /** The parent fails with its child, then is restarted: the same child restarts and both end SUCCESS. */
  const restartOn = async (engine: Engine) => {
    const parentId = await engine.start("restart_parent");
    const failed = await engine.waitForEnd(parentId);
    expect(failed.state.current).toBe("FAILED");
    const childId = childOf(failed);
    await until(childId, (e) => e.state.current === "FAILED");
    await engine.operate(parentId, { type: "restart" });
    const done = await until(parentId, (e) => e.state.current === "SUCCESS");
    const child = await until(childId, (e) => e.state.current === "SUCCESS");
    expect(done.taskRunList[0]?.outputs).toMatchObject({ executionId: childId, state: "SUCCESS" });
    expect(child.metadata.attemptNumber).toBe(2);
    expect(child.taskRunList.find((r) => r.taskId === "c")?.attempts).toHaveLength(2);
    expect(await childCount(parentId)).toBe(1);
    return { parent: shape(done), child: shape(child) };
  };

  it("the same child execution runs again and the parent ends SUCCESS, with the embedded engine's task runs", async () => {
    await h.deploy(corpus("restart_last_failed.yaml"));
    await h.deploy(RESTART_PARENT);
    const onTemporal = await restartOn(temporalEngine);
    const onEmbedded = await restartOn(embeddedEngine);
    expect(onTemporal).toEqual(onEmbedded);
  }, 120_000);

  /** The child succeeded meanwhile (restarted on its own): its restart is refused and fails the task run. */
  const refusedOn = async (engine: Engine) => {
    const parentId = await engine.start("restart_parent");
    const failed = await engine.waitForEnd(parentId);
    const childId = childOf(failed);
    await until(childId, (e) => e.state.current === "FAILED");
    await engine.operate(childId, { type: "restart" });
    await until(childId, (e) => e.state.current === "SUCCESS");
    // On the embedded engine the child's end goes to its parent's task run (FAILED: ignored); a restart of
    // the parent before that is applied would take it as the restarted child's.
    await engine.settle(childId);
    await engine.settle(parentId);
    await engine.operate(parentId, { type: "restart" });
    const done = await until(parentId, (e) => e.state.current === "FAILED" && e.metadata.attemptNumber === 2);
    const error = done.taskRunList[0]?.attempts.at(-1)?.error?.message;
    expect(error).toBe(
      `could not restart subflow execution ${childId}: cannot restart an execution that is SUCCESS: only FAILED, KILLED, CANCELLED or PAUSED executions restart`,
    );
    const logs = await h.client.logs(TENANT, parentId);
    expect(logs.some((l) => l.message.includes(`could not restart subflow execution ${childId}`))).toBe(true);
    expect((await read(childId)).state.current).toBe("SUCCESS");
    return shape(done);
  };

  it("a child that cannot restart fails the parent's task run with the reason, as on the embedded engine", async () => {
    await h.deploy(corpus("restart_last_failed.yaml"));
    await h.deploy(RESTART_PARENT);
    const onTemporal = await refusedOn(temporalEngine);
    const onEmbedded = await refusedOn(embeddedEngine);
    expect(onTemporal).toEqual(onEmbedded);
  }, 120_000);

  it("a kill of the parent reaches the restarted child, also a kill right after the restart", async () => {
    await h.deploy(`id: slow_on_restart
namespace: ${NS}
tasks:
  - { id: c, type: io.kestra.plugin.core.log.Log, message: "{{ taskrun.attemptsCount == 1 ? 'ok' : ko }}" }
  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT2M }
`);
    await h.deploy(`id: slow_parent
namespace: ${NS}
tasks:
  - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: ${NS}, flowId: slow_on_restart }
`);
    const parentId = await temporalEngine.start("slow_parent");
    const childId = childOf(await temporalEngine.waitForEnd(parentId));
    await until(childId, (e) => e.state.current === "FAILED");
    await temporalEngine.operate(parentId, { type: "restart" });
    await until(childId, (e) =>
      e.taskRunList.some((r) => r.taskId === "nap" && r.state.current === "RUNNING"),
    );
    await temporalEngine.operate(parentId, { type: "kill" });
    const killed = await temporalEngine.waitForEnd(parentId);
    expect(killed.state.current).toBe("KILLED");
    expect(killed.taskRunList[0]?.state.current).toBe("KILLED");
    const child = await until(childId, (e) => e.state.current === "KILLED", 30_000);
    expect(child.taskRunList.find((r) => r.taskId === "nap")?.state.current).toBe("KILLED");

    // Killed right after the restart: the child's new run may still be being started (the kill then waits
    // for it; how often this window is hit depends on the server's timing).
    const second = await temporalEngine.start("slow_parent");
    const secondChild = childOf(await temporalEngine.waitForEnd(second));
    await until(secondChild, (e) => e.state.current === "FAILED");
    await temporalEngine.operate(second, { type: "restart" });
    await temporalEngine.operate(second, { type: "kill" });
    expect((await temporalEngine.waitForEnd(second)).state.current).toBe("KILLED");
    const killedChild = await until(secondChild, (e) => e.state.current === "KILLED", 30_000);
    expect(killedChild.metadata.attemptNumber).toBe(2);
  }, 120_000);
});

const SCHEDULED_PARENT = `id: scheduled_parent
namespace: ${NS}
inputs:
  - { id: at, type: STRING }
tasks:
  - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: ${NS}, flowId: scheduled_child, scheduleDate: "{{ inputs.at }}" }
`;
const SCHEDULED_CHILD = `id: scheduled_child
namespace: ${NS}
tasks:
  - { id: hello, type: io.kestra.plugin.core.log.Log, message: later }
`;

describe.skipIf(!temporalAvailable)("Temporal: a Subflow's scheduleDate", () => {
  /** The child once stored and its run started (ready for a kill). */
  const waitingChild = async (engine: Engine, parentId: string) => {
    const parent = await until(parentId, (e) => e.taskRunList[0]?.outputs?.executionId !== undefined);
    const childId = childOf(parent);
    await pollUntil(
      () => h.client.get(TENANT, childId),
      (e) => e !== undefined,
      30_000,
    );
    await engine.settle(childId);
    return childId;
  };

  const scheduledOn = async (engine: Engine) => {
    const at = new Date(Date.now() + 5_000);
    const parentId = await engine.start("scheduled_parent", { at: at.toISOString() });
    const childId = await waitingChild(engine, parentId);
    expect((await read(childId)).state.current).toBe("CREATED");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Still waiting, and so is the parent.
    expect((await read(childId)).state.current).toBe("CREATED");
    expect((await read(parentId)).state.current).toBe("RUNNING");
    const parent = await engine.waitForEnd(parentId);
    const child = await until(childId, (e) => e.state.current === "SUCCESS");
    const running = Date.parse(child.state.histories.find((s) => s.state === "RUNNING")?.date ?? "");
    expect(running).toBeGreaterThanOrEqual(at.getTime());
    expect(Date.parse(parent.state.endDate ?? "")).toBeGreaterThanOrEqual(
      Date.parse(child.state.endDate ?? ""),
    );
    expect(child.scheduleDate).toBe(at.toISOString());
    return { parent: shape(parent), child: shape(child) };
  };

  it("the child waits CREATED until the date, then runs, and the parent ends after it", async () => {
    await h.deploy(SCHEDULED_CHILD);
    await h.deploy(SCHEDULED_PARENT);
    const onTemporal = await scheduledOn(temporalEngine);
    expect(onTemporal.parent.state).toBe("SUCCESS");
    expect(onTemporal.child.histories).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
    expect(onTemporal).toEqual(await scheduledOn(embeddedEngine));
  }, 120_000);

  /** A kill of the waiting child, from the API: KILLED at once, and the parent takes that end. */
  const killedOn = async (engine: Engine) => {
    const parentId = await engine.start("scheduled_parent", {
      at: new Date(Date.now() + 120_000).toISOString(),
    });
    const childId = await waitingChild(engine, parentId);
    await engine.operate(childId, { type: "kill" });
    const child = await until(childId, (e) => e.state.current === "KILLED", 20_000);
    const parent = await until(parentId, (e) => e.state.current !== "RUNNING", 20_000);
    return { parent: shape(parent), child: shape(child) };
  };

  it("a kill of the waiting child ends it KILLED and the parent sees its end, as on the embedded engine", async () => {
    await h.deploy(SCHEDULED_CHILD);
    await h.deploy(SCHEDULED_PARENT);
    const onTemporal = await killedOn(temporalEngine);
    expect(onTemporal.child.histories).toEqual(["CREATED", "KILLING", "KILLED"]);
    // A child that ended KILLED fails its task run (transmitFailed), and with it the parent.
    expect(onTemporal.parent.state).toBe("FAILED");
    expect(onTemporal.parent.taskRuns.map((r) => r.state)).toEqual(["FAILED"]);
    expect(onTemporal).toEqual(await killedOn(embeddedEngine));
  }, 120_000);

  it("a kill of the parent right after its Subflow started, or while the child waits, kills the child", async () => {
    await h.deploy(SCHEDULED_CHILD);
    await h.deploy(SCHEDULED_PARENT);
    const parentId = await temporalEngine.start("scheduled_parent", {
      at: new Date(Date.now() + 120_000).toISOString(),
    });
    // At once, while the child is still being created or its workflow started: the kill waits for it.
    const childId = childOf(
      await until(parentId, (e) => e.taskRunList[0]?.outputs?.executionId !== undefined),
    );
    await temporalEngine.operate(parentId, { type: "kill" });
    const child = await until(childId, (e) => e.state.current === "KILLED", 20_000);
    expect(child.taskRunList).toEqual([]);
    const parent = await until(parentId, (e) => e.state.current === "KILLED", 20_000);
    expect(parent.taskRunList[0]?.state.current).toBe("KILLED");
  }, 120_000);
});
