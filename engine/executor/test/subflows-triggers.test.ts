import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { createExecution } from "../create";
import { step } from "../step";
import { harness, runOf, runsOf, stateOf } from "./harness";

const child = `id: child
namespace: t.sub
inputs:
  - { id: n, type: INT }
outputs:
  - { id: doubled, type: INT, value: "{{ outputs.calc.value }}" }
tasks:
  - { id: calc, type: core.debug.Return, format: "{{ inputs.n * 2 }}" }
  - { id: maybe-fail, type: core.execution.Fail, condition: "{{ inputs.n < 0 }}" }
`;

describe("Subflow", () => {
  it("waits for the child and exposes its flow outputs; labels and correlation id carried over", async () => {
    const h = harness({ flows: [child] });
    const parent = await h.run(`id: parent
namespace: t
labels: { team: data }
tasks:
  - id: call
    type: core.flow.Subflow
    namespace: t.sub
    flowId: child
    inputs: { n: 21 }
    inheritLabels: true
    labels: { origin: parent }
  - { id: use, type: core.debug.Return, format: "{{ outputs.call.outputs.doubled }}" }
`);
    expect(parent.state.current).toBe("SUCCESS");
    const call = runOf(parent, "call");
    expect(call.outputs).toMatchObject({ state: "SUCCESS", outputs: { doubled: 42 } });
    expect(runOf(parent, "use").outputs?.value).toBe("42");
    const sub = h.engine.get(String(call.outputs?.executionId));
    expect(sub.parentId).toBe(parent.id);
    expect(sub.labels).toEqual(
      expect.arrayContaining([
        { key: "team", value: "data" },
        { key: "origin", value: "parent" },
        { key: "system.correlationId", value: parent.id },
      ]),
    );
    expect(sub.trigger).toMatchObject({
      id: "call",
      variables: { executionId: parent.id, namespace: "t", flowId: "parent" },
    });
  });

  it("fails with the child unless transmitFailed is false; does not wait when wait is false", async () => {
    const h = harness({ flows: [child] });
    const call = (extra: string) => `id: parent-${extra.replace(/\W/g, "")}
namespace: t
tasks:
  - { id: call, type: core.flow.Subflow, namespace: t.sub, flowId: child, inputs: { n: -1 }${extra} }
`;
    expect((await h.run(call(""))).state.current).toBe("FAILED");
    expect((await h.run(call(", transmitFailed: false"))).state.current).toBe("SUCCESS");
    const noWait = await h.run(call(", wait: false"));
    expect(noWait.state.current).toBe("SUCCESS");
    expect(runOf(noWait, "call").outputs).toEqual({ executionId: expect.any(String) });
  });

  it("restarts the failed child in place on the parent's restart (RETRY_FAILED), or a new one (NEW_EXECUTION)", async () => {
    const flaky = `id: flaky_child
namespace: t.sub
tasks:
  - { id: first, type: core.log.Log, message: once }
  - { id: shaky, type: test.Flaky, succeedOnAttempt: 2 }
`;
    for (const behavior of ["RETRY_FAILED", "NEW_EXECUTION"]) {
      const h = harness({ flows: [flaky] });
      const failed = await h.run(`id: parent
namespace: t
tasks:
  - { id: call, type: core.flow.Subflow, namespace: t.sub, flowId: flaky_child, restartBehavior: ${behavior} }
`);
      expect(failed.state.current).toBe("FAILED");
      const firstChild = runOf(failed, "call").outputs?.executionId as string;
      await h.engine.restart(failed.id);
      const restarted = await h.engine.wait(failed.id);
      expect(h.engine.takeFailures()).toEqual([]);
      const childId = runOf(restarted, "call").outputs?.executionId as string;
      const child = h.engine.get(childId);
      if (behavior === "RETRY_FAILED") {
        expect(restarted.state.current).toBe("SUCCESS");
        expect(childId).toBe(firstChild);
        expect(child.metadata.attemptNumber).toBe(2);
        // Only the failed task ran again: a second attempt on the same run; the Log ran once.
        expect(runOf(child, "shaky").attempts.map((a) => a.state.current)).toEqual(["FAILED", "SUCCESS"]);
        expect(runsOf(child, "first")).toHaveLength(1);
        expect(runOf(restarted, "call").outputs).toMatchObject({ executionId: firstChild, state: "SUCCESS" });
      } else {
        expect(childId).not.toBe(firstChild);
        expect(restarted.state.current).toBe("FAILED");
        expect(child.metadata.attemptNumber).toBe(1);
      }
    }
  });

  it("fails clearly when the subflow does not exist or its inputs are invalid", async () => {
    const h = harness({ flows: [child] });
    const missing = await h.run(
      `id: p1\nnamespace: t\ntasks:\n  - { id: call, type: core.flow.Subflow, namespace: t.sub, flowId: nope }\n`,
    );
    expect(missing.state.current).toBe("FAILED");
    expect(h.logsOf(missing).find((l) => l.level === "ERROR")?.message).toBe("flow t.sub.nope not found");
    const invalid = await h.run(
      `id: p2\nnamespace: t\ntasks:\n  - { id: call, type: core.flow.Subflow, namespace: t.sub, flowId: child, inputs: { n: abc } }\n`,
    );
    expect(h.logsOf(invalid).find((l) => l.level === "ERROR")?.message).toBe(
      "invalid subflow inputs: input 'n': 'abc' is not an integer",
    );
  });

  it("kills running subflows when the parent is killed", async () => {
    const h = harness({ flows: [`id: slow\nnamespace: t\ntasks:\n  - { id: hang, type: test.Hang }\n`] });
    const parent = await h.startAndSettle(
      `id: p\nnamespace: t\ntasks:\n  - { id: call, type: core.flow.Subflow, namespace: t, flowId: slow }\n`,
    );
    const childId = String(runOf(parent, "call").outputs?.executionId);
    await h.engine.kill(parent.id);
    await h.engine.idle();
    expect(h.engine.get(childId).state.current).toBe("KILLED");
  });
});

describe("Flow triggers", () => {
  it("trigger-flow.yaml: a listener execution gets inputs rendered from the upstream execution", async () => {
    const h = harness({
      flows: [
        `id: trigger-flow-listener
namespace: io.kestra.tests.trigger
inputs:
  - { id: from-parent, type: STRING }
tasks:
  - { id: only-listener, type: io.kestra.plugin.core.debug.Return, format: "childs: {{inputs['from-parent']}}" }
triggers:
  - id: listen-flow
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      from-parent: '{{ outputs.only.value }}'
    conditions:
      - { type: io.kestra.plugin.core.condition.ExecutionStatus, in: [SUCCESS] }
      - { type: io.kestra.plugin.core.condition.ExecutionFlow, namespace: io.kestra.tests.trigger, flowId: trigger-flow }
`,
      ],
    });
    const upstream = await h.run(`id: trigger-flow
namespace: io.kestra.tests.trigger
tasks:
  - { id: only, type: io.kestra.plugin.core.debug.Return, format: "from parents: {{execution.id}}" }
`);
    await h.engine.idle();
    const listener = [...h.engine.executions.values()].find((e) => e.flowId === "trigger-flow-listener");
    expect(listener?.state.current).toBe("SUCCESS");
    expect(listener?.inputs).toEqual({ "from-parent": `from parents: ${upstream.id}` });
    expect(listener?.trigger).toMatchObject({
      id: "listen-flow",
      variables: { executionId: upstream.id, state: "SUCCESS" },
    });
    expect(listener?.labels).toContainEqual({ key: "system.correlationId", value: upstream.id });
  });

  it("fires only when its when (Kestra 2.0) holds over the trigger's variables", async () => {
    const h = harness({
      flows: [
        `id: listener
namespace: t
tasks: [{ id: x, type: core.log.Log, message: x }]
triggers:
  - id: on-end
    type: core.trigger.Flow
    when: "{{ trigger.flowId == 'wanted' }}"
`,
      ],
    });
    await h.run(`id: other\nnamespace: t\ntasks: [{ id: y, type: core.log.Log, message: y }]\n`);
    await h.engine.idle();
    expect([...h.engine.executions.values()].filter((e) => e.flowId === "listener")).toHaveLength(0);
    await h.run(`id: wanted\nnamespace: t\ntasks: [{ id: y, type: core.log.Log, message: y }]\n`);
    await h.engine.idle();
    expect([...h.engine.executions.values()].filter((e) => e.flowId === "listener")).toHaveLength(1);
  });

  it("does not fire when a condition does not hold", async () => {
    const h = harness({
      flows: [
        `id: listener
namespace: t
tasks: [{ id: x, type: core.log.Log, message: x }]
triggers:
  - id: on-failure
    type: core.trigger.Flow
    states: [FAILED]
    conditions:
      - { type: core.condition.ExecutionNamespace, namespace: t, comparison: PREFIX }
`,
      ],
    });
    await h.run(`id: ok\nnamespace: t.a\ntasks: [{ id: y, type: core.log.Log, message: y }]\n`);
    await h.run(`id: ko\nnamespace: other\ntasks: [{ id: z, type: core.execution.Fail }]\n`);
    await h.engine.idle();
    expect([...h.engine.executions.values()].filter((e) => e.flowId === "listener")).toHaveLength(0);
    await h.run(`id: ko2\nnamespace: t.b\ntasks: [{ id: z, type: core.execution.Fail }]\n`);
    await h.engine.idle();
    expect([...h.engine.executions.values()].filter((e) => e.flowId === "listener")).toHaveLength(1);
  });

  it("fires once every precondition is met within its window", async () => {
    const h = harness({
      flows: [
        `id: both
namespace: t
tasks: [{ id: x, type: core.log.Log, message: x }]
triggers:
  - id: after-a-and-b
    type: core.trigger.Flow
    preconditions:
      id: ab
      timeWindow: { type: SLIDING_WINDOW, window: PT1H }
      flows:
        - { namespace: t, flowId: a, states: [SUCCESS] }
        - { namespace: t, flowId: b, states: [SUCCESS] }
`,
      ],
    });
    const count = () => [...h.engine.executions.values()].filter((e) => e.flowId === "both").length;
    await h.run(`id: a\nnamespace: t\ntasks: [{ id: x, type: core.log.Log, message: a }]\n`);
    await h.engine.idle();
    expect(count()).toBe(0);
    await h.run(`id: b\nnamespace: t\ntasks: [{ id: x, type: core.log.Log, message: b }]\n`);
    await h.engine.idle();
    expect(count()).toBe(1);
  });
});

describe("Flow trigger dependsOn (Kestra 2.0)", () => {
  const downstream = `id: report
namespace: t
inputs:
  - { id: rows, type: INT }
tasks:
  - { id: sum, type: core.debug.Return, format: "{{ inputs.rows }} {{ trigger.outputs.extract.rows }} {{ trigger.outputs.reference.rows }}" }
triggers:
  - id: after-both
    type: core.trigger.Flow
    inputs:
      rows: "{{ trigger.outputs.extract.rows + trigger.outputs.reference.rows }}"
    window: { every: PT1H }
    dependsOn:
      - { namespace: t, flowId: extract, states: [SUCCESS] }
      - { namespace: t, flowId: reference, states: [SUCCESS, WARNING], labels: { env: prod } }
`;
  const upstream = (id: string, rows: number, labels = "") => `id: ${id}
namespace: t
${labels}
outputs:
  - { id: rows, type: INT, value: "{{ outputs.count.value }}" }
tasks:
  - { id: count, type: core.debug.Return, format: "${rows}" }
`;
  const reports = (h: ReturnType<typeof harness>) =>
    [...h.engine.executions.values()].filter((e) => e.flowId === "report");

  it("waits for every dependency, then starts once with each upstream's outputs under its flow id", async () => {
    const h = harness({ flows: [downstream] });
    const extract = await h.run(upstream("extract", 3));
    await h.engine.idle();
    expect(reports(h)).toHaveLength(0);
    await h.run(upstream("reference", 4)); // lacks the env label: does not count
    await h.engine.idle();
    expect(reports(h)).toHaveLength(0);
    const reference = await h.run(upstream("reference", 4, "labels: { env: prod }"));
    await h.engine.idle();
    const [report] = reports(h);
    expect(reports(h)).toHaveLength(1);
    const done = await h.engine.wait(report?.id ?? "");
    expect(done.state.current).toBe("SUCCESS");
    expect(done.inputs).toEqual({ rows: 7 });
    expect(runOf(done, "sum").outputs?.value).toBe("7 3 4");
    // trigger.* describes the last upstream; trigger.outputs.<key> stays its own outputs, as in 1.x.
    expect(done.trigger?.variables).toMatchObject({
      executionId: reference.id,
      flowId: "reference",
      outputs: { rows: 4, extract: { rows: 3 }, reference: { rows: 4 } },
    });
    expect(extract.id).not.toBe(reference.id);
    // Fired: the window's state is reset, so one more upstream does not start another execution.
    await h.run(upstream("extract", 5));
    await h.engine.idle();
    expect(reports(h)).toHaveLength(1);
  });

  it("forgets a dependency met in an earlier window", async () => {
    const h = harness({ flows: [downstream] });
    await h.run(upstream("extract", 3));
    h.clock.tick(3_600_000);
    await h.run(upstream("reference", 4, "labels: { env: prod }"));
    await h.engine.idle();
    expect(reports(h)).toHaveLength(0);
  });

  it("mode ANY and a dependency's when over the upstream execution", async () => {
    const h = harness({
      flows: [
        `id: any
namespace: t
tasks: [{ id: x, type: core.log.Log, message: "{{ trigger.flowId }}" }]
triggers:
  - id: either
    type: core.trigger.Flow
    mode: ANY
    dependsOn:
      - { flowId: a, when: "{{ outputs.r.value == 'go' }}" }
      - { flowId: b }
`,
      ],
    });
    const count = () => [...h.engine.executions.values()].filter((e) => e.flowId === "any").length;
    await h.run(`id: a\nnamespace: t\ntasks: [{ id: r, type: core.debug.Return, format: stop }]\n`);
    await h.engine.idle();
    expect(count()).toBe(0);
    await h.run(`id: a\nnamespace: t\ntasks: [{ id: r, type: core.debug.Return, format: go }]\n`);
    await h.engine.idle();
    expect(count()).toBe(1);
    await h.run(`id: b\nnamespace: t\ntasks: [{ id: r, type: core.debug.Return, format: x }]\n`);
    await h.engine.idle();
    expect(count()).toBe(2);
  });

  it("starts an execution that ends FAILED, saying why, when the trigger's inputs do not render (Kestra 2.0)", async () => {
    const h = harness({
      flows: [
        `id: strict
namespace: t
inputs: [{ id: n, type: INT }]
tasks: [{ id: x, type: core.log.Log, message: x }]
triggers:
  - id: after-a
    type: core.trigger.Flow
    inputs: { n: "{{ trigger.outputs.nothing.here }}" }
    dependsOn: [{ flowId: a }]
`,
      ],
    });
    await h.run(`id: a\nnamespace: t\ntasks: [{ id: r, type: core.debug.Return, format: x }]\n`);
    await h.engine.idle();
    const [strict] = [...h.engine.executions.values()].filter((e) => e.flowId === "strict");
    const done = await h.engine.wait(strict?.id ?? "");
    expect(done.state.current).toBe("FAILED");
    expect(done.taskRunList).toEqual([]);
    expect(h.logsOf(done).map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^Flow execution failed because its trigger's inputs are invalid: inputs: /),
    );
  });

  it("refuses mix-ups between dependsOn and 1.x preconditions, and impossible modes, saying what to write", () => {
    const h = harness();
    const errors = (trigger: string) => {
      const { errors } = loadFlow(
        `id: f\nnamespace: t\ntasks: [{ id: x, type: core.log.Log, message: x }]\ntriggers:\n  - id: t\n    type: core.trigger.Flow\n${trigger}`,
        { registry: h.registry },
      );
      return errors.map((e) => e.message).join("\n");
    };
    expect(
      errors("    dependsOn: [{ flowId: a }]\n    preconditions: { flows: [{ namespace: t, flowId: a }] }\n"),
    ).toMatch(/`preconditions` \(Kestra 1.x\) and `dependsOn` \(Kestra 2.0\) cannot be combined/);
    expect(errors("    dependsOn: [{ flowId: a }]\n    mode: AT_LEAST\n")).toMatch(/needs `minSatisfied`/);
    expect(errors("    dependsOn: [{ flowId: a }]\n    mode: AT_LEAST\n    minSatisfied: 3\n")).toMatch(
      /`minSatisfied` is 3 but `dependsOn` has 1 entry/,
    );
    expect(errors("    window: { lookback: PT1H }\n")).toMatch(/`window` applies to `dependsOn`/);
    expect(
      errors("    dependsOn: [{ flowId: a }]\n    window: { deadline: '09:00', lookback: PT1H }\n"),
    ).toMatch(/`lookback` cannot be combined with `deadline`/);
    expect(errors("    dependsOn: [{ flowId: a }]\n    window: { from: '09:00' }\n")).toMatch(
      /both `from` and `to`/,
    );
    expect(errors("    dependsOn: [{ flowId: a }]\n    window: { every: PT1H, offset: PT5M }\n")).toBe("");
  });
});

describe("kv()", () => {
  it("kv.yaml: reads a KV entry in the flow's namespace or a given one", async () => {
    const h = harness();
    await h.engine.kv.set("io.kestra.tests", "my-key", { field: "value" });
    const execution = await h.run(`id: kv
namespace: io.kestra.tests
inputs:
  - { name: namespace, type: STRING, required: false, defaults: "io.kestra.tests" }
  - { name: errorOnMissing, type: BOOLEAN, required: false, defaults: false }
tasks:
  - { id: get, type: io.kestra.plugin.core.debug.Return, format: "{{ kv('my-key').field ?? null }}" }
  - { id: getWithArgs, type: io.kestra.plugin.core.debug.Return, format: "{{ kv('my-key', inputs.namespace, inputs.errorOnMissing).field }}" }
  - { id: missing, type: io.kestra.plugin.core.debug.Return, format: "{{ kv('nope', inputs.namespace, false) ?? 'none' }}" }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(runOf(execution, "get").outputs?.value).toBe("value");
    expect(runOf(execution, "getWithArgs").outputs?.value).toBe("value");
    expect(runOf(execution, "missing").outputs?.value).toBe("none");
  });

  it("fails a task reading a missing key by default", async () => {
    const h = harness();
    const execution = await h.run(
      `id: kv\nnamespace: t\ntasks:\n  - { id: get, type: core.debug.Return, format: "{{ kv('absent') }}" }\n`,
    );
    expect(stateOf(execution, "get")).toBe("FAILED");
    expect(h.logsOf(execution).find((l) => l.level === "ERROR")?.message).toMatch(
      /the key 'absent' does not exist in the namespace 't'/,
    );
  });
});

describe("step is deterministic", () => {
  it("gives the same execution and commands for the same inputs and env, and never mutates its input", async () => {
    const h = harness();
    const flow = h.load(`id: det
namespace: t
tasks:
  - id: fan
    type: core.flow.Parallel
    tasks:
      - { id: a, type: core.log.Log, message: a }
      - { id: b, type: core.flow.Sleep, duration: PT1S }
`);
    const env = () => {
      let n = 0;
      return {
        now: () => new Date("2024-01-01T00:00:00Z"),
        random: () => 0.5,
        newId: () => `x${++n}`,
        registry: h.registry,
      };
    };
    const created = await createExecution(flow, {}, env());
    const frozen = JSON.stringify(created);
    const one = await step(flow, created, { type: "start" }, env());
    const two = await step(flow, created, { type: "start" }, env());
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(JSON.stringify(created)).toBe(frozen);
    expect(one.commands.map((c) => c.type)).toEqual(["runTask", "startTimer"]);
  });
});
