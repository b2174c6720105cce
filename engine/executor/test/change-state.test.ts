import { describe, expect, it } from "vitest";
import type { ExecutionOperationError } from "../step-context";
import { checkInvariants, harness, histories, runOf, runsOf, stateOf } from "./harness";

const FAILING = `id: cs
namespace: t
tasks:
  - { id: a, type: core.log.Log, message: a }
  - { id: boom, type: core.execution.Fail, errorMessage: boom }
  - { id: b, type: core.log.Log, message: b }
errors:
  - { id: alert, type: core.log.Log, message: alert }
finally:
  - { id: cleanup, type: core.log.Log, message: cleanup }
`;

describe("change a task run's state (Kestra's markAs)", () => {
  it("a failed task marked SUCCESS: the execution goes on from it, errors do not run again, finally does", async () => {
    const h = harness();
    const failed = await h.run(FAILING);
    expect(failed.state.current).toBe("FAILED");
    expect(runsOf(failed, "b")).toHaveLength(0);
    expect(runsOf(failed, "alert")).toHaveLength(1);
    const boom = runOf(failed, "boom");

    await h.engine.changeTaskRunState(failed.id, boom.id, "SUCCESS");
    const done = await h.engine.wait(failed.id);
    expect(h.engine.takeFailures()).toEqual([]);
    expect(done.id).toBe(failed.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(histories(done.state)).toEqual([
      "CREATED",
      "RUNNING",
      "FAILED",
      "RESTARTED",
      "RUNNING",
      "SUCCESS",
    ]);
    expect(stateOf(done, "boom")).toBe("SUCCESS");
    expect(histories(runOf(done, "boom").state)).toEqual(["CREATED", "RUNNING", "FAILED", "SUCCESS"]);
    // The same run (no new attempt), its last attempt marked too.
    expect(runOf(done, "boom").id).toBe(boom.id);
    expect(runOf(done, "boom").attempts.map((a) => a.state.current)).toEqual(["SUCCESS"]);
    expect(stateOf(done, "b")).toBe("SUCCESS");
    expect(runsOf(done, "alert")).toHaveLength(0);
    expect(runsOf(done, "cleanup")).toHaveLength(1);
    expect(done.metadata.attemptNumber).toBe(1);
    expect(h.logsOf(done).map((l) => l.message)).toContain(
      "Task run marked SUCCESS: the execution goes on from boom",
    );
    checkInvariants(done);
  });

  it("a successful task marked FAILED: the errors branch runs and the execution ends FAILED", async () => {
    const h = harness();
    const done = await h.run(`id: ok
namespace: t
tasks:
  - { id: a, type: core.log.Log, message: a }
  - { id: b, type: core.log.Log, message: b }
errors:
  - { id: alert, type: core.log.Log, message: alert }
`);
    expect(done.state.current).toBe("SUCCESS");
    await h.engine.changeTaskRunState(done.id, runOf(done, "a").id, "FAILED");
    const failed = await h.engine.wait(done.id);
    expect(failed.state.current).toBe("FAILED");
    expect(stateOf(failed, "a")).toBe("FAILED");
    expect(stateOf(failed, "alert")).toBe("SUCCESS");
    checkInvariants(failed);
  });

  it("marked WARNING: the execution ends WARNING", async () => {
    const h = harness();
    const failed = await h.run(FAILING);
    await h.engine.changeTaskRunState(failed.id, runOf(failed, "boom").id, "WARNING");
    const done = await h.engine.wait(failed.id);
    expect(done.state.current).toBe("WARNING");
    expect(stateOf(done, "b")).toBe("SUCCESS");
  });

  it("inside nested blocks: the parents run again and carry on (Sequential, then ForEach)", async () => {
    const h = harness();
    const failed = await h.run(`id: nested
namespace: t
tasks:
  - id: seq
    type: core.flow.Sequential
    tasks:
      - id: loop
        type: core.flow.ForEach
        values: [a, b, c]
        tasks:
          - { id: work, type: core.execution.Fail, condition: "{{ taskrun.value == 'b' }}" }
      - { id: after_loop, type: core.log.Log, message: x }
    errors:
      - { id: seq_alert, type: core.log.Log, message: x }
  - { id: last, type: core.log.Log, message: x }
`);
    expect(failed.state.current).toBe("FAILED");
    expect(runsOf(failed, "work").map((r) => r.value)).toEqual(["a", "b"]);
    const b = runsOf(failed, "work").find((r) => r.value === "b");
    await h.engine.changeTaskRunState(failed.id, b?.id ?? "", "SUCCESS");
    const done = await h.engine.wait(failed.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(runsOf(done, "work").map((r) => [r.value, r.state.current])).toEqual([
      ["a", "SUCCESS"],
      ["b", "SUCCESS"],
      ["c", "SUCCESS"],
    ]);
    expect(histories(runOf(done, "seq").state)).toEqual([
      "CREATED",
      "RUNNING",
      "FAILED",
      "RUNNING",
      "SUCCESS",
    ]);
    expect(stateOf(done, "after_loop")).toBe("SUCCESS");
    expect(stateOf(done, "last")).toBe("SUCCESS");
    expect(runsOf(done, "seq_alert")).toHaveLength(0);
    checkInvariants(done);
  });

  it("refuses while the execution has not ended, and says what to do", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: p
namespace: t
tasks:
  - { id: a, type: core.log.Log, message: a }
  - { id: wait, type: core.flow.Pause }
`);
    expect(paused.state.current).toBe("PAUSED");
    await expect(h.engine.changeTaskRunState(paused.id, runOf(paused, "a").id, "FAILED")).rejects.toThrow(
      /cannot change a task run's state while the execution is PAUSED: .*resume it instead/,
    );
    expect(h.engine.get(paused.id).state.current).toBe("PAUSED");
  });

  it("refuses an unknown task run, the state it already has, a state other than the three, and a branch run", async () => {
    const h = harness();
    const failed = await h.run(FAILING);
    const rejection = (taskRunId: string, state: string) =>
      h.engine.changeTaskRunState(failed.id, taskRunId, state as "SUCCESS").then(
        () => undefined,
        (error: ExecutionOperationError) => [error.code, error.message],
      );
    expect(await rejection("nope", "SUCCESS")).toEqual(["NOT_FOUND", "execution has no task run nope"]);
    expect(await rejection(runOf(failed, "boom").id, "FAILED")).toEqual([
      "INVALID_INPUT",
      "task run boom is already FAILED",
    ]);
    expect((await rejection(runOf(failed, "boom").id, "KILLED"))?.[0]).toBe("INVALID_INPUT");
    expect((await rejection(runOf(failed, "alert").id, "FAILED"))?.[1]).toMatch(
      /part of an errors, finally or afterExecution branch/,
    );
    // Nothing changed.
    expect(h.engine.get(failed.id)).toEqual(failed);
  });

  it("refuses a task inside a WorkingDirectory (its directory is gone: restart instead)", async () => {
    const h = harness();
    const failed = await h.run(`id: wd
namespace: t
tasks:
  - id: dir
    type: core.flow.WorkingDirectory
    tasks:
      - { id: boom, type: core.execution.Fail }
      - { id: next, type: core.log.Log, message: x }
`);
    await expect(h.engine.changeTaskRunState(failed.id, runOf(failed, "boom").id, "SUCCESS")).rejects.toThrow(
      /restart the execution instead/,
    );
  });
});
