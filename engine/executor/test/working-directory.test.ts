import { describe, expect, it } from "vitest";
import { createExecution, type Execution, type ExecutorCommand, type StepEnv, step } from "../index";
import { harness } from "./harness";

/**
 * A WorkingDirectory's own outputFiles and cache: once its tasks are done the executor asks the worker to
 * keep them (saveWorkingDirectory) and waits for its answer before `errors`, `finally` or its end.
 */
describe("WorkingDirectory's saveWorkingDirectory", () => {
  const h = harness();
  const env = (workingDirectoryFiles?: boolean): StepEnv => {
    let n = 0;
    return {
      now: () => new Date("2024-01-01T00:00:00Z"),
      random: () => 0.5,
      newId: () => `x${++n}`,
      registry: h.registry,
      ...(workingDirectoryFiles !== undefined ? { workingDirectoryFiles } : {}),
    };
  };
  const flow = h.load(`id: wd
namespace: t
tasks:
  - id: wdir
    type: core.flow.WorkingDirectory
    outputFiles: ["*.txt"]
    tasks:
      - { id: a, type: core.debug.Return, format: x }
      - { id: b, type: core.debug.Return, format: y }
    errors:
      - { id: handler, type: core.debug.Return, format: handled }
`);

  /** Steps the flow from its start, answering every runTask with `state`, until it asks for nothing more. */
  async function drive(e: StepEnv, state: "SUCCESS" | "FAILED" = "SUCCESS") {
    let execution: Execution = await createExecution(flow, {}, e);
    const saves: Extract<ExecutorCommand, { type: "saveWorkingDirectory" }>[] = [];
    const pending: Parameters<typeof step>[2][] = [{ type: "start" }];
    while (pending.length > 0) {
      const result = await step(flow, execution, pending.shift() as Parameters<typeof step>[2], e);
      execution = result.execution;
      for (const command of result.commands) {
        if (command.type === "runTask")
          pending.push({ type: "taskResult", taskRunId: command.taskRunId, attempt: command.attempt, state });
        if (command.type === "saveWorkingDirectory") saves.push(command);
      }
    }
    return { execution, saves };
  }
  const run = (execution: Execution, taskId: string) =>
    execution.taskRunList.find((r) => r.taskId === taskId);

  it("asks once, after its last task, and waits for the answer", async () => {
    const { execution, saves } = await drive(env(true));
    const wdir = run(execution, "wdir");
    expect(saves).toEqual([
      { type: "saveWorkingDirectory", taskRunId: wdir?.id, taskId: "wdir", attempt: 1 },
    ]);
    expect(run(execution, "b")?.state.current).toBe("SUCCESS");
    expect(wdir?.state.current).toBe("RUNNING");

    const outputs = { outputFiles: { "a.txt": "kestra:///t/wd/executions/x/tasks/wdir/y/a.txt" } };
    const stale = await step(
      flow,
      execution,
      { type: "workingDirectorySaved", taskRunId: wdir?.id ?? "", attempt: 2, outputs },
      env(true),
    );
    expect(run(stale.execution, "wdir")?.state.current).toBe("RUNNING");

    const saved = await step(
      flow,
      execution,
      { type: "workingDirectorySaved", taskRunId: wdir?.id ?? "", attempt: 1, outputs },
      env(true),
    );
    expect(run(saved.execution, "wdir")?.state.current).toBe("SUCCESS");
    expect(run(saved.execution, "wdir")?.outputs).toEqual(outputs);
    expect(saved.execution.state.current).toBe("SUCCESS");
  });

  it("saves after a failed task too, then runs errors; a failed save fails it", async () => {
    const failed = await drive(env(true), "FAILED");
    expect(failed.saves).toHaveLength(1);
    expect(run(failed.execution, "handler")).toBeUndefined();
    const wdir = run(failed.execution, "wdir");
    const saved = await step(
      flow,
      failed.execution,
      { type: "workingDirectorySaved", taskRunId: wdir?.id ?? "", attempt: 1, error: "no room" },
      env(true),
    );
    expect(run(saved.execution, "handler")?.state.current).toBe("RUNNING");
    expect(saved.logs.map((l) => l.message)).toContain("no room");
  });

  it("refuses outputFiles as before it was built, without the env's consent (an old Temporal history)", async () => {
    const { execution, saves } = await drive(env());
    expect(saves).toEqual([]);
    expect(run(execution, "wdir")?.state.current).toBe("FAILED");
    expect(execution.state.current).toBe("FAILED");
  });

  it("asks the env nothing for a WorkingDirectory without outputFiles or cache", async () => {
    const plain = h.load(`id: plain
namespace: t
tasks:
  - id: wdir
    type: core.flow.WorkingDirectory
    tasks: [{ id: a, type: core.debug.Return, format: x }]
`);
    let asked = 0;
    const e: StepEnv = {
      ...env(),
      get workingDirectoryFiles() {
        asked++;
        return true;
      },
    };
    let execution = await createExecution(plain, {}, e);
    execution = (await step(plain, execution, { type: "start" }, e)).execution;
    const a = execution.taskRunList.find((r) => r.taskId === "a");
    const done = await step(
      plain,
      execution,
      { type: "taskResult", taskRunId: a?.id ?? "", attempt: 1, state: "SUCCESS" },
      e,
    );
    expect(done.execution.state.current).toBe("SUCCESS");
    expect(done.commands.map((c) => c.type)).not.toContain("saveWorkingDirectory");
    expect(asked).toBe(0);
  });
});
