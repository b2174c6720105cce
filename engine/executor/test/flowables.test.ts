import { describe, expect, it } from "vitest";
import { outputsOf } from "../outputs";
import { checkInvariants, harness, histories, ms, runOf, runsOf, stateOf } from "./harness";

describe("Sequential and Parallel", () => {
  it("runs Parallel tasks at most `concurrent` at a time", async () => {
    const h = harness();
    const execution = await h.run(`id: p
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    concurrent: 2
    tasks:
      - { id: a, type: core.flow.Sleep, duration: PT10S }
      - { id: b, type: core.flow.Sleep, duration: PT10S }
      - { id: c, type: core.flow.Sleep, duration: PT10S }
      - { id: d, type: core.flow.Sleep, duration: PT10S }
`);
    expect(execution.state.current).toBe("SUCCESS");
    const starts = ["a", "b", "c", "d"].map((id) => ms(runOf(execution, id).state.startDate));
    expect(starts).toEqual([0, 0, 10_000, 10_000]);
    expect(ms(execution.state.endDate ?? "")).toBe(20_000);
    checkInvariants(execution);
  });

  it("starts nothing new in a Parallel after a failure, lets running ones finish, then runs errors", async () => {
    const h = harness();
    const execution = await h.run(`id: p
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    concurrent: 2
    tasks:
      - { id: slow, type: core.flow.Sleep, duration: PT5S }
      - { id: boom, type: core.execution.Fail }
      - { id: never, type: core.log.Log, message: never }
    errors:
      - { id: handler, type: core.log.Log, message: "handled {{ tasks.boom.state }}" }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(runsOf(execution, "never")).toHaveLength(0);
    expect(stateOf(execution, "slow")).toBe("SUCCESS");
    expect(stateOf(execution, "fan")).toBe("FAILED");
    expect(stateOf(execution, "handler")).toBe("SUCCESS");
    expect(h.logsOf(execution).map((l) => l.message)).toContain("handled FAILED");
  });

  it("kills the running siblings after a failure with failFast (Kestra 2.0), then runs errors and finally", async () => {
    const h = harness();
    const execution = await h.run(`id: p
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    failFast: true
    tasks:
      - { id: boom, type: core.execution.Fail }
      - id: nested
        type: core.flow.Sequential
        tasks:
          - { id: slow, type: core.flow.Sleep, duration: PT10S }
      - { id: tolerant, type: core.execution.Fail, allowFailure: true }
    errors:
      - { id: handler, type: core.log.Log, message: handled }
    finally:
      - { id: cleanup, type: core.log.Log, message: done }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(stateOf(execution, "nested")).toBe("KILLED");
    expect(stateOf(execution, "slow")).toBe("KILLED");
    expect(stateOf(execution, "handler")).toBe("SUCCESS");
    expect(stateOf(execution, "cleanup")).toBe("SUCCESS");
    expect(ms(execution.state.endDate ?? "")).toBeLessThan(10_000);
    checkInvariants(execution);
  });

  it("nests ForEach in Parallel in Sequential with errors at each level", async () => {
    const h = harness();
    const execution = await h.run(`id: nest
namespace: t
tasks:
  - id: seq
    type: core.flow.Sequential
    tasks:
      - id: par
        type: core.flow.Parallel
        tasks:
          - id: loop
            type: core.flow.ForEach
            values: [a, b]
            tasks:
              - id: work
                type: core.execution.Fail
                condition: "{{ taskrun.value == 'b' }}"
            errors:
              - { id: loop-error, type: core.log.Log, message: "loop failed" }
          - { id: side, type: core.log.Log, message: side }
        errors:
          - { id: par-error, type: core.log.Log, message: "par failed" }
    errors:
      - { id: seq-error, type: core.log.Log, message: "seq failed" }
errors:
  - { id: flow-error, type: core.log.Log, message: "flow failed" }
`);
    expect(execution.state.current).toBe("FAILED");
    for (const id of ["loop-error", "par-error", "seq-error", "flow-error"])
      expect(stateOf(execution, id), id).toBe("SUCCESS");
    expect(runsOf(execution, "work").map((r) => [r.value, r.state.current])).toEqual([
      ["a", "SUCCESS"],
      ["b", "FAILED"],
    ]);
    expect(stateOf(execution, "side")).toBe("SUCCESS");
    checkInvariants(execution);
  });

  it("runs finally blocks of flowables and of the flow, even after a failure", async () => {
    const h = harness();
    const execution = await h.run(`id: fin
namespace: t
tasks:
  - id: group
    type: core.flow.Sequential
    tasks:
      - { id: boom, type: core.execution.Fail }
    finally:
      - { id: group-finally, type: core.log.Log, message: x }
finally:
  - { id: flow-finally, type: core.log.Log, message: "state {{ tasks.boom.state }}" }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(stateOf(execution, "group-finally")).toBe("SUCCESS");
    expect(stateOf(execution, "flow-finally")).toBe("SUCCESS");
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual([
      "group",
      "boom",
      "group-finally",
      "flow-finally",
    ]);
  });

  it("fails a block whose finally task fails", async () => {
    const h = harness();
    const execution = await h.run(`id: fin
namespace: t
tasks:
  - { id: ok, type: core.log.Log, message: fine }
finally:
  - { id: bad, type: core.execution.Fail }
`);
    expect(execution.state.current).toBe("FAILED");
  });
});

describe("If and Switch", () => {
  const ifFlow = `id: if
namespace: t
inputs:
  - { id: value, type: STRING, required: false }
tasks:
  - id: check
    type: core.flow.If
    condition: "{{ inputs.value }}"
    then: [{ id: yes, type: core.log.Log, message: "yes" }]
    else: [{ id: no, type: core.log.Log, message: "no" }]
`;
  it.each([
    ["true", "yes"],
    ["1", "yes"],
    ["abc", "yes"],
    ["false", "no"],
    ["0", "no"],
    ["-0", "no"],
    ["", "no"],
    [undefined, "no"],
  ])("If %j takes the %s branch", async (value, branch) => {
    const h = harness();
    const execution = await h.run(ifFlow, value === undefined ? {} : { value });
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual(["check", branch]);
    expect(runOf(execution, "check").outputs).toEqual({ evaluationResult: branch === "yes" });
  });

  it("fails an If whose condition cannot be rendered", async () => {
    const h = harness();
    const execution = await h.run(`id: if
namespace: t
tasks:
  - id: check
    type: core.flow.If
    condition: "{{ undefinedThing }}"
    then: [{ id: yes, type: core.log.Log, message: "yes" }]
`);
    expect(execution.state.current).toBe("FAILED");
    expect(h.logsOf(execution).find((l) => l.level === "ERROR")?.message).toMatch(/undefinedThing/);
  });

  it("Switch runs the matching case, else defaults, else fails", async () => {
    const flow = `id: sw
namespace: t
inputs: [{ id: v, type: STRING }]
tasks:
  - id: route
    type: core.flow.Switch
    value: "{{ inputs.v }}"
    cases:
      A: [{ id: a, type: core.log.Log, message: a }]
      "1": [{ id: one, type: core.log.Log, message: one }]
`;
    const h = harness();
    expect((await h.run(flow, { v: "A" })).taskRunList.map((r) => r.taskId)).toEqual(["route", "a"]);
    expect((await h.run(flow, { v: "1" })).taskRunList.map((r) => r.taskId)).toEqual(["route", "one"]);
    const none = await h.run(flow, { v: "Z" });
    expect(none.state.current).toBe("FAILED");
    expect(h.logsOf(none).find((l) => l.level === "ERROR")?.message).toBe(
      "no case matches the value 'Z' and there are no defaults",
    );
  });
});

describe("ForEach", () => {
  it("ends SUCCESS at once when every task of the loop is disabled, for ForEach and EachParallel alike", async () => {
    const h = harness();
    const execution = await h.run(`id: d
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: ["1", "2"]
    tasks:
      - { id: off, type: core.log.Log, message: x, disabled: true }
  - id: each_parallel
    type: core.flow.EachParallel
    value: '["a", "b"]'
    tasks:
      - { id: off2, type: core.log.Log, message: x, disabled: true }
  - { id: end, type: core.log.Log, message: x }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual(["each", "each_parallel", "end"]);
    checkInvariants(execution);
  });

  it("keys outputs by value, exposes taskrun.value and parent.taskrun.value, nests", async () => {
    const h = harness();
    const execution = await h.run(`id: fe
namespace: t
tasks:
  - id: outer
    type: core.flow.ForEach
    values: ["x", "y"]
    tasks:
      - id: inner
        type: core.flow.ForEach
        values: [1, 2]
        tasks:
          - id: pair
            type: core.debug.Return
            format: "{{ parent.taskrun.value }}-{{ taskrun.value }}"
      - id: group
        type: core.flow.Sequential
        tasks:
          - id: deep
            type: core.debug.Return
            format: "{{ parents[1].taskrun.value ?? parent.taskrun.value }}"
  - id: read
    type: core.debug.Return
    format: "{{ outputs.pair['y']['2'].value }}"
`);
    expect(execution.state.current).toBe("SUCCESS");
    const outputs = outputsOf(execution) as Record<string, Record<string, unknown>>;
    expect(outputs.pair).toEqual({
      x: { "1": { value: "x-1" }, "2": { value: "x-2" } },
      y: { "1": { value: "y-1" }, "2": { value: "y-2" } },
    });
    expect(runOf(execution, "read").outputs).toEqual({ value: "y-2" });
    expect(runsOf(execution, "deep").map((r) => r.outputs?.value)).toEqual(["x", "y"]);
    checkInvariants(execution);
  });

  it("runs `concurrencyLimit` values at a time (0 = all), one value's tasks in order", async () => {
    const flow = (limit: number) => `id: fe
namespace: t
tasks:
  - id: loop
    type: core.flow.ForEach
    values: [a, b, c, d]
    concurrencyLimit: ${limit}
    tasks:
      - { id: first, type: core.flow.Sleep, duration: PT1S }
      - { id: second, type: core.flow.Sleep, duration: PT1S }
`;
    const h = harness();
    for (const [limit, total] of [
      [1, 8_000],
      [2, 4_000],
      [0, 2_000],
    ] as const) {
      const execution = await h.run(flow(limit));
      expect(ms(execution.state.endDate ?? "") - ms(execution.state.startDate), `limit ${limit}`).toBe(total);
      for (const second of runsOf(execution, "second")) {
        const first = execution.taskRunList.find((r) => r.taskId === "first" && r.value === second.value);
        expect(Date.parse(second.state.startDate)).toBeGreaterThanOrEqual(
          Date.parse(first?.state.endDate ?? ""),
        );
      }
    }
  });

  it("accepts values as a JSON string from an expression, deduplicated", async () => {
    const h = harness();
    const execution = await h.run(
      `id: fe
namespace: t
inputs: [{ id: list, type: JSON }]
tasks:
  - id: loop
    type: core.flow.ForEach
    values: "{{ inputs.list }}"
    tasks: [{ id: each, type: core.debug.Return, format: "{{ taskrun.value }}" }]
`,
      { list: '[1, {"a": 2}, 1]' },
    );
    expect(runsOf(execution, "each").map((r) => r.value)).toEqual(["1", '{"a":2}']);
  });

  it("stops after a failed value when values run one at a time", async () => {
    const h = harness();
    const execution = await h.run(`id: fe
namespace: t
tasks:
  - id: loop
    type: core.flow.ForEach
    values: [a, b, c]
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ taskrun.value == 'b' }}"
`);
    expect(execution.state.current).toBe("FAILED");
    expect(runsOf(execution, "work").map((r) => r.value)).toEqual(["a", "b"]);
  });

  it("succeeds at once on an empty list", async () => {
    const h = harness();
    const execution = await h.run(
      `id: fe\nnamespace: t\ntasks:\n  - id: loop\n    type: core.flow.ForEach\n    values: []\n    tasks: [{ id: x, type: core.log.Log, message: x }]\n`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(execution.taskRunList).toHaveLength(1);
  });
});

describe("Dag", () => {
  it("starts a task when every task it depends on has ended", async () => {
    const h = harness();
    const execution = await h.run(`id: dag
namespace: t
tasks:
  - id: dag
    type: core.flow.Dag
    tasks:
      - task: { id: a, type: core.flow.Sleep, duration: PT1S }
      - task: { id: b, type: core.flow.Sleep, duration: PT3S }
        dependsOn: [a]
      - task: { id: c, type: core.flow.Sleep, duration: PT1S }
        dependsOn: [a]
      - task: { id: d, type: core.log.Log, message: d }
        dependsOn: [b, c]
      - task: { id: e, type: core.flow.Sleep, duration: PT1S }
`);
    expect(execution.state.current).toBe("SUCCESS");
    const at = (id: string) => ms(runOf(execution, id).state.startDate);
    expect([at("a"), at("e"), at("b"), at("c"), at("d")]).toEqual([0, 0, 1000, 1000, 4000]);
  });
});

describe("LoopUntil", () => {
  const counting = (format: string) => `id: loop
namespace: t
tasks:
  - id: loop
    type: core.flow.LoopUntil
    condition: "{{ outputs.count.value | number >= 3 }}"
    checkFrequency:
      interval: PT10S
    tasks:
      - id: count
        type: core.debug.Return
        format: "${format}"
`;

  it("repeats until the condition holds, every interval, iterationCount being the running iteration", async () => {
    const h = harness();
    // Kestra's LoopUntil.outputs: iterationCount is 1 while the first iteration runs (waitfor-nested).
    const execution = await h.run(counting("{{ outputs.loop.iterationCount }}"));
    expect(execution.state.current).toBe("SUCCESS");
    expect(runOf(execution, "loop").outputs).toEqual({ iterationCount: 3 });
    expect(runsOf(execution, "count").map((r) => [r.iteration, ms(r.state.startDate)])).toEqual([
      [1, 0],
      [2, 10_000],
      [3, 20_000],
    ]);
  });

  it("counts the ended iterations in a loop started before loopUntilCountsCurrent (an old Temporal history)", async () => {
    const h = harness({ loopUntilCountsCurrent: false });
    const execution = await h.run(counting("{{ outputs.loop.iterationCount + 1 }}"));
    expect(runOf(execution, "loop").outputs).toEqual({ iterationCount: 3 });
    expect(runsOf(execution, "count").map((r) => r.outputs?.value)).toEqual(["1", "2", "3"]);
  });

  it("stops at maxIterations, and fails there when failOnMaxReached", async () => {
    const flow = (fail: boolean) => `id: loop
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ false }}"
    failOnMaxReached: ${fail}
    checkFrequency: { interval: PT1S, maxIterations: 4 }
    tasks: [{ id: tick, type: core.log.Log, message: tick }]
`;
    const h = harness();
    const lenient = await h.run(flow(false));
    expect(lenient.state.current).toBe("SUCCESS");
    expect(runsOf(lenient, "tick")).toHaveLength(4);
    expect(h.logsOf(lenient).some((l) => l.message === "Max iterations reached")).toBe(true);
    expect((await h.run(flow(true))).state.current).toBe("FAILED");
  });
});

describe("AllowFailure, Sleep, disabled, runIf", () => {
  it("turns a failure inside AllowFailure into WARNING and goes on", async () => {
    const h = harness();
    const execution = await h.run(`id: af
namespace: t
tasks:
  - id: tolerant
    type: core.flow.AllowFailure
    tasks: [{ id: boom, type: core.execution.Fail }]
  - { id: after, type: core.log.Log, message: after }
`);
    expect(execution.state.current).toBe("WARNING");
    expect(stateOf(execution, "tolerant")).toBe("WARNING");
    expect(stateOf(execution, "after")).toBe("SUCCESS");
  });

  it("Sleep waits its duration on the clock, holding no worker", async () => {
    const h = harness();
    const execution = await h.run(
      `id: s\nnamespace: t\ntasks:\n  - { id: nap, type: core.flow.Sleep, duration: PT1H }\n`,
    );
    expect(ms(execution.state.endDate ?? "")).toBe(3_600_000);
  });

  it("creates no task run for a disabled task, and a SKIPPED one when runIf is false", async () => {
    const h = harness();
    const execution = await h.run(`id: s
namespace: t
tasks:
  - { id: off, type: core.log.Log, message: x, disabled: true }
  - { id: skip, type: core.log.Log, message: x, runIf: "{{ 1 == 2 }}" }
  - { id: go, type: core.log.Log, message: x, runIf: "{{ 1 == 1 }}" }
`);
    expect(execution.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["skip", "SKIPPED"],
      ["go", "SUCCESS"],
    ]);
    expect(execution.state.current).toBe("SUCCESS");
  });

  it("reads a task's `when` as its runIf (Kestra 2.0's name, TaskWithWhenTest)", async () => {
    const h = harness();
    const execution = await h.run(`id: w
namespace: t
tasks:
  - { id: skip, type: core.log.Log, message: x, when: "false" }
  - { id: go, type: core.log.Log, message: x, when: "{{ 1 == 1 }}" }
`);
    expect(execution.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["skip", "SKIPPED"],
      ["go", "SUCCESS"],
    ]);
  });

  it("fails a task whose runIf cannot be rendered (strict variables)", async () => {
    const h = harness();
    const execution = await h.run(
      `id: s\nnamespace: t\ntasks:\n  - { id: t, type: core.log.Log, message: x, runIf: "{{ outputs.notexists == 2 }}" }\n`,
    );
    expect(stateOf(execution, "t")).toBe("FAILED");
    expect(execution.state.current).toBe("FAILED");
  });

  it.each([
    [false, false, "FAILED", "FAILED"],
    [true, false, "WARNING", "WARNING"],
    [true, true, "SUCCESS", "SUCCESS"],
  ])(
    "allowFailure=%s allowWarning=%s ends the task %s",
    async (allowFailure, allowWarning, task, execution) => {
      const h = harness();
      const result = await h.run(`id: s
namespace: t
tasks:
  - { id: boom, type: core.execution.Fail, allowFailure: ${allowFailure}, allowWarning: ${allowWarning} }
`);
      expect(stateOf(result, "boom")).toBe(task);
      expect(result.state.current).toBe(execution);
      expect(runOf(result, "boom").attempts.map((a) => a.state.current)).toEqual(["FAILED"]);
    },
  );
});

describe("afterExecution and flow outputs", () => {
  it("renders outputs at the end, then runs afterExecution with the final state; its failure changes nothing", async () => {
    const h = harness();
    const execution = await h.run(`id: after
namespace: t
outputs:
  - { id: answer, type: INT, value: "{{ outputs.compute.value }}" }
tasks:
  - { id: compute, type: core.debug.Return, format: "{{ 6 * 7 }}" }
afterExecution:
  - id: report
    type: core.debug.Return
    format: "{{ execution.state }} {{ execution.outputs.answer }}"
  - { id: broken, type: core.execution.Fail }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(execution.outputs).toEqual({ answer: 42 });
    expect(runOf(execution, "report").outputs).toEqual({ value: "SUCCESS 42" });
    expect(stateOf(execution, "broken")).toBe("FAILED");
    expect(histories(execution.state)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
  });

  it("fails the execution when an output cannot be rendered or converted", async () => {
    const h = harness();
    const execution = await h.run(`id: out
namespace: t
outputs:
  - { id: n, type: INT, value: "not a number" }
tasks:
  - { id: t, type: core.log.Log, message: x }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(h.logsOf(execution).find((l) => l.level === "ERROR")?.message).toMatch(
      /output 'n': 'not a number' is not an integer/,
    );
  });
});

describe("dynamic properties of flowable tasks", () => {
  it("renders expressions for counts and flags once, when the run starts", async () => {
    const h = harness();
    const execution = await h.run(
      `id: dyn
namespace: t
inputs:
  - { id: width, type: INT }
  - { id: tries, type: INT }
tasks:
  - id: fan
    type: core.flow.Parallel
    concurrent: "{{ inputs.width }}"
    tasks:
      - { id: a, type: core.flow.Sleep, duration: PT10S }
      - { id: b, type: core.flow.Sleep, duration: PT10S }
      - { id: c, type: core.flow.Sleep, duration: PT10S }
  - id: loop
    type: core.flow.ForEach
    values: [x, y]
    concurrencyLimit: "{{ inputs.width - 1 }}"
    tasks: [{ id: each, type: core.flow.Sleep, duration: PT1S }]
  - id: until
    type: core.flow.LoopUntil
    condition: "{{ false }}"
    failOnMaxReached: "{{ inputs.tries > 100 }}"
    checkFrequency: { interval: PT1S, maxIterations: "{{ inputs.tries }}" }
    tasks: [{ id: tick, type: core.log.Log, message: tick }]
`,
      { width: 2, tries: 3 },
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(["a", "b", "c"].map((id) => ms(runOf(execution, id).state.startDate))).toEqual([0, 0, 10_000]);
    const loop = runsOf(execution, "each").map(
      (r) => ms(r.state.startDate) - ms(runOf(execution, "loop").state.startDate),
    );
    expect(loop).toEqual([0, 1000]);
    expect(runsOf(execution, "tick")).toHaveLength(3);
  });

  it("fails the task when a rendered value has the wrong type", async () => {
    const h = harness();
    const execution = await h.run(`id: dyn
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    concurrent: "{{ 'many' }}"
    tasks: [{ id: a, type: core.log.Log, message: a }]
`);
    expect(stateOf(execution, "fan")).toBe("FAILED");
    expect(h.logsOf(execution).find((l) => l.level === "ERROR")?.message).toMatch(
      /^concurrent: '\{\{ 'many' \}\}' rendered to a value of the wrong type/,
    );
  });
});

describe("dynamic durations", () => {
  it("renders a Pause duration and a LoopUntil interval written as expressions", async () => {
    const h = harness();
    const execution = await h.run(
      `id: dur
namespace: t
inputs:
  - { id: wait, type: DURATION }
tasks:
  - { id: hold, type: core.flow.Pause, pauseDuration: "{{ inputs.wait }}" }
  - id: until
    type: core.flow.LoopUntil
    condition: "{{ outputs.tick.value == 'x' and false }}"
    checkFrequency: { interval: "{{ inputs.wait }}", maxIterations: 2 }
    tasks: [{ id: tick, type: core.debug.Return, format: x }]
`,
      { wait: "PT10M" },
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(ms(runOf(execution, "until").state.startDate)).toBe(600_000);
    expect(runsOf(execution, "tick").map((r) => ms(r.state.startDate))).toEqual([600_000, 1_200_000]);
  });

  it("renders a Pause behavior written as an expression (Kestra's pause-behavior)", async () => {
    const h = harness();
    const flow = `id: beh
namespace: t
inputs:
  - { id: behavior, type: STRING }
tasks:
  - { id: hold, type: core.flow.Pause, pauseDuration: PT1S, behavior: "{{ inputs.behavior }}" }
  - { id: last, type: core.log.Log, message: x }
`;
    const warned = await h.run(flow, { behavior: "WARN" });
    expect(warned.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["hold", "WARNING"],
      ["last", "SUCCESS"],
    ]);
    const failed = await h.run(flow, { behavior: "FAIL" });
    expect(failed.state.current).toBe("FAILED");
    expect(failed.taskRunList.map((r) => r.taskId)).toEqual(["hold"]);
  });
});
