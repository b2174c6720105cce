import { describe, expect, it } from "vitest";
import { harness, runsOf } from "./harness";

const valuesOf = (execution: Ran, taskId: string) => runsOf(execution, taskId).map((r) => r.outputs?.value);

describe("iterationOutput(), iterationOutputs(), outputFromIteration() (Kestra 2.0)", () => {
  const prefixSum = (call: string) => `id: sum
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [10, 20, 30]
    tasks:
      - id: sum
        type: core.debug.Return
        format: "{{ taskrun.iteration == 0 ? taskrun.value : (${call} | number) + (taskrun.value | number) }}"
`;

  it("read the previous iteration's `value` by default, in a runnable task", async () => {
    for (const call of [
      "iterationOutput()",
      "iterationOutputs()",
      "outputFromIteration(taskrun.iteration - 1)",
    ]) {
      const execution = await harness().run(prefixSum(call));
      expect(execution.state.current, call).toBe("SUCCESS");
      expect(valuesOf(execution, "sum"), call).toEqual(["10", "30", "60"]);
    }
  });

  it("take a task id and an iteration, in either order as Kestra declares them", async () => {
    const execution = await harness().run(`id: sib
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [a, b, c]
    tasks:
      - { id: first, type: core.debug.Return, format: "first-{{ taskrun.value }}" }
      - id: second
        type: core.debug.Return
        format: "{{ taskrun.iteration == 0 ? 'none' : iterationOutput('first', 0) ~ '/' ~ iterationOutputs(iteration=taskrun.iteration - 1, taskId='first') }}"
`);
    expect(valuesOf(execution, "second")).toEqual(["none", "first-a/first-a", "first-a/first-b"]);
  });

  it("read the iterations under the same outer loop value (nested ForEach)", async () => {
    const execution = await harness().run(`id: nested
namespace: t
tasks:
  - id: outer
    type: core.flow.ForEach
    values: [x, y]
    tasks:
      - id: inner
        type: core.flow.ForEach
        values: [1, 2, 3]
        tasks:
          - id: r
            type: core.debug.Return
            format: "{{ parents[0].taskrun.value }}{{ taskrun.iteration == 0 ? '' : ':' ~ outputFromIteration(taskrun.iteration - 1) }}"
`);
    expect(valuesOf(execution, "r")).toEqual(["x", "x:x", "x:x:x", "y", "y:y", "y:y:y"]);
  });

  it("answer in a flowable's properties too (an If condition)", async () => {
    const flow = `id: cond
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [a, b]
    tasks:
      - { id: r, type: core.debug.Return, format: "{{ taskrun.value }}" }
      - id: check
        type: core.flow.If
        condition: "{{ taskrun.iteration > 0 and iterationOutput('r', 0) == 'a' }}"
        then:
          - { id: seen, type: core.log.Log, message: seen }
`;
    const execution = await harness().run(flow);
    expect(execution.state.current).toBe("SUCCESS");
    expect(runsOf(execution, "seen")).toHaveLength(1);
    // A Temporal history recorded before them (no patch marker): the call fails, as it did then.
    const old = harness({ iterationOutputFunctions: false });
    const before = await old.run(flow);
    expect(before.state.current).toBe("FAILED");
    expect(messages(old, before)).toContain("function 'iterationOutput' is not available here");
  });

  it("fail as Kestra's do outside a loop, before a first iteration, or past the last", async () => {
    const cases: Array<[string, string]> = [
      ["{{ iterationOutput() }}", "should be used inside iterative tasks only"],
      ["{{ iterationOutputs(0, 'nothing') }}", "has no execution outputs"],
      ["{{ outputFromIteration(taskrun.iteration) }}", "refers to the current iteration"],
      ["{{ outputFromIteration(5) }}", "refers to a future iteration"],
      ["{{ iterationOutputs(-1) }}", "Cannot fetch iteration -1"],
      ["{{ iterationOutputs('x') }}", "must be an integer"],
    ];
    for (const [format, message] of cases) {
      const loop = !format.startsWith("{{ iterationOutput() ");
      const h = harness();
      const execution = await h.run(`id: bad
namespace: t
tasks:
${loop ? "  - id: each\n    type: core.flow.ForEach\n    values: [a, b]\n    tasks:\n" : ""}${loop ? "    " : ""}  - id: r
${loop ? "    " : ""}    type: core.debug.Return
${loop ? "    " : ""}    format: "${format}"
`);
      expect(execution.state.current, format).toBe("FAILED");
      expect(messages(h, execution), format).toContain(message);
    }
  });

  it("iterationOutput() is null for a task with no outputs, where iterationOutputs() fails", async () => {
    const execution = await harness().run(`id: nul
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [a, b]
    tasks:
      - { id: r, type: core.debug.Return, format: "[{{ iterationOutput('nothing', 0) }}]" }
`);
    expect(valuesOf(execution, "r")).toEqual(["[]", "[]"]);
  });
});

describe("parentOutput() (Kestra 2.0)", () => {
  it("reads the nearest parent's outputs for the parent's value, or parents counted from the outermost", async () => {
    const h = harness();
    const execution = await h.run(`id: parents
namespace: t
tasks:
  - id: top
    type: core.flow.If
    condition: "true"
    then:
      - id: each
        type: core.flow.ForEach
        values: [a, b]
        tasks:
          - id: check
            type: core.flow.If
            condition: "{{ taskrun.value == 'a' }}"
            then:
              - id: out
                type: core.output.OutputValues
                values:
                  nearest: "{{ parentOutput() }}"
                  outermost: "{{ parentOutput(0) }}"
            else:
              - id: bad
                type: core.output.OutputValues
                values:
                  x: "{{ parentOutput(3) }}"
`);
    const out = runsOf(execution, "out")[0];
    expect(out?.outputs).toEqual({
      values: { nearest: { evaluationResult: true }, outermost: { evaluationResult: true } },
    });
    expect(runsOf(execution, "bad")[0]?.state.current).toBe("FAILED");
    expect(messages(h, execution)).toContain("Invalid index: 3 for parents size: 3");
  });
});

type Harness = ReturnType<typeof harness>;
type Ran = Awaited<ReturnType<Harness["run"]>>;

function messages(h: Harness, execution: Ran): string {
  return h
    .logsOf(execution)
    .map((l) => l.message)
    .join("\n");
}
