import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flowJsonSchema, loadFlow } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import { checkInvariants, harness, histories, ms, runOf, runsOf, settle, stateOf } from "./harness";

/** Kestra 2.0's Pause ends (PauseTest), and what a Pause started before that rule does. */
describe("Pause: behavior CANCEL (PauseTest.runDurationWithCANCELBehavior)", () => {
  const flow = `id: pause-behavior
namespace: io.kestra.tests
inputs:
  - { id: behavior, type: STRING, defaults: RESUME }
tasks:
  - { id: pause, type: io.kestra.plugin.core.flow.Pause, pauseDuration: PT1S, behavior: "{{inputs.behavior}}" }
  - { id: last, type: io.kestra.plugin.core.debug.Return, format: "{{task.id}}" }
errors:
  - { id: alert, type: core.log.Log, message: alert }
afterExecution:
  - { id: after, type: core.log.Log, message: "{{ execution.state }}" }
`;

  it("ends the Pause and the execution CANCELLED: nothing after it but afterExecution", async () => {
    const h = harness();
    const done = await h.run(flow, { behavior: "CANCEL" });
    expect(done.state.current).toBe("CANCELLED");
    // Kestra runs afterExecution once the execution is terminated (ExecutionService.isTerminated).
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "CANCELLED"],
      ["after", "SUCCESS"],
    ]);
    expect(ms(done.state.endDate ?? "")).toBe(1000);
    expect(histories(done.state)).toEqual(["CREATED", "RUNNING", "PAUSED", "RUNNING", "CANCELLED"]);
    checkInvariants(done);
  });

  it("cancels the parents still running and lets a parallel branch finish first", async () => {
    const h = harness();
    const done = await h.run(`id: nested
namespace: t
tasks:
  - id: par
    type: core.flow.Parallel
    tasks:
      - id: seq
        type: core.flow.Sequential
        tasks:
          - { id: pause, type: core.flow.Pause, pauseDuration: PT1S, behavior: CANCEL }
          - { id: after, type: core.log.Log, message: never }
      - { id: slow, type: core.flow.Sleep, duration: PT5S }
  - { id: last, type: core.log.Log, message: never }
`);
    expect(done.state.current).toBe("CANCELLED");
    expect(stateOf(done, "pause")).toBe("CANCELLED");
    expect(stateOf(done, "seq")).toBe("CANCELLED");
    expect(stateOf(done, "par")).toBe("CANCELLED");
    expect(stateOf(done, "slow")).toBe("SUCCESS");
    expect(runsOf(done, "after")).toHaveLength(0);
    expect(runsOf(done, "last")).toHaveLength(0);
    // As after an Exit: the parents end with the Pause, the execution once the branch still going has ended.
    expect(ms(runOf(done, "par").state.endDate ?? "")).toBe(1000);
    expect(ms(done.state.endDate ?? "")).toBe(5000);
  });

  it("in a Loop iteration, cancels that iteration only; the flow's afterExecution runs once, in the parent", async () => {
    const h = harness();
    const done = await h.run(`id: loop-cancel
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [a]
    tasks:
      - { id: pause, type: core.flow.Pause, pauseDuration: PT1S, behavior: CANCEL }
      - { id: never, type: core.log.Log, message: never }
afterExecution:
  - { id: after, type: core.log.Log, message: after }
`);
    const iteration = [...h.engine.executions.values()].find((e) => e.kind === "LOOP");
    expect(iteration?.state.current).toBe("CANCELLED");
    expect(iteration?.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([["pause", "CANCELLED"]]);
    expect(runsOf(done, "after")).toHaveLength(1);
  });

  it("keeps the earlier rule for a Pause started before it: KILLED, then the flow's errors", async () => {
    const h = harness({ pauseKestraOutcomes: false });
    const done = await h.run(flow, { behavior: "CANCEL" });
    expect(done.state.current).toBe("KILLED");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "KILLED"],
      ["alert", "SUCCESS"],
      ["after", "SUCCESS"],
    ]);
  });
});

describe("Pause: errors and finally when it ends FAILED (PauseTest.shouldExecuteErrorsFinallyAndAfterExecution)", () => {
  const flow = `id: pause-with-errors-finally-after-execution
namespace: io.kestra.tests
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    timeout: PT0.25S
    errors:
      - { id: logError, type: io.kestra.plugin.core.log.Log, message: "I'm in error" }
    finally:
      - { id: logFinally, type: io.kestra.plugin.core.log.Log, message: "I'm in finally" }
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "I'm after the pause" }
afterExecution:
  - { id: logAfter, type: io.kestra.plugin.core.log.Log, message: "I'm after the execution" }
`;

  it("a timeout runs the Pause's errors, then its finally, then afterExecution", async () => {
    const h = harness();
    const done = await h.run(flow);
    expect(done.state.current).toBe("FAILED");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "FAILED"],
      ["logError", "SUCCESS"],
      ["logFinally", "SUCCESS"],
      ["logAfter", "SUCCESS"],
    ]);
    expect(runOf(done, "logError").parentTaskRunId).toBe(runOf(done, "pause").id);
    expect(ms(runOf(done, "logError").state.startDate)).toBe(250);
    expect(
      h.logsOf(done).some((l) => l.level === "ERROR" && l.message === "Pause timed out after PT0.25S"),
    ).toBe(true);
    checkInvariants(done);
  });

  it("behavior FAIL runs them too; WARN runs the Pause's tasks and ends WARNING", async () => {
    const h = harness();
    const flowOf = (behavior: string) => `id: beh-${behavior.toLowerCase()}
namespace: t
tasks:
  - id: pause
    type: core.flow.Pause
    pauseDuration: PT1S
    behavior: ${behavior}
    tasks: [{ id: sub, type: core.log.Log, message: sub }]
    errors: [{ id: err, type: core.log.Log, message: err }]
    finally: [{ id: fin, type: core.log.Log, message: fin }]
  - { id: next, type: core.log.Log, message: next }
`;
    const failed = await h.run(flowOf("FAIL"));
    expect(failed.state.current).toBe("FAILED");
    expect(failed.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "FAILED"],
      ["err", "SUCCESS"],
      ["fin", "SUCCESS"],
    ]);
    const warned = await h.run(flowOf("WARN"));
    expect(warned.state.current).toBe("WARNING");
    expect(warned.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "WARNING"],
      ["sub", "SUCCESS"],
      ["fin", "SUCCESS"],
      ["next", "SUCCESS"],
    ]);
  });

  it("a timeout after the Pause was resumed is ignored, as Kestra skips the delay", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: resumed
namespace: t
tasks:
  - id: pause
    type: core.flow.Pause
    timeout: PT1M
    tasks: [{ id: sub, type: core.flow.Sleep, duration: PT5M }]
`);
    await h.engine.resume(paused.id);
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(stateOf(done, "sub")).toBe("SUCCESS");
  });

  it("says who resumed it, when, and towards which state (Kestra 2.0's resumed output)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: by_hand
namespace: t
tasks:
  - { id: pause, type: core.flow.Pause }
  - { id: next, type: core.debug.Return, format: "{{ outputs.pause.resumed.by }} -> {{ outputs.pause.resumed.to }}" }
`);
    await h.engine.send(paused.id, { type: "resume", by: "ada@example.com" });
    const done = await h.engine.wait(paused.id);
    expect(runOf(done, "pause").outputs?.resumed).toEqual({
      by: "ada@example.com",
      on: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      to: "SUCCESS",
    });
    expect(runOf(done, "next").outputs?.value).toBe("ada@example.com -> SUCCESS");
  });

  it("gives no one as resumer when its time elapsed, and the behavior's state", async () => {
    const h = harness();
    const resumedOf = (execution: Awaited<ReturnType<typeof h.run>>) =>
      runOf(execution, "pause").outputs?.resumed as { by: string | null; on: string; to: string };
    const elapsed = await h.run(`id: elapsed
namespace: t
tasks:
  - { id: pause, type: core.flow.Pause, pauseDuration: PT2S, behavior: WARN }
`);
    expect(resumedOf(elapsed)).toMatchObject({ by: null, to: "WARNING" });
    expect(ms(resumedOf(elapsed).on) - ms(elapsed.state.startDate)).toBe(2000);
    const timedOut = await h.run(`id: timed
namespace: t
tasks:
  - { id: pause, type: core.flow.Pause, timeout: PT1S }
`);
    expect(resumedOf(timedOut)).toMatchObject({ by: null, to: "FAILED" });
    expect(ms(resumedOf(timedOut).on) - ms(timedOut.state.startDate)).toBe(1000);
  });

  it("keeps the earlier rule for a Pause started before it: FAILED without its errors or finally", async () => {
    const h = harness({ pauseKestraOutcomes: false });
    const done = await h.run(flow);
    expect(done.state.current).toBe("FAILED");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "FAILED"],
      ["logAfter", "SUCCESS"],
    ]);
  });
});

describe("Pause: onPause (PauseTest.shouldExecuteOnPauseTask)", () => {
  it("runs the onPause task while paused, then resumes after pauseDuration", async () => {
    const h = harness();
    const done = await h.run(`id: pause_on_pause
namespace: io.kestra.tests
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.5S
    onPause:
      id: hello
      type: io.kestra.plugin.core.log.Log
      message: Hello World! 🚀
`);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "SUCCESS"],
      ["hello", "SUCCESS"],
    ]);
    const hello = runOf(done, "hello");
    expect(hello.parentTaskRunId).toBe(runOf(done, "pause").id);
    expect(ms(hello.state.startDate)).toBe(0);
    expect(ms(runOf(done, "pause").state.endDate ?? "")).toBe(500);
    expect(h.logsOf(done).some((l) => l.taskId === "hello" && l.message === "Hello World! 🚀")).toBe(true);
    checkInvariants(done);
  });

  it("runs it while the execution waits to be resumed; the Pause ends only once it has ended", async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const gatePlugin = definePlugin({
      type: "test.Gate",
      kind: "runnable",
      title: "Ends when the test opens the gate.",
      schema: z.object({}),
      run: async () => {
        await gate;
        return { outputs: {} };
      },
    });
    const h = harness({ plugins: [gatePlugin] });
    const paused = await h.startAndSettle(`id: notify
namespace: t
tasks:
  - id: approval
    type: core.flow.Pause
    onPause: { id: notify, type: test.Gate }
  - { id: after, type: core.log.Log, message: after }
`);
    expect(paused.state.current).toBe("PAUSED");
    expect(paused.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["approval", "PAUSED"],
      ["notify", "RUNNING"],
    ]);
    await h.engine.resume(paused.id);
    await settle(h.engine);
    const resumed = h.engine.get(paused.id);
    expect(resumed.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["approval", "RUNNING"],
      ["notify", "RUNNING"],
    ]);
    open();
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["approval", "notify", "after"]);
    checkInvariants(done);
  });

  it("a failed onPause task does not change the Pause's state", async () => {
    const h = harness();
    const done = await h.run(`id: notify-fails
namespace: t
tasks:
  - id: pause
    type: core.flow.Pause
    pauseDuration: PT1S
    onPause: { id: notify, type: core.execution.Fail, errorMessage: down }
  - { id: after, type: core.log.Log, message: after }
`);
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "SUCCESS"],
      ["notify", "FAILED"],
      ["after", "SUCCESS"],
    ]);
  });

  it("refuses a flowable onPause when the Pause starts", async () => {
    const h = harness();
    const done = await h.run(`id: flowable-on-pause
namespace: t
tasks:
  - id: pause
    type: core.flow.Pause
    pauseDuration: PT1S
    onPause: { id: seq, type: core.flow.Sequential, tasks: [{ id: a, type: core.log.Log, message: a }] }
`);
    expect(done.state.current).toBe("FAILED");
    expect(h.logsOf(done).find((l) => l.level === "ERROR")?.message).toBe(
      "onPause: 'seq' is a flowable task; onPause takes a runnable task",
    );
  });

  it("is validated as a task of its own and is in the editor's JSON schema", () => {
    const registry = builtInRegistry();
    const { errors } = loadFlow(
      `id: bad\nnamespace: t\ntasks:\n  - id: pause\n    type: core.flow.Pause\n    onPause:\n      id: hello\n      type: core.log.Log\n      mesage: hi\n`,
      { registry },
    );
    expect(errors.map((e) => [e.path, e.line])).toContainEqual(["tasks[0].onPause.mesage", 9]);
    const schema = flowJsonSchema(registry) as {
      $defs: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    };
    expect(schema.$defs["plugin:core.flow.Pause"]?.properties?.onPause).toMatchObject({
      $ref: "#/$defs/Task",
    });
  });

  it("is killed with the execution", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: kill-notify
namespace: t
tasks:
  - id: pause
    type: core.flow.Pause
    onPause: { id: notify, type: test.Hang }
`);
    await h.engine.kill(paused.id);
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("KILLED");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["pause", "KILLED"],
      ["notify", "KILLED"],
    ]);
  });
});
