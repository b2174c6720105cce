import { describe, expect, it } from "vitest";
import { checkInvariants, harness, histories, ms, runOf, runsOf, stateOf } from "./harness";

/** Kestra's Approval (ApprovalTest, its flows under core/src/test/resources/flows/valids/approval-*.yaml). */
const basic = `id: approval-basic
namespace: io.kestra.tests
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    onWait:
      - { id: notify, type: io.kestra.plugin.core.log.Log, message: "Approval requested" }
    onApprove:
      - { id: approved, type: io.kestra.plugin.core.log.Log, message: "Approved" }
    onDeny:
      - { id: denied, type: io.kestra.plugin.core.log.Log, message: "Denied" }
  - { id: last, type: io.kestra.plugin.core.debug.Return, format: "{{task.id}}" }
`;

describe("Approval", () => {
  it("runs onWait, pauses, and runs onApprove once approved (shouldRunOnApproveWhenApproved)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(basic);
    expect(paused.state.current).toBe("PAUSED");
    expect(stateOf(paused, "approval")).toBe("PAUSED");
    expect(stateOf(paused, "notify")).toBe("SUCCESS");
    expect(runsOf(paused, "approved")).toHaveLength(0);
    await h.engine.send(paused.id, {
      type: "review",
      decision: "APPROVED",
      comment: "looks good",
      by: "alice",
    });
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["approval", "notify", "approved", "last"]);
    expect(runOf(done, "approval").outputs).toEqual({
      decision: "APPROVED",
      auto: false,
      by: "alice",
      on: expect.any(String),
      comment: "looks good",
      inputs: {},
    });
    expect(histories(runOf(done, "approval").state)).toEqual([
      "CREATED",
      "RUNNING",
      "PAUSED",
      "RUNNING",
      "SUCCESS",
    ]);
    checkInvariants(done);
  });

  it("denied: onDeny runs, then the execution is CANCELLED by default (shouldCancelExecutionOnDenyByDefault)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(basic);
    await h.engine.send(paused.id, { type: "review", decision: "DENIED", comment: "needs changes" });
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("CANCELLED");
    expect(stateOf(done, "denied")).toBe("SUCCESS");
    expect(stateOf(done, "approval")).toBe("CANCELLED");
    expect(runsOf(done, "last")).toHaveLength(0);
    expect(runOf(done, "approval").outputs).toMatchObject({ decision: "DENIED", comment: "needs changes" });
  });

  it("autoApprove skips onWait and the pause (shouldSkipWaitAndApproveAutomaticallyWhenAutoApproveIsTrue)", async () => {
    const h = harness();
    const done = await h.run(
      `id: approval-auto-approve
namespace: io.kestra.tests
inputs:
  - { id: auto, type: BOOLEAN, defaults: true }
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    autoApprove: "{{ inputs.auto }}"
    onWait:
      - { id: notify, type: io.kestra.plugin.core.log.Log, message: "should never run" }
    onApprove:
      - { id: approved, type: io.kestra.plugin.core.log.Log, message: "Approved" }
`,
    );
    expect(done.state.current).toBe("SUCCESS");
    expect(histories(done.state)).not.toContain("PAUSED");
    expect(runsOf(done, "notify")).toHaveLength(0);
    expect(runsOf(done, "approved")).toHaveLength(1);
    expect(runOf(done, "approval").outputs).toEqual({ decision: "APPROVED", auto: true });
  });

  it("expires at its timeout counted from the pause: finally runs, then CANCELLED (shouldExpireWithDefaultBehavior)", async () => {
    const h = harness();
    const done = await h.run(`id: approval-expire
namespace: io.kestra.tests
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    timeout: PT1S
    onWait:
      - { id: notify, type: core.flow.Sleep, duration: PT5S }
    onApprove:
      - { id: approved, type: io.kestra.plugin.core.log.Log, message: "Approved" }
    finally:
      - { id: cleanup, type: io.kestra.plugin.core.log.Log, message: "Cleanup" }
  - { id: after, type: core.log.Log, message: never }
afterExecution:
  - { id: notice, type: core.log.Log, message: "{{ execution.state }}" }
`);
    expect(done.state.current).toBe("CANCELLED");
    expect(stateOf(done, "cleanup")).toBe("SUCCESS");
    expect(stateOf(done, "approval")).toBe("CANCELLED");
    expect(stateOf(done, "notice")).toBe("SUCCESS");
    expect(runsOf(done, "approved")).toHaveLength(0);
    expect(runsOf(done, "after")).toHaveLength(0);
    const outputs = runOf(done, "approval").outputs ?? {};
    expect(outputs).toMatchObject({ decision: "EXPIRED", auto: false });
    expect(outputs.by).toBeUndefined();
    // Paused after onWait's 5 s, due 1 s later: the timeout counts from the pause (Approval.pauseDelay).
    expect(ms(String(outputs.due))).toBe(6000);
    expect(ms(runOf(done, "approval").state.endDate ?? "")).toBe(6000);
  });

  it("commentRequired refuses a decision without a comment where required (approval-comment-*)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: approval-comment-on-deny
namespace: io.kestra.tests
tasks:
  - { id: approval, type: io.kestra.plugin.core.flow.Approval, commentRequired: ON_DENY }
`);
    await expect(
      h.engine.send(paused.id, { type: "review", decision: "DENIED", comment: "  " }),
    ).rejects.toThrow("a comment is required to deny 'approval' (commentRequired: ON_DENY)");
    expect(h.engine.get(paused.id).state.current).toBe("PAUSED");
    await h.engine.send(paused.id, { type: "review", decision: "APPROVED" });
    expect((await h.engine.wait(paused.id)).state.current).toBe("SUCCESS");
  });

  it("review inputs are validated and kept in outputs.inputs (shouldStoreDecisionInputsInOutputs)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: approval-inputs
namespace: io.kestra.tests
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    inputs:
      - { id: reason, type: STRING }
    onApprove:
      - { id: approved, type: core.log.Log, message: "{{ outputs.approval.inputs.reason }}" }
`);
    await expect(h.engine.send(paused.id, { type: "review", decision: "APPROVED" })).rejects.toThrow(
      "invalid review inputs: reason: missing required input",
    );
    await h.engine.send(paused.id, {
      type: "review",
      decision: "APPROVED",
      inputs: { reason: "urgent fix" },
    });
    const done = await h.engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(runOf(done, "approval").outputs?.inputs).toEqual({ reason: "urgent fix" });
  });

  it("refuses a review when nothing waits on an Approval, and a plain resume of one", async () => {
    const h = harness();
    const pause = await h.startAndSettle(`id: p
namespace: t
tasks:
  - { id: pause, type: core.flow.Pause }
`);
    await expect(h.engine.send(pause.id, { type: "review", decision: "APPROVED" })).rejects.toThrow(
      /is not waiting on an Approval/,
    );
    const paused = await h.startAndSettle(basic);
    await expect(h.engine.resume(paused.id)).rejects.toThrow(/waits for a review/);
    await h.engine.send(paused.id, { type: "review", decision: "APPROVED" });
    await h.engine.wait(paused.id);
    await expect(h.engine.send(paused.id, { type: "review", decision: "DENIED" })).rejects.toThrow(
      /is not waiting on an Approval \(it is SUCCESS\)/,
    );
  });

  it("two Approvals in parallel: each decided by taskRunId, nothing goes on until both are (shouldPauseSiblingApprovalsIndependently)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: approval-parallel
namespace: io.kestra.tests
tasks:
  - id: parallel
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: approvalA
        type: io.kestra.plugin.core.flow.Approval
        onApprove: [{ id: approvedA, type: core.log.Log, message: A }]
        onDeny: [{ id: deniedA, type: core.log.Log, message: A }]
      - id: approvalB
        type: io.kestra.plugin.core.flow.Approval
        onApprove: [{ id: approvedB, type: core.log.Log, message: B }]
`);
    expect(stateOf(paused, "approvalA")).toBe("PAUSED");
    expect(stateOf(paused, "approvalB")).toBe("PAUSED");
    await expect(h.engine.send(paused.id, { type: "review", decision: "APPROVED" })).rejects.toThrow(
      /2 Approvals wait for a review: say which with taskRunId/,
    );
    await h.engine.send(paused.id, {
      type: "review",
      taskRunId: runOf(paused, "approvalA").id,
      decision: "DENIED",
    });
    const between = h.engine.get(paused.id);
    expect(between.state.current).toBe("PAUSED");
    expect(runsOf(between, "deniedA")).toHaveLength(0);
    await h.engine.send(paused.id, {
      type: "review",
      taskRunId: runOf(paused, "approvalB").id,
      decision: "APPROVED",
    });
    const done = await h.engine.wait(paused.id);
    // shouldCancelTheWholeExecutionEvenWhenASiblingApprovalIsApproved
    expect(done.state.current).toBe("CANCELLED");
    expect(runsOf(done, "deniedA")).toHaveLength(1);
  });

  it("approveBehavior SUCCEED ends the execution SUCCESS without what follows; FAIL fails it through the flow's errors", async () => {
    const h = harness();
    const flow = (behavior: string) => `id: approval-approve-behavior-${behavior}
namespace: io.kestra.tests
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    approveBehavior: ${behavior}
    onApprove: [{ id: approved, type: core.log.Log, message: ok }]
  - { id: after, type: core.log.Log, message: never }
errors:
  - { id: cleanup, type: core.log.Log, message: cleanup }
`;
    const succeed = await h.startAndSettle(flow("SUCCEED"));
    await h.engine.send(succeed.id, { type: "review", decision: "APPROVED" });
    const succeeded = await h.engine.wait(succeed.id);
    expect(succeeded.state.current).toBe("SUCCESS");
    expect(runsOf(succeeded, "approved")).toHaveLength(1);
    expect(runsOf(succeeded, "after")).toHaveLength(0);
    const fail = await h.startAndSettle(flow("FAIL"));
    await h.engine.send(fail.id, { type: "review", decision: "APPROVED" });
    const failed = await h.engine.wait(fail.id);
    expect(failed.state.current).toBe("FAILED");
    expect(stateOf(failed, "approval")).toBe("FAILED");
    expect(runsOf(failed, "approved")).toHaveLength(1);
    expect(runsOf(failed, "cleanup")).toHaveLength(1);
  });

  it("a failing onApprove is not hidden by approveBehavior SUCCEED (shouldNotHideAFailingBranchBehindTheConfiguredBehavior)", async () => {
    const h = harness();
    const paused = await h.startAndSettle(`id: f
namespace: t
tasks:
  - id: approval
    type: core.flow.Approval
    approveBehavior: SUCCEED
    onApprove: [{ id: boom, type: core.execution.Fail }]
`);
    await h.engine.send(paused.id, { type: "review", decision: "APPROVED" });
    expect((await h.engine.wait(paused.id)).state.current).toBe("FAILED");
  });

  it("denyBehavior KILL kills what still runs (shouldKillRunningSiblingsWhenDenyBehaviorIsKill); CANCEL lets it finish", async () => {
    const h = harness();
    const flow = (behavior: string) => `id: approval-deny-${behavior}
namespace: io.kestra.tests
tasks:
  - id: parallel
    type: core.flow.Parallel
    tasks:
      - { id: approval, type: core.flow.Approval, denyBehavior: ${behavior} }
      - { id: sleep, type: core.flow.Sleep, duration: PT10S }
`;
    const kill = await h.startAndSettle(flow("KILL"));
    await h.engine.send(kill.id, { type: "review", decision: "DENIED" });
    const killed = await h.engine.wait(kill.id);
    expect(killed.state.current).toBe("KILLED");
    expect(stateOf(killed, "sleep")).toBe("KILLED");
    const cancel = await h.startAndSettle(flow("CANCEL"));
    await h.engine.send(cancel.id, { type: "review", decision: "DENIED" });
    const cancelled = await h.engine.wait(cancel.id);
    expect(cancelled.state.current).toBe("CANCELLED");
    expect(stateOf(cancelled, "sleep")).toBe("SUCCESS");
  });

  it("onWait failing ends the Approval FAILED after its errors and finally, without pausing (approval-finally-fail)", async () => {
    const h = harness();
    const done = await h.run(`id: approval-finally-fail
namespace: io.kestra.tests
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    onWait:
      - { id: waitFail, type: io.kestra.plugin.core.execution.Fail }
    onApprove:
      - { id: approved, type: io.kestra.plugin.core.log.Log, message: "Approved" }
    finally:
      - { id: cleanup, type: io.kestra.plugin.core.log.Log, message: "Cleanup" }
`);
    expect(done.state.current).toBe("FAILED");
    expect(runsOf(done, "cleanup")).toHaveLength(1);
    expect(runsOf(done, "approved")).toHaveLength(0);
    expect(histories(done.state)).not.toContain("PAUSED");
  });
});
