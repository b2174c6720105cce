import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { applyTaskResult } from "../group-apply";
import { setUpEmbeddedEngine, TENANT } from "./harness";

/** Task results for one execution arriving together are applied together (group-apply.ts). */
const h = setUpEmbeddedEngine({ inlineTasks: false });

describe("embedded engine: results applied together", () => {
  it("applies results that arrive during a transaction in the next one, in order, all of them", async () => {
    await h.deploy(`id: fan
namespace: company.team
tasks:
  - id: all
    type: core.flow.Parallel
    tasks:
${["a", "b", "c", "d"].map((id) => `      - { id: ${id}, type: core.debug.Return, format: ${id} }`).join("\n")}
  - { id: after, type: core.debug.Return, format: "{{ outputs.a.value }}{{ outputs.d.value }}" }
`);
    // No runtime: the attempts wait in the queue, and their results are sent from here, all at once.
    const started = await h.client.start(TENANT, "company.team", "fan");
    const running = (await h.client.get(TENANT, started.id)) as Execution;
    const runs = running.taskRunList.filter((r) => ["a", "b", "c", "d"].includes(r.taskId));
    expect(runs.map((r) => r.state.current)).toEqual(["RUNNING", "RUNNING", "RUNNING", "RUNNING"]);
    const applied = await Promise.all(
      runs.map((run) =>
        applyTaskResult(h.ctx, started.id, {
          type: "taskResult",
          taskRunId: run.id,
          attempt: 1,
          state: "SUCCESS",
          outputs: { value: run.taskId },
        }),
      ),
    );
    // The first went alone; the three that arrived meanwhile went in one transaction, and saw one result.
    expect(applied[1]).toBe(applied[2]);
    expect(applied[2]).toBe(applied[3]);
    expect(applied[0]).not.toBe(applied[1]);
    const after = (await h.client.get(TENANT, started.id)) as Execution;
    for (const id of ["a", "b", "c", "d"])
      expect(after.taskRunList.find((r) => r.taskId === id)?.state.current).toBe("SUCCESS");
    expect(after.taskRunList.find((r) => r.taskId === "all")?.state.current).toBe("SUCCESS");
    expect(after.taskRunList.find((r) => r.taskId === "after")?.state.current).toBe("RUNNING");
  });

  it("applies each on its own when their transaction together fails, so one bad result loses no other", async () => {
    await h.deploy(`id: pair
namespace: company.team
tasks:
  - id: both
    type: core.flow.Parallel
    tasks:
      - { id: x, type: core.debug.Return, format: x }
      - { id: y, type: core.debug.Return, format: y }
      - { id: z, type: core.debug.Return, format: z }
`);
    const started = await h.client.start(TENANT, "company.team", "pair");
    const running = (await h.client.get(TENANT, started.id)) as Execution;
    const [x, y, z] = ["x", "y", "z"].map((id) => running.taskRunList.find((r) => r.taskId === id));
    const result = (taskRunId: string, value: string) =>
      applyTaskResult(h.ctx, started.id, {
        type: "taskResult",
        taskRunId,
        attempt: 1,
        state: "SUCCESS",
        outputs: { value },
      });
    const outcomes = await Promise.allSettled([
      result(x?.id ?? "", "x"),
      // PostgreSQL refuses a NUL in a JSON document: what this result does to a transaction, it does to its
      // group, and the group falls back to one transaction each.
      result(y?.id ?? "", "bad\u0000value"),
      result(z?.id ?? "", "z"),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const after = (await h.client.get(TENANT, started.id)) as Execution;
    expect(after.taskRunList.find((r) => r.id === x?.id)?.state.current).toBe("SUCCESS");
    expect(after.taskRunList.find((r) => r.id === z?.id)?.state.current).toBe("SUCCESS");
    expect(after.taskRunList.find((r) => r.id === y?.id)?.state.current).toBe("RUNNING");
  });
});
