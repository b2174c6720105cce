import { describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "./harness";

/** Kestra's "change status" of a task run, carried out by the embedded engine (row lock, read model, jobs). */
const h = setUpEmbeddedEngine();

describe("change a task run's state on the embedded engine", () => {
  it("a failed task marked SUCCESS: same execution goes on, the errors run is gone from the read model", async () => {
    await h.startRuntime({ scheduler: false });
    await h.deploy(`id: mark
namespace: ops
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: a }
  - { id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: boom }
  - { id: b, type: io.kestra.plugin.scripts.shell.Commands, commands: ["echo after"] }
errors:
  - { id: alert, type: io.kestra.plugin.core.log.Log, message: alert }
`);
    const started = await h.client.start(TENANT, "ops", "mark");
    const failed = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(failed.state.current).toBe("FAILED");
    const boom = failed.taskRunList.find((r) => r.taskId === "boom");
    if (!boom) throw new Error("no boom run");

    await expect(
      h.client.operate(TENANT, started.id, {
        type: "changeTaskRunState",
        taskRunId: boom.id,
        state: "FAILED",
      }),
    ).rejects.toThrow(/already FAILED/);

    const marked = await h.client.operate(TENANT, started.id, {
      type: "changeTaskRunState",
      taskRunId: boom.id,
      state: "SUCCESS",
    });
    expect(marked.state.current).toBe("RUNNING");
    const done = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.state.histories.map((s) => s.state)).toEqual([
      "CREATED",
      "RUNNING",
      "FAILED",
      "RESTARTED",
      "RUNNING",
      "SUCCESS",
    ]);
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["a", "SUCCESS"],
      ["boom", "SUCCESS"],
      ["b", "SUCCESS"],
    ]);
    const rows = await h.query<{ task_id: string; state: string }>(
      "select task_id, state from task_runs where execution_id = $1 order by position",
      [started.id],
    );
    expect(rows).toEqual([
      { task_id: "a", state: "SUCCESS" },
      { task_id: "boom", state: "SUCCESS" },
      { task_id: "b", state: "SUCCESS" },
    ]);
    const [row] = await h.query<{ state: string }>("select state from executions where id = $1", [
      started.id,
    ]);
    expect(row?.state).toBe("SUCCESS");
  });

  it("another tenant's execution is not found", async () => {
    await h.deploy(
      `id: other\nnamespace: ops\ntasks:\n  - { id: boom, type: io.kestra.plugin.core.execution.Fail }\n`,
    );
    const started = await h.client.start(TENANT, "ops", "other");
    const failed = await h.client.waitForEnd(TENANT, started.id, 15_000);
    await expect(
      h.client.operate("someone-else", started.id, {
        type: "changeTaskRunState",
        taskRunId: failed.taskRunList[0]?.id ?? "",
        state: "SUCCESS",
      }),
    ).rejects.toThrow(/not found/);
  });
});
