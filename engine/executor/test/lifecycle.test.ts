import { describe, expect, it } from "vitest";
import { InputValidationError } from "../create";
import { ExecutionOperationError } from "../step-context";
import { checkInvariants, harness, histories, ms, runOf, runsOf, settle, stateOf } from "./harness";

describe("retry", () => {
  it("retries with exponential backoff under the fake clock, recording every attempt", async () => {
    const h = harness();
    const execution = await h.run(`id: r
namespace: t
tasks:
  - id: flaky
    type: test.Flaky
    succeedOnAttempt: 5
    retry:
      type: exponential
      interval: PT1S
      maxInterval: PT5S
      maxAttempts: 6
`);
    const run = runOf(execution, "flaky");
    expect(run.state.current).toBe("SUCCESS");
    expect(run.attempts.map((a) => a.state.current)).toEqual([
      "FAILED",
      "FAILED",
      "FAILED",
      "FAILED",
      "SUCCESS",
    ]);
    expect(run.attempts.map((a) => ms(a.state.startDate))).toEqual([0, 1000, 3000, 7000, 12_000]);
    expect(run.attempts[0]?.error).toEqual({ message: "attempt 1 failed" });
    expect(histories(run.state)).toEqual([
      "CREATED",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "SUCCESS",
    ]);
  });

  it("gives up after maxAttempts and after maxDuration", async () => {
    const h = harness();
    const byCount = await h.run(`id: r
namespace: t
tasks:
  - id: flaky
    type: test.Flaky
    retry: { type: constant, interval: PT1M, maxAttempt: 3 }
`);
    expect(runOf(byCount, "flaky").attempts).toHaveLength(3);
    expect(byCount.state.current).toBe("FAILED");
    const byDuration = await h.run(`id: r2
namespace: t
tasks:
  - id: flaky
    type: test.Flaky
    retry: { type: constant, interval: PT1M, maxDuration: PT3M30S }
`);
    expect(runOf(byDuration, "flaky").attempts).toHaveLength(4);
  });

  it("waits a random time within bounds", async () => {
    const h = harness();
    const execution = await h.run(`id: r
namespace: t
tasks:
  - id: flaky
    type: test.Flaky
    succeedOnAttempt: 2
    retry: { type: random, minInterval: PT10S, maxInterval: PT20S, maxAttempts: 2 }
`);
    const gap = ms(runOf(execution, "flaky").attempts[1]?.state.startDate ?? "");
    expect(gap).toBeGreaterThanOrEqual(10_000);
    expect(gap).toBeLessThanOrEqual(20_000);
  });

  it("ends in WARNING after a retry when warningOnRetry is set", async () => {
    const h = harness();
    const execution = await h.run(`id: r
namespace: t
tasks:
  - id: flaky
    type: test.Flaky
    succeedOnAttempt: 2
    retry: { type: constant, interval: PT1S, maxAttempts: 3, warningOnRetry: true }
`);
    expect(execution.state.current).toBe("WARNING");
  });

  it("retries failed tasks with the flow's retry policy, the execution RETRYING meanwhile", async () => {
    const h = harness();
    const execution = await h.run(`id: r
namespace: t
retry: { behavior: RETRY_FAILED_TASK, type: constant, interval: PT1S, maxAttempts: 3 }
tasks:
  - { id: flaky, type: test.Flaky, succeedOnAttempt: 3 }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(runOf(execution, "flaky").attempts).toHaveLength(3);
    expect(histories(execution.state)).toEqual([
      "CREATED",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "SUCCESS",
    ]);
  });

  it("starts a new execution when the flow retries with CREATE_NEW_EXECUTION", async () => {
    const h = harness();
    const first = await h.run(`id: r
namespace: t
retry: { behavior: CREATE_NEW_EXECUTION, type: constant, interval: PT1M, maxAttempts: 2 }
tasks:
  - { id: boom, type: core.execution.Fail }
`);
    expect(first.state.current).toBe("RETRIED");
    await h.engine.idle();
    const second = [...h.engine.executions.values()].find((e) => e.id !== first.id);
    expect(second?.metadata.attemptNumber).toBe(2);
    expect(second?.originalId).toBe(first.id);
    expect(second?.state.current).toBe("FAILED");
    expect(ms(second?.state.startDate ?? "")).toBe(60_000);
  });
});

describe("timeout", () => {
  it("fails an attempt that runs past its timeout and stops the worker", async () => {
    const h = harness();
    const execution = await h.run(`id: to
namespace: t
tasks:
  - { id: stuck, type: test.Hang, timeout: PT30S }
  - { id: next, type: core.log.Log, message: next }
`);
    expect(execution.state.current).toBe("FAILED");
    const run = runOf(execution, "stuck");
    expect(run.attempts[0]?.error?.message).toBe("Task timed out after PT30S");
    expect(ms(run.state.endDate ?? "")).toBe(30_000);
    expect(runsOf(execution, "next")).toHaveLength(0);
  });

  it("retries an attempt that timed out", async () => {
    const h = harness();
    const execution = await h.run(`id: to
namespace: t
tasks:
  - { id: stuck, type: test.Hang, timeout: PT1S, retry: { type: constant, interval: PT1S, maxAttempts: 2 } }
`);
    expect(runOf(execution, "stuck").attempts.map((a) => a.state.current)).toEqual(["FAILED", "FAILED"]);
  });

  it("renders a timeout written as an expression when the run starts", async () => {
    const h = harness();
    const execution = await h.run(
      `id: to
namespace: t
inputs:
  - { id: limit, type: DURATION, defaults: PT20S }
tasks:
  - { id: stuck, type: test.Hang, timeout: "{{ inputs.limit }}", retry: { type: constant, interval: PT1S, maxAttempts: 2 } }
`,
    );
    const run = runOf(execution, "stuck");
    expect(run.attempts.map((a) => a.error?.message)).toEqual([
      "Task timed out after PT20S",
      "Task timed out after PT20S",
    ]);
    expect(ms(run.state.endDate ?? "")).toBe(41_000);
  });

  it("fails the run when an expression timeout is not a duration", async () => {
    const h = harness();
    const execution = await h.run(`id: to
namespace: t
tasks:
  - { id: stuck, type: test.Hang, timeout: "{{ 'soon' }}" }
`);
    const run = runOf(execution, "stuck");
    expect(run.state.current).toBe("FAILED");
    expect(run.attempts).toHaveLength(0);
    expect(execution.state.current).toBe("FAILED");
  });

  it("times out a flowable task, killing what runs inside it", async () => {
    const h = harness();
    const execution = await h.run(`id: to
namespace: t
tasks:
  - id: group
    type: core.flow.Sequential
    timeout: PT10S
    tasks:
      - { id: stuck, type: test.Hang }
`);
    expect(stateOf(execution, "group")).toBe("FAILED");
    expect(stateOf(execution, "stuck")).toBe("KILLED");
    checkInvariants(execution);
  });
});

describe("kill, pause, resume", () => {
  it("kills a running Parallel: every running task run is killed and its worker stopped", async () => {
    const h = harness();
    const started = await h.startAndSettle(`id: k
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    tasks:
      - { id: a, type: test.Hang }
      - { id: b, type: test.Hang }
      - { id: c, type: core.flow.Sleep, duration: PT1H }
  - { id: never, type: core.log.Log, message: never }
`);
    expect(started.state.current).toBe("RUNNING");
    await h.engine.kill(started.id);
    const execution = await h.engine.wait(started.id);
    expect(execution.state.current).toBe("KILLED");
    expect(histories(execution.state)).toEqual(["CREATED", "RUNNING", "KILLING", "KILLED"]);
    for (const id of ["fan", "a", "b", "c"]) expect(stateOf(execution, id), id).toBe("KILLED");
    expect(runOf(execution, "a").attempts[0]?.state.current).toBe("KILLED");
    expect(runsOf(execution, "never")).toHaveLength(0);
    await settle(h.engine);
    expect(h.engine.clock.now().getTime() - Date.parse(execution.state.startDate)).toBe(0);
    checkInvariants(execution);
    await expect(h.engine.kill(started.id)).rejects.toBeInstanceOf(ExecutionOperationError);
  });

  it("pauses a running execution: nothing new starts until it is resumed", async () => {
    const h = harness();
    const started = await h.startAndSettle(`id: p
namespace: t
tasks:
  - { id: stuck, type: test.Hang, timeout: PT1M }
  - { id: next, type: core.log.Log, message: next }
`);
    await h.engine.pause(started.id);
    expect(h.engine.get(started.id).state.current).toBe("PAUSED");
    await h.engine.idle();
    const paused = h.engine.get(started.id);
    expect(stateOf(paused, "stuck")).toBe("FAILED");
    expect(runsOf(paused, "next")).toHaveLength(0);
    expect(paused.state.current).toBe("PAUSED");
    await expect(h.engine.pause(started.id)).rejects.toThrow(/cannot pause an execution that is PAUSED/);
    await h.engine.resume(started.id);
    const done = await h.engine.wait(started.id);
    expect(done.state.current).toBe("FAILED");
    expect(histories(done.state)).toEqual(["CREATED", "RUNNING", "PAUSED", "RUNNING", "FAILED"]);
  });

  it("pause.yaml: PAUSED with one task run, then SUCCESS once resumed", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: pause
namespace: io.kestra.tests
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    tasks:
      - { id: subtask, type: io.kestra.plugin.core.log.Log, message: "trigger after manual restart" }
  - { id: last, type: io.kestra.plugin.core.debug.Return, format: "{{task.id}} > {{taskrun.startDate}}" }
errors:
  - { id: failed-echo, type: io.kestra.plugin.core.debug.Echo, format: "I'm failing {{task.id}}" }
`);
    expect(paused.state.current).toBe("PAUSED");
    expect(paused.taskRunList).toHaveLength(1);
    expect(stateOf(paused, "pause")).toBe("PAUSED");
    await h.engine.resume(paused.id);
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["pause", "subtask", "last"]);
  });

  it("pause_on_resume.yaml: resume inputs are validated and become outputs", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: pause_on_resume
namespace: io.kestra.tests
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - { id: asked, type: STRING }
      - { id: data, type: FILE, required: false }
  - id: last
    type: io.kestra.plugin.core.output.OutputValues
    values:
      asked: "{{outputs.pause.onResume.asked}}"
      data: "{{outputs.pause.onResume.data}}"
`);
    await expect(h.engine.resume(paused.id, {})).rejects.toThrow(
      "invalid resume inputs: asked: missing required input",
    );
    expect(h.engine.get(paused.id).state.current).toBe("PAUSED");
    await h.engine.resume(paused.id, { asked: "restarted" });
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    // A property that is exactly one expression renders typed (Cadenza), so a missing optional input is null.
    expect(runOf(done, "last").outputs).toEqual({ values: { asked: "restarted", data: null } });
  });

  it("resumes by itself after pauseDuration, and fails at its timeout", async () => {
    const h = harness();
    const auto = await h.run(
      `id: p\nnamespace: t\ntasks:\n  - { id: wait, type: core.flow.Pause, pauseDuration: PT1H }\n  - { id: after, type: core.log.Log, message: x }\n`,
    );
    expect(auto.state.current).toBe("SUCCESS");
    expect(ms(runOf(auto, "after").state.startDate)).toBe(3_600_000);
    expect(histories(auto.state)).toEqual(["CREATED", "RUNNING", "PAUSED", "RUNNING", "SUCCESS"]);
    const timeout = await h.run(
      `id: p2\nnamespace: t\ntasks:\n  - { id: wait, type: core.flow.Pause, timeout: PT5M }\n`,
    );
    expect(timeout.state.current).toBe("FAILED");
    expect(ms(timeout.state.endDate ?? "")).toBe(3_600_000 + 300_000);
  });

  it("refuses to resume an execution that is not paused", async () => {
    const h = harness();
    const done = await h.run(`id: p\nnamespace: t\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`);
    await expect(h.engine.resume(done.id)).rejects.toThrow("cannot resume an execution that is SUCCESS");
  });
});

describe("restart and replay", () => {
  it("restart_last_failed.yaml: same id, the failed task gets a second attempt, the rest continues", async () => {
    const h = harness();
    const failed = await h.run(`id: restart_last_failed
namespace: io.kestra.tests
tasks:
- { id: a, type: io.kestra.plugin.core.log.Log, message: "{{ task.id }}" }
- { id: b, type: io.kestra.plugin.core.log.Log, message: "{{ task.id }}" }
- { id: c, type: io.kestra.plugin.core.log.Log, message: "{{taskrun.attemptsCount == 1 ? 'ok' : ko}}" }
- { id: d, type: io.kestra.plugin.core.log.Log, message: "{{ task.id }}" }
`);
    expect(failed.state.current).toBe("FAILED");
    expect(failed.taskRunList).toHaveLength(3);
    await h.engine.restart(failed.id);
    const restarted = await h.engine.wait(failed.id);
    expect(restarted.id).toBe(failed.id);
    expect(restarted.state.current).toBe("SUCCESS");
    expect(restarted.taskRunList).toHaveLength(4);
    expect(runOf(restarted, "c").attempts).toHaveLength(2);
    expect(restarted.metadata.attemptNumber).toBe(2);
    expect(restarted.labels).toContainEqual({ key: "system.restarted", value: "true" });
    expect(restarted.labels).toContainEqual({ key: "system.correlationId", value: failed.id });
    expect(histories(restarted.state)).toEqual([
      "CREATED",
      "RUNNING",
      "FAILED",
      "RESTARTED",
      "RUNNING",
      "SUCCESS",
    ]);
  });

  it("restarts after a failure in a ForEach iteration, dropping the errors branch", async () => {
    const h = harness();
    h.load(`id: gate\nnamespace: t\ntasks:\n  - { id: x, type: core.log.Log, message: x }\n`);
    await h.engine.kv.set("t", "fixed", false);
    const flow = `id: fe
namespace: t
tasks:
  - id: loop
    type: core.flow.ForEach
    values: [a, b, c]
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ taskrun.value == 'b' and not kv('fixed') }}"
errors:
  - { id: alert, type: core.log.Log, message: alert }
`;
    const failed = await h.run(flow);
    expect(failed.state.current).toBe("FAILED");
    expect(runsOf(failed, "alert")).toHaveLength(1);
    await h.engine.kv.set("t", "fixed", true);
    await h.engine.restart(failed.id);
    const done = await h.engine.wait(failed.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(runsOf(done, "alert")).toHaveLength(0);
    expect(runsOf(done, "work").map((r) => [r.value, r.attempts.length, r.state.current])).toEqual([
      ["a", 1, "SUCCESS"],
      ["b", 2, "SUCCESS"],
      ["c", 1, "SUCCESS"],
    ]);
    checkInvariants(done);
  });

  it("refuses to restart a successful execution", async () => {
    const h = harness();
    const done = await h.run(`id: p\nnamespace: t\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`);
    await expect(h.engine.restart(done.id)).rejects.toThrow(/cannot restart an execution that is SUCCESS/);
  });

  it("replays from the middle into a new execution, optionally with new inputs", async () => {
    const h = harness();
    const flow = h.load(`id: rp
namespace: t
inputs: [{ id: n, type: INT }]
tasks:
  - { id: one, type: core.debug.Return, format: "one {{ inputs.n }}" }
  - { id: two, type: core.debug.Return, format: "two {{ inputs.n }}" }
  - { id: three, type: core.debug.Return, format: "three {{ outputs.one.value }} {{ outputs.two.value }}" }
`);
    const original = await h.run(flow, { n: 1 });
    const replayed = await h.engine.replay(original.id, runOf(original, "two").id, { n: 2 });
    const done = await h.engine.wait(replayed.id);
    expect(done.id).not.toBe(original.id);
    expect(done.originalId).toBe(original.id);
    expect(done.inputs).toEqual({ n: 2 });
    expect(done.taskRunList.map((r) => [r.taskId, r.outputs?.value])).toEqual([
      ["one", "one 1"],
      ["two", "two 2"],
      ["three", "three one 1 two 2"],
    ]);
    expect(runOf(done, "one").id).not.toBe(runOf(original, "one").id);
    // Kestra's replay marker; the correlation id stays the original's.
    expect(done.labels).toEqual(
      expect.arrayContaining([
        { key: "system.replay", value: "true" },
        { key: "system.correlationId", value: original.id },
      ]),
    );
    // Kestra's ExecutionController.innerReplay marks the original with system.replayed, once; the replay
    // itself is not marked, even when made from an original that was replayed before.
    expect(h.engine.get(original.id).labels).toContainEqual({ key: "system.replayed", value: "true" });
    expect(done.labels.map((l) => l.key)).not.toContain("system.replayed");
    const again = await h.engine.wait((await h.engine.replay(original.id, runOf(original, "two").id)).id);
    expect(again.labels.map((l) => l.key)).not.toContain("system.replayed");
    expect(h.engine.get(original.id).labels.filter((l) => l.key === "system.replayed")).toHaveLength(1);
    await expect(h.engine.replay(original.id, runOf(original, "two").id, { n: "x" })).rejects.toBeInstanceOf(
      InputValidationError,
    );
  });

  it("replays a task inside a ForEach: its ancestors run again, earlier iterations are kept", async () => {
    const h = harness();
    const original = await h.run(`id: rp
namespace: t
tasks:
  - id: loop
    type: core.flow.ForEach
    values: [a, b, c]
    tasks: [{ id: each, type: core.debug.Return, format: "{{ taskrun.value }}" }]
  - { id: end, type: core.log.Log, message: end }
`);
    const b = runsOf(original, "each").find((r) => r.value === "b");
    const replayed = await h.engine.replay(original.id, b?.id ?? "");
    const done = await h.engine.wait(replayed.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => `${r.taskId}:${r.value ?? ""}`)).toEqual([
      "loop:",
      "each:a",
      "each:b",
      "each:c",
      "end:",
    ]);
    checkInvariants(done);
  });
});

describe("execution-level rules", () => {
  it("SLA MAX_DURATION: FAIL, CANCEL and NONE", async () => {
    const h = harness();
    const flow = (behavior: string) => `id: sla-${behavior.toLowerCase()}
namespace: t
sla:
  - { id: quick, type: MAX_DURATION, behavior: ${behavior}, duration: PT1M, labels: { sla: missed } }
tasks:
  - { id: slow, type: core.flow.Sleep, duration: PT5M }
`;
    const fail = await h.run(flow("FAIL"));
    expect(fail.state.current).toBe("FAILED");
    expect(ms(fail.state.endDate ?? "") - ms(fail.state.startDate)).toBe(60_000);
    expect(fail.labels).toContainEqual({ key: "sla", value: "missed" });
    expect((await h.run(flow("CANCEL"))).state.current).toBe("CANCELLED");
    const none = await h.run(flow("NONE"));
    expect(none.state.current).toBe("SUCCESS");
    expect(none.labels).toContainEqual({ key: "sla", value: "missed" });
  });

  it("concurrency QUEUE: the second execution waits QUEUED, then runs", async () => {
    const h = harness();
    const flow = h.load(`id: flow-concurrency-queue
namespace: io.kestra.tests
concurrency: { behavior: QUEUE, limit: 1 }
tasks:
  - { id: sleep, type: io.kestra.plugin.core.flow.Sleep, duration: PT2S }
`);
    const [first, second] = await Promise.all([h.engine.start(flow), h.engine.start(flow)]);
    const a = await h.engine.wait(first?.id ?? "");
    const b = await h.engine.wait(second?.id ?? "");
    expect([a.state.current, b.state.current]).toEqual(["SUCCESS", "SUCCESS"]);
    expect(histories(b.state)).toEqual(["CREATED", "QUEUED", "RUNNING", "SUCCESS"]);
    expect(ms(b.state.endDate ?? "")).toBe(4000);
  });

  it("concurrency CANCEL and FAIL end the extra execution at once", async () => {
    for (const [behavior, state] of [
      ["CANCEL", "CANCELLED"],
      ["FAIL", "FAILED"],
    ]) {
      const h = harness();
      const flow = h.load(
        `id: c\nnamespace: t\nconcurrency: { behavior: ${behavior}, limit: 1 }\ntasks:\n  - { id: sleep, type: core.flow.Sleep, duration: PT2S }\n`,
      );
      const first = await h.engine.start(flow);
      const second = await h.engine.start(flow);
      expect(second.state.current).toBe(state);
      expect((await h.engine.wait(first.id)).state.current).toBe("SUCCESS");
    }
  });

  it("Exit ends the execution early in the given state", async () => {
    const h = harness();
    const execution = await h.run(`id: e
namespace: t
tasks:
  - { id: first, type: core.log.Log, message: x }
  - { id: stop, type: core.execution.Exit, state: WARNING }
  - { id: never, type: core.log.Log, message: x }
`);
    expect(execution.state.current).toBe("WARNING");
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual(["first", "stop"]);
  });

  it("Exit ends its own run and each parent still running in the exit state, as Kestra's Exit.update does", async () => {
    const h = harness();
    const execution = await h.run(`id: e
namespace: t
tasks:
  - id: if
    type: core.flow.If
    condition: "{{ true }}"
    then:
      - { id: first, type: core.log.Log, message: x }
      - { id: stop, type: core.execution.Exit, state: FAILED }
  - { id: never, type: core.log.Log, message: x }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(execution.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["if", "FAILED"],
      ["first", "SUCCESS"],
      ["stop", "FAILED"],
    ]);
  });

  it("Labels and SetVariables change the running execution", async () => {
    const h = harness();
    const execution = await h.run(`id: l
namespace: t
labels: { team: data }
variables: { greeting: hello }
tasks:
  - { id: label, type: core.execution.Labels, labels: { team: platform, run: "{{ execution.id }}" } }
  - { id: set, type: core.execution.SetVariables, variables: { greeting: hi, extra: 1 } }
  - { id: read, type: core.debug.Return, format: "{{ vars.greeting }} {{ vars.extra }} {{ labels.team }}" }
  - { id: unset, type: core.execution.UnsetVariables, variables: [extra] }
  - { id: again, type: core.debug.Return, format: "{{ vars.extra ?? 'gone' }}" }
`);
    expect(execution.labels).toEqual([
      { key: "team", value: "platform" },
      { key: "system.correlationId", value: execution.id },
      { key: "run", value: execution.id },
    ]);
    expect(runOf(execution, "read").outputs?.value).toBe("hi 1 platform");
    expect(runOf(execution, "again").outputs?.value).toBe("gone");
  });

  it("gives every execution its own id as system.correlationId unless the caller gives one", async () => {
    const h = harness();
    const flow = h.load(`id: c
namespace: t
labels: { system.readOnly: "true", team: data }
tasks:
  - id: read
    type: core.debug.Return
    format: "{{ labels.system.correlationId }} {{ labels.team }} {{ labels.system.readOnly ?? 'none' }}"
`);
    const own = await h.run(flow);
    expect(own.labels).toEqual([
      { key: "team", value: "data" },
      { key: "system.correlationId", value: own.id },
    ]);
    expect(runOf(own, "read").outputs?.value).toBe(`${own.id} data none`);
    const given = await h.engine.wait(
      (await h.engine.start(flow, { labels: [{ key: "system.correlationId", value: "order-42" }] })).id,
    );
    expect(runOf(given, "read").outputs?.value).toBe("order-42 data none");
  });

  it("nests dotted label keys in expressions; a key conflicting with an earlier one is skipped", async () => {
    const h = harness();
    const execution = await h.run(`id: n
namespace: t
labels:
  - { key: a, value: "1" }
  - { key: a.b, value: "2" }
  - { key: x.y.z, value: "3" }
  - { key: x.y.w, value: "4" }
tasks:
  - { id: read, type: core.debug.Return, format: "{{ labels.a }} {{ labels.x.y.z }}{{ labels.x.y.w }} {{ labels.x | keys }}" }
`);
    expect(runOf(execution, "read").outputs?.value).toBe('1 34 ["y"]');
  });

  it("refuses system labels from the Labels task", async () => {
    const h = harness();
    const execution = await h.run(
      `id: l\nnamespace: t\ntasks:\n  - { id: label, type: core.execution.Labels, labels: { system.correlationId: x } }\n`,
    );
    expect(execution.state.current).toBe("FAILED");
  });

  it("logs what tasks say with level, task run and attempt, and keeps only logLevel and above", async () => {
    const h = harness();
    const execution = await h.run(`id: logs
namespace: t
tasks:
  - { id: low, type: core.log.Log, message: quiet, level: DEBUG, logLevel: INFO }
  - { id: high, type: core.log.Log, message: [one, two], level: WARN }
`);
    const logs = h.logsOf(execution).filter((l) => l.taskId);
    expect(logs.map((l) => [l.taskId, l.level, l.message, l.attemptNumber, l.taskRunId])).toEqual([
      ["high", "WARN", "one", 1, runOf(execution, "high").id],
      ["high", "WARN", "two", 1, runOf(execution, "high").id],
    ]);
  });

  it("creates no execution for invalid inputs, naming each input and why", async () => {
    const h = harness();
    const flow = h.load(`id: in
namespace: t
inputs:
  - { id: n, type: INT, min: 1 }
  - { id: code, type: STRING, validator: "[A-Z]{3}" }
  - { id: day, type: DATE }
tasks:
  - { id: t, type: core.log.Log, message: x }
`);
    const error = await h.engine.start(flow, { inputs: { n: "0", code: "abc" } }).catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors).toEqual([
      { input: "n", message: "must be greater than or equal to 1" },
      { input: "code", message: "does not match the pattern '[A-Z]{3}'" },
      { input: "day", message: "missing required input" },
    ]);
    expect(h.engine.executions.size).toBe(0);
  });
});
