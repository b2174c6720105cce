import { describe, expect, it } from "vitest";
import { createExecution } from "../create";
import { step } from "../step";
import { harness, histories } from "./harness";

const env = (registry: ReturnType<typeof harness>["registry"], running = 0) => {
  let n = 0;
  return {
    now: () => new Date("2024-01-01T00:00:00Z"),
    newId: () => `x${++n}`,
    random: () => 0.5,
    registry,
    runningCount: async () => running,
  };
};

describe("Kestra's force-run / unqueue (start with force) and change-status", () => {
  const limited = `id: limited
namespace: t
concurrency: { limit: 1 }
tasks: [{ id: a, type: core.log.Log, message: a }]
`;

  it("a start at the concurrency limit queues; a forced one runs past it", async () => {
    const h = harness();
    const flow = h.load(limited);
    const created = await createExecution(flow, {}, env(h.registry, 1));
    const queued = await step(flow, created, { type: "start" }, env(h.registry, 1));
    expect(queued.execution.state.current).toBe("QUEUED");
    const forced = await step(flow, queued.execution, { type: "start", force: true }, env(h.registry, 1));
    expect(forced.execution.state.current).toBe("RUNNING");
    expect(forced.commands.map((c) => c.type)).toContain("runTask");
    expect(forced.logs.map((l) => l.message)).toContain("Forced to run (it was QUEUED)");
  });

  it("change-status: an ended execution takes another end state, nothing runs; others are refused", async () => {
    const h = harness();
    const flow = h.load(`id: f\nnamespace: t\ntasks: [{ id: boom, type: core.execution.Fail }]\n`);
    const failed = await h.run(flow);
    const changed = await step(flow, failed, { type: "changeStatus", state: "SUCCESS" }, env(h.registry));
    expect(changed.execution.state.current).toBe("SUCCESS");
    expect(histories(changed.execution.state).slice(-2)).toEqual(["FAILED", "SUCCESS"]);
    expect(changed.commands).toEqual([]);
    await expect(
      step(flow, failed, { type: "changeStatus", state: "RUNNING" }, env(h.registry)),
    ).rejects.toMatchObject({ name: "ExecutionOperationError", code: "INVALID_INPUT" });
    const created = await createExecution(flow, {}, env(h.registry));
    await expect(
      step(flow, created, { type: "changeStatus", state: "SUCCESS" }, env(h.registry)),
    ).rejects.toMatchObject({ name: "ExecutionOperationError", code: "INVALID_STATE" });
  });
});
