import { describe, expect, it } from "vitest";
import { harness, runOf, START } from "@/engine/executor/test/harness";

/** Behaviour the memory driver lacked before it used the shared driver core (worker/core/README.md). */
describe("memory driver, through worker/core", () => {
  it("stopAfter: a trigger is disabled once an execution it started ends in one of its states", async () => {
    const h = harness({
      flows: [
        `id: listener
namespace: t
tasks:
  - { id: a, type: core.log.Log, message: heard }
triggers:
  - id: on-up
    type: core.trigger.Flow
    stopAfter: [SUCCESS]
    conditions:
      - { type: core.condition.ExecutionFlow, namespace: t, flowId: up }
`,
      ],
    });
    const up = `id: up\nnamespace: t\ntasks:\n  - { id: a, type: core.log.Log, message: hi }\n`;
    await h.run(up);
    await h.engine.idle();
    await h.run(up);
    await h.engine.idle();
    const heard = [...h.engine.executions.values()].filter((e) => e.flowId === "listener");
    expect(heard.map((e) => e.state.current)).toEqual(["SUCCESS"]);
  });

  it("Subflow revision: that revision runs, and an unknown one fails the task run", async () => {
    const h = harness();
    h.load(
      `id: child\nnamespace: t\nrevision: 1\ntasks:\n  - { id: old, type: core.log.Log, message: one }\n`,
    );
    h.load(
      `id: child\nnamespace: t\nrevision: 2\ntasks:\n  - { id: new, type: core.log.Log, message: two }\n`,
    );
    const parent = await h.run(
      `id: p\nnamespace: t\ntasks:\n  - { id: call, type: core.flow.Subflow, namespace: t, flowId: child, revision: 1 }\n`,
    );
    expect(parent.state.current).toBe("SUCCESS");
    const child = h.engine.get(String(runOf(parent, "call").outputs?.executionId));
    expect(child.taskRunList.map((r) => r.taskId)).toEqual(["old"]);
    const missing = await h.run(
      `id: p2\nnamespace: t\ntasks:\n  - { id: call, type: core.flow.Subflow, namespace: t, flowId: child, revision: 7 }\n`,
    );
    expect(missing.state.current).toBe("FAILED");
    expect(h.logsOf(missing).find((l) => l.level === "ERROR")?.message).toBe(
      "flow t.child revision 7 not found",
    );
  });

  it("Subflow scheduleDate: the child is created at once and starts at that date", async () => {
    const h = harness({
      flows: [`id: child\nnamespace: t\ntasks:\n  - { id: a, type: core.log.Log, message: later }\n`],
    });
    const at = new Date(START + 3_600_000).toISOString();
    const parent = await h.run(
      `id: p\nnamespace: t\ntasks:\n  - { id: call, type: core.flow.Subflow, namespace: t, flowId: child, scheduleDate: "${at}" }\n`,
    );
    expect(parent.state.current).toBe("SUCCESS");
    const child = h.engine.get(String(runOf(parent, "call").outputs?.executionId));
    expect(child.state.current).toBe("SUCCESS");
    expect(Date.parse(child.state.histories.find((s) => s.state === "RUNNING")?.date ?? "")).toBe(
      Date.parse(at),
    );
  });
});
