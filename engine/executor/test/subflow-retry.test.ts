import { describe, expect, it } from "vitest";
import { harness, ms, runOf, runsOf } from "./harness";

// Kestra's subflow-to-retry: fails while its `counter` input is below 1.
const toRetry = `id: subflow-to-retry
namespace: t
inputs:
  - { id: counter, type: INT }
tasks:
  - { id: fail, type: core.execution.Fail, runIf: "{{ inputs.counter < 1 }}" }
  - { id: hello, type: core.log.Log, message: hello }
`;

const parent = (retry: string, counter = "{{ taskrun.attemptsCount }}") => `id: parent
namespace: t
tasks:
  - id: call
    type: core.flow.Subflow
    namespace: t
    flowId: subflow-to-retry
    inputs: { counter: "${counter}" }
${retry}
`;
const constant = "    retry: { type: constant, maxAttempts: 3, interval: PT1S }";

const children = (h: ReturnType<typeof harness>) =>
  [...h.engine.executions.values()].filter((e) => e.flowId === "subflow-to-retry");

describe("Subflow retry (Kestra's SubflowRunnerTest.subflowOutputWithWait)", () => {
  it("starts a new child per attempt, with taskrun.attemptsCount counting the attempts before", async () => {
    const h = harness({ flows: [toRetry] });
    const done = await h.run(parent(constant));
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList).toHaveLength(1);
    const call = runOf(done, "call");
    expect(call.attempts.map((a) => a.state.current)).toEqual(["FAILED", "SUCCESS"]);
    // The second attempt starts after the constant interval.
    expect(ms(call.attempts[1]?.state.startDate ?? "") - ms(call.attempts[0]?.state.endDate ?? "")).toBe(
      1000,
    );
    const kids = children(h);
    expect(kids.map((k) => [k.inputs.counter, k.state.current])).toEqual([
      [0, "FAILED"],
      [1, "SUCCESS"],
    ]);
    expect(call.outputs).toMatchObject({ executionId: kids[1]?.id, state: "SUCCESS" });
    expect(call.state.histories.map((s) => s.state)).toEqual([
      "CREATED",
      "RUNNING",
      "RETRYING",
      "RUNNING",
      "SUCCESS",
    ]);
  });

  it("ends FAILED once the policy allows no more attempts, every child kept as an attempt", async () => {
    const h = harness({ flows: [toRetry] });
    const done = await h.run(parent(constant, "0"));
    expect(done.state.current).toBe("FAILED");
    expect(runOf(done, "call").attempts.map((a) => a.state.current)).toEqual(["FAILED", "FAILED", "FAILED"]);
    expect(children(h)).toHaveLength(3);
  });

  it("retries under an enclosing flowable's retry and the flow's RETRY_FAILED_TASK", async () => {
    const h = harness({ flows: [toRetry] });
    const nested = await h.run(`id: nested
namespace: t
tasks:
  - id: seq
    type: core.flow.Sequential
    retry: { type: constant, maxAttempts: 2, interval: PT1S }
    tasks:
      - { id: call, type: core.flow.Subflow, namespace: t, flowId: subflow-to-retry, inputs: { counter: "{{ taskrun.attemptsCount }}" } }
`);
    expect(nested.state.current).toBe("SUCCESS");
    expect(runOf(nested, "call").attempts).toHaveLength(2);
    const flowLevel = await h.run(`id: flow-level
namespace: t
retry: { behavior: RETRY_FAILED_TASK, type: constant, maxAttempts: 2, interval: PT1S }
tasks:
  - { id: call, type: core.flow.Subflow, namespace: t, flowId: subflow-to-retry, inputs: { counter: "{{ taskrun.attemptsCount }}" } }
`);
    expect(flowLevel.state.current).toBe("SUCCESS");
    expect(flowLevel.state.histories.map((s) => s.state)).toContain("RETRYING");
  });

  it("one attempt for a child that succeeds, and a SUCCESS one at once when it is not waited for", async () => {
    const h = harness({ flows: [toRetry] });
    const ok = await h.run(parent("", "1"));
    expect(runOf(ok, "call").attempts.map((a) => a.state.current)).toEqual(["SUCCESS"]);
    const noWait = await h.run(`id: no-wait
namespace: t
tasks:
  - { id: call, type: core.flow.Subflow, namespace: t, flowId: subflow-to-retry, inputs: { counter: 1 }, wait: false }
`);
    expect(runOf(noWait, "call").attempts.map((a) => a.state.current)).toEqual(["SUCCESS"]);
  });

  it("a kill while the next attempt waits ends the run KILLED and starts no child", async () => {
    const h = harness({ flows: [toRetry] });
    const started = await h.startAndSettle(
      parent("    retry: { type: constant, maxAttempts: 3, interval: PT1H }", "0"),
    );
    for (let i = 0; i < 50 && runOf(h.engine.get(started.id), "call").state.current !== "RETRYING"; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runOf(h.engine.get(started.id), "call").state.current).toBe("RETRYING");
    await h.engine.kill(started.id);
    await h.engine.idle();
    const killed = h.engine.get(started.id);
    expect(killed.state.current).toBe("KILLED");
    expect(runsOf(killed, "call")[0]?.state.current).toBe("KILLED");
    expect(children(h)).toHaveLength(1);
    expect(h.engine.takeFailures()).toEqual([]);
  });

  it("before StepEnv.subflowAttempts (an old Temporal history): no attempts, the first failed child fails it", async () => {
    const h = harness({ flows: [toRetry], subflowAttempts: false });
    const done = await h.run(parent(constant));
    expect(done.state.current).toBe("FAILED");
    expect(runOf(done, "call").attempts).toEqual([]);
    expect(children(h)).toHaveLength(1);
  });
});
