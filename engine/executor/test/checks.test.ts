import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { ChecksBlockedError, checkBehavior, type FailedCheck } from "../checks";
import { harness } from "./harness";

const FLOW = `
id: guarded
namespace: company.team
inputs:
  - id: name
    type: STRING
  - id: amount
    type: INT
    defaults: 1
checks:
  - when: "{{ (inputs.name | upper) == 'KESTRA' }}"
    message: Only Kestra may run this
    style: ERROR
    behavior: BLOCK_EXECUTION
  - condition: "{{ inputs.amount < 100 }}"
    message: Large amounts fail
    style: WARNING
    behavior: FAIL_EXECUTION
  - when: "{{ inputs.amount < 10 }}"
    message: Amounts of 10 or more are unusual
    behavior: CREATE_EXECUTION
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.name }} {{ inputs.amount }}"
`;

describe("flow checks (Kestra 1.2 `condition`, 2.0 `when`)", () => {
  it("runs when every check holds, and ignores checks for executions not started through the API", async () => {
    const h = harness();
    const flow = h.load(FLOW);
    const started = await h.engine.start(flow, { inputs: { name: "kestra" }, enforceChecks: true });
    expect((await h.engine.wait(started.id)).state.current).toBe("SUCCESS");
    // Triggers and subflows do not decide checks (Kestra decides them in its API only).
    const unchecked = await h.engine.start(flow, { inputs: { name: "other", amount: 500 } });
    expect((await h.engine.wait(unchecked.id)).state.current).toBe("SUCCESS");
  });

  it("BLOCK_EXECUTION: no execution is created, and the error names each failed check", async () => {
    const h = harness();
    const flow = h.load(FLOW);
    const error = await h.engine
      .start(flow, { inputs: { name: "other", amount: 500 }, enforceChecks: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksBlockedError);
    expect((error as ChecksBlockedError).failed.map((c) => c.message)).toEqual([
      "Only Kestra may run this",
      "Large amounts fail",
      "Amounts of 10 or more are unusual",
    ]);
    expect((error as Error).message).toContain("Only Kestra may run this");
    expect(h.engine.executions.size).toBe(0);
  });

  it("FAIL_EXECUTION: the execution is created and ends FAILED without running a task, with a warning", async () => {
    const h = harness();
    const flow = h.load(FLOW);
    const started = await h.engine.start(flow, {
      inputs: { name: "Kestra", amount: 500 },
      enforceChecks: true,
    });
    const done = await h.engine.wait(started.id);
    expect(done.state.current).toBe("FAILED");
    expect(done.taskRunList).toEqual([]);
    expect(done.state.histories.map((s) => s.state)).toEqual(["CREATED", "FAILED"]);
    expect(h.logsOf(done).map((l) => `${l.level} ${l.message}`)).toContainEqual(
      expect.stringContaining(
        "WARN Flow execution failed because one or more checks do not hold: Large amounts fail",
      ),
    );
  });

  it("CREATE_EXECUTION: the execution runs as usual", async () => {
    const h = harness();
    const flow = h.load(FLOW);
    const started = await h.engine.start(flow, {
      inputs: { name: "Kestra", amount: 50 },
      enforceChecks: true,
    });
    expect((await h.engine.wait(started.id)).state.current).toBe("SUCCESS");
  });

  it("a check whose expression fails to render counts as failed", async () => {
    const h = harness();
    const flow = h.load(`
id: broken
namespace: company.team
checks:
  - when: "{{ inputs.missing.deeper }}"
    message: needs an input
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`);
    const error = await h.engine.start(flow, { enforceChecks: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksBlockedError);
    expect((error as ChecksBlockedError).failed[0]?.error).toBeTruthy();
  });

  it("the strictest behaviour of the failed checks wins", () => {
    const check = (behavior: FailedCheck["behavior"]): FailedCheck => ({
      message: "m",
      style: "INFO",
      behavior,
    });
    expect(checkBehavior([])).toBeUndefined();
    expect(checkBehavior([check("CREATE_EXECUTION")])).toBe("CREATE_EXECUTION");
    expect(checkBehavior([check("CREATE_EXECUTION"), check("FAIL_EXECUTION")])).toBe("FAIL_EXECUTION");
    expect(
      checkBehavior([check("FAIL_EXECUTION"), check("BLOCK_EXECUTION"), check("CREATE_EXECUTION")]),
    ).toBe("BLOCK_EXECUTION");
  });

  it("validation: a check needs `when` or `condition` (not both) and a message; defaults are INFO and BLOCK", () => {
    const { registry } = harness();
    const load = (checks: string) =>
      loadFlow(
        `
id: f
namespace: company.team
checks:
${checks}
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`,
        { registry },
      );
    expect(
      load(`  - message: nothing to check`)
        .errors.map((e) => e.message)
        .join(),
    ).toContain("needs `when`");
    expect(
      load(`  - when: "{{ true }}"\n    condition: "{{ true }}"\n    message: m`)
        .errors.map((e) => e.message)
        .join(),
    ).toContain("not both");
    expect(load(`  - when: "{{ true }}"`).errors.length).toBeGreaterThan(0);
    const { flow } = load(`  - condition: "{{ true }}"\n    message: m`);
    expect(flow?.checks).toEqual([
      { when: "{{ true }}", message: "m", style: "INFO", behavior: "BLOCK_EXECUTION" },
    ]);
  });
});
