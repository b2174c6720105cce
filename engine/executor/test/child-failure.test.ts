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

  it("refuses a value it does not know when the flow loads", async () => {
    await expect(harness().run(dag("    onChildFailure: SOMETIMES"))).rejects.toThrow(/^6:21 /);
  });
});
