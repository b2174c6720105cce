import { describe, expect, it } from "vitest";
import { checkInvariants, harness, ms, runOf, runsOf, stateOf } from "./harness";

const dag = (policy: string) => `id: d
namespace: t
tasks:
  - id: dag
    type: core.flow.Dag
${policy}
    tasks:
      - task: { id: fails_fast, type: core.execution.Fail }
      - task:
          id: group
          type: core.flow.Sequential
          tasks:
            - { id: sleep, type: core.flow.Sleep, duration: PT10S }
      - task: { id: after, type: core.log.Log, message: after }
        dependsOn: [group]
    errors:
      - { id: handler, type: core.log.Log, message: handled }
    finally:
      - { id: cleanup, type: core.log.Log, message: done }
`;

describe("Dag onChildFailure (Kestra 2.0, DagTest.dagFailFastCancelled)", () => {
  it("CANCELLED ends the running siblings and their children CANCELLED, then runs errors and finally", async () => {
    const execution = await harness().run(dag("    onChildFailure: CANCELLED"));
    expect(execution.state.current).toBe("FAILED");
    expect(stateOf(execution, "dag")).toBe("FAILED");
    expect(stateOf(execution, "fails_fast")).toBe("FAILED");
    expect(stateOf(execution, "group")).toBe("CANCELLED");
    expect(stateOf(execution, "sleep")).toBe("CANCELLED");
    expect(runsOf(execution, "after")).toHaveLength(0);
    expect(stateOf(execution, "handler")).toBe("SUCCESS");
    expect(stateOf(execution, "cleanup")).toBe("SUCCESS");
    expect(ms(execution.state.endDate ?? "")).toBeLessThan(10_000);
    checkInvariants(execution);
  });

  it("FAILED (and Kestra's later name FAIL) ends them FAILED", async () => {
    for (const policy of ["FAILED", "FAIL"]) {
      const execution = await harness().run(dag(`    onChildFailure: ${policy}`));
      expect(stateOf(execution, "sleep")).toBe("FAILED");
      expect(stateOf(execution, "group")).toBe("FAILED");
      expect(ms(execution.state.endDate ?? "")).toBeLessThan(10_000);
    }
  });

  it("CONTINUE, the default, awaits them as the Dag always did", async () => {
    const execution = await harness().run(dag(""));
    expect(execution.state.current).toBe("FAILED");
    expect(stateOf(execution, "sleep")).toBe("SUCCESS");
    expect(runsOf(execution, "after")).toHaveLength(0);
    expect(ms(runOf(execution, "handler").state.startDate)).toBe(10_000);
  });

  it("is Parallel's too (Kestra 2.0's OnChildFailureInterface), where it names the state failFast would kill in", async () => {
    const execution = await harness().run(`id: p
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    onChildFailure: CANCELLED
    failFast: true
    tasks:
      - { id: boom, type: core.execution.Fail }
      - { id: slow, type: core.flow.Sleep, duration: PT10S }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(stateOf(execution, "slow")).toBe("CANCELLED");
    expect(ms(execution.state.endDate ?? "")).toBeLessThan(10_000);
  });

  it("refuses a value it does not know when the flow loads", async () => {
    await expect(harness().run(dag("    onChildFailure: SOMETIMES"))).rejects.toThrow(/^6:21 /);
  });
});

const forEach = (limit: number, policy: string) => `id: f
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [a, b, c, d]
    concurrencyLimit: ${limit}
${policy}
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ taskrun.value == 'a' }}"
      - { id: slow, type: core.flow.Sleep, duration: PT10S }
    errors:
      - { id: handler, type: core.log.Log, message: handled }
    finally:
      - { id: cleanup, type: core.log.Log, message: done }
`;

describe("ForEach childFailurePolicy (Kestra 2.0)", () => {
  it("STOP, the default, starts no new value after a failure and awaits the running ones", async () => {
    for (const policy of ["", "    childFailurePolicy: STOP"]) {
      const execution = await harness().run(forEach(2, policy));
      expect(execution.state.current).toBe("FAILED");
      expect(runsOf(execution, "work").map((r) => r.value)).toEqual(["a", "b"]);
      expect(stateOf(execution, "slow")).toBe("SUCCESS");
      expect(stateOf(execution, "handler")).toBe("SUCCESS");
      expect(ms(runOf(execution, "handler").state.startDate)).toBe(10_000);
      checkInvariants(execution);
    }
  });

  it("FAIL_FAST kills the values still running, then runs errors and finally", async () => {
    const execution = await harness().run(`id: f
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [a, b, c]
    concurrencyLimit: 0
    childFailurePolicy: FAIL_FAST
    tasks:
      - id: slow
        type: core.flow.Sleep
        duration: "{{ taskrun.value == 'a' ? 'PT1S' : 'PT10S' }}"
      - id: work
        type: core.execution.Fail
        condition: "{{ taskrun.value == 'a' }}"
    errors:
      - { id: handler, type: core.log.Log, message: handled }
    finally:
      - { id: cleanup, type: core.log.Log, message: done }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(runsOf(execution, "slow").map((r) => r.state.current)).toEqual(["SUCCESS", "KILLED", "KILLED"]);
    expect(runsOf(execution, "work").map((r) => r.value)).toEqual(["a"]);
    expect(stateOf(execution, "handler")).toBe("SUCCESS");
    expect(stateOf(execution, "cleanup")).toBe("SUCCESS");
    expect(ms(execution.state.endDate ?? "")).toBeLessThan(10_000);
    checkInvariants(execution);
  });

  it("CONTINUE starts every value despite the failure, then fails", async () => {
    const execution = await harness().run(forEach(2, "    childFailurePolicy: CONTINUE"));
    expect(execution.state.current).toBe("FAILED");
    expect(stateOf(execution, "each")).toBe("FAILED");
    expect(runsOf(execution, "work").map((r) => r.value)).toEqual(["a", "b", "c", "d"]);
    expect(runsOf(execution, "slow").map((r) => r.state.current)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    expect(stateOf(execution, "handler")).toBe("SUCCESS");
    checkInvariants(execution);
  });

  it("is not applied one value at a time, as in Kestra: the loop stops at the failure", async () => {
    const execution = await harness().run(forEach(1, "    childFailurePolicy: CONTINUE"));
    expect(execution.state.current).toBe("FAILED");
    expect(runsOf(execution, "work").map((r) => r.value)).toEqual(["a"]);
  });
});
