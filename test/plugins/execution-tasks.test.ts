import { describe, expect, it } from "vitest";
import { parseIonValue } from "@/plugins/core/storage";
import { errorOf, flowOf, newEngine, outputsOf, run, taskRun, text } from "./helpers";

const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("core.log.Fetch", () => {
  it("writes the execution's logs at a level and for some tasks to an Ion file", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: fetch_logs
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Something looks odd
    level: WARN
  - id: other
    type: io.kestra.plugin.core.log.Log
    message: "info \\"quoted\\""
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    level: WARN
    tasksId: [hello]
  - id: all
    type: io.kestra.plugin.core.log.Fetch
  - id: elsewhere
    type: io.kestra.plugin.core.log.Fetch
    namespace: company.other
    flowId: other
    executionId: "{{ execution.id }}"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const fetched = outputsOf(execution, "fetch");
    expect(fetched.size).toBe(1);
    const lines = (await text(engine, fetched.uri)).trim().split("\n");
    expect(lines.map(parseIonValue)).toEqual([
      expect.objectContaining({
        namespace: "company.team",
        flowId: "fetch_logs",
        taskId: "hello",
        executionId: execution.id,
        level: "WARN",
        message: "Something looks odd",
      }),
    ]);
    const all = (await text(engine, outputsOf(execution, "all").uri)).trim().split("\n").map(parseIonValue);
    expect(all.map((e) => (e as { message: string }).message)).toEqual(
      expect.arrayContaining(["Something looks odd", 'info "quoted"']),
    );
    // Another flow's logs are found only under that flow: this execution is not one of company.other.other.
    expect(outputsOf(execution, "elsewhere").size).toBe(0);
  });
});

describe("core.execution.Count", () => {
  it("counts executions per flow in a date range and keeps the flows whose expression is true", async () => {
    const { engine } = newEngine();
    const target = `id: target
namespace: company.team
tasks:
  - id: ok
    type: io.kestra.plugin.core.debug.Return
    format: ok
`;
    await run(engine, target);
    await run(engine, target);
    const counts = await run(
      engine,
      `id: counts
namespace: company.team
tasks:
  - id: twice
    type: io.kestra.plugin.core.execution.Count
    flows:
      - namespace: company.team
        flowId: target
      - namespace: company.team
        flowId: never_ran
    startDate: "{{ now() | dateAdd(-1, 'DAYS') }}"
    expression: "{{ count >= 2 }}"
  - id: none
    type: io.kestra.plugin.core.execution.Count
    namespaces: [company]
    states: [SUCCESS]
    startDate: "{{ now() | dateAdd(-1, 'DAYS') }}"
    expression: "{{ count == 0 }}"
  - id: failed_only
    type: io.kestra.plugin.core.execution.Count
    flows:
      - namespace: company.team
        flowId: target
    states: [FAILED]
    startDate: "2020-01-01T00:00:00Z"
    expression: "{{ count == 0 }}"
`,
    );
    expect(counts.state.current).toBe("SUCCESS");
    expect(outputsOf(counts, "twice")).toEqual({
      results: [{ namespace: "company.team", flowId: "target", count: 2 }],
      total: 2,
    });
    // The flows of company.*: target ran (twice), counts itself is running (its state is not SUCCESS).
    expect(outputsOf(counts, "none")).toEqual({
      results: [{ namespace: "company.team", flowId: "counts", count: 0 }],
      total: 0,
    });
    expect(outputsOf(counts, "failed_only")).toEqual({
      results: [{ namespace: "company.team", flowId: "target", count: 0 }],
      total: 0,
    });
  });
});

describe("core.execution.Resume", () => {
  it("resumes a paused execution of another flow with onResume inputs", async () => {
    const { engine } = newEngine();
    const paused = await engine.start(
      flowOf(`id: approval_flow
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "approved={{ outputs.wait.onResume.approved }}"
`),
    );
    await settle();
    expect(engine.get(paused.id).state.current).toBe("PAUSED");
    const resumer = await run(
      engine,
      `id: resumer
namespace: company.team
inputs:
  - id: target
    type: STRING
tasks:
  - id: wrong_flow
    type: io.kestra.plugin.core.execution.Resume
    namespace: company.team
    flowId: not_it
    executionId: "{{ inputs.target }}"
    allowFailure: true
  - id: resume
    type: io.kestra.plugin.core.execution.Resume
    namespace: company.team
    flowId: approval_flow
    executionId: "{{ inputs.target }}"
    inputs:
      approved: true
  - id: again
    type: io.kestra.plugin.core.execution.Resume
    namespace: company.team
    flowId: approval_flow
    executionId: "{{ inputs.target }}"
    allowFailure: true
`,
      { target: paused.id },
    );
    expect(errorOf(resumer, "wrong_flow")).toBe(
      `execution ${paused.id} of flow company.team.not_it not found`,
    );
    expect(taskRun(resumer, "resume").state.current).toBe("SUCCESS");
    const done = await engine.wait(paused.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(engine.logs.some((l) => l.executionId === paused.id && l.message === "approved=true")).toBe(true);
    expect(errorOf(resumer, "again")).toMatch(/cannot be resumed: it is (RUNNING|SUCCESS), not PAUSED/);
  });
});

describe("core.trigger.Toggle", () => {
  it("disables and enables a trigger of a flow; a disabled Flow trigger no longer starts executions", async () => {
    const { engine } = newEngine();
    const upstream = `id: upstream
namespace: company.team
tasks:
  - id: ok
    type: io.kestra.plugin.core.debug.Return
    format: ok
`;
    engine.addFlow(
      flowOf(`id: downstream
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: triggered
triggers:
  - id: on_upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team
        flowId: upstream
`),
    );
    const downstreamRuns = () =>
      [...engine.executions.values()].filter((e) => e.flowId === "downstream").length;
    const toggle = (enabled: boolean) => `id: toggler
namespace: company.team
tasks:
  - id: toggle
    type: io.kestra.plugin.core.trigger.Toggle
    flowId: downstream
    trigger: on_upstream
    enabled: ${enabled}
  - id: unknown
    type: io.kestra.plugin.core.trigger.Toggle
    flowId: downstream
    trigger: nope
    allowFailure: true
`;
    await run(engine, upstream);
    await engine.idle();
    expect(downstreamRuns()).toBe(1);

    const off = await run(engine, toggle(false));
    expect(taskRun(off, "toggle").state.current).toBe("SUCCESS");
    expect(errorOf(off, "unknown")).toBe("flow company.team.downstream has no trigger 'nope'");
    expect(engine.flowOf({ namespace: "company.team", flowId: "downstream" }).triggers[0]?.disabled).toBe(
      true,
    );
    await run(engine, upstream);
    await engine.idle();
    expect(downstreamRuns()).toBe(1);

    await run(engine, toggle(true));
    await run(engine, upstream);
    await engine.idle();
    expect(downstreamRuns()).toBe(2);
  });
});

describe("core.templating.TemplatedTask", () => {
  it("renders the spec, validates it as a task and runs it in place", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: templated
namespace: company.team
inputs:
  - id: level
    type: STRING
    defaults: WARN
  - id: key
    type: STRING
    defaults: greeting
tasks:
  - id: log
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: |
      type: io.kestra.plugin.core.log.Log
      level: {{ inputs.level }}
      message: from a template
  - id: values
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: |
      type: io.kestra.plugin.core.output.OutputValues
      values:
        {{ inputs.key }}: hello
  - id: nested
    type: io.kestra.plugin.core.templating.TemplatedTask
    allowFailure: true
    spec: |
      type: io.kestra.plugin.core.templating.TemplatedTask
      spec: "type: io.kestra.plugin.core.log.Log"
  - id: invalid
    type: io.kestra.plugin.core.templating.TemplatedTask
    allowFailure: true
    spec: |
      type: io.kestra.plugin.core.log.Log
      mesage: typo
  - id: flowable
    type: io.kestra.plugin.core.templating.TemplatedTask
    allowFailure: true
    spec: |
      type: io.kestra.plugin.core.flow.Sequential
      tasks: []
`,
    );
    expect(
      engine.logs.some((l) => l.taskId === "log" && l.level === "WARN" && l.message === "from a template"),
    ).toBe(true);
    expect(outputsOf(execution, "values")).toEqual({ values: { greeting: "hello" } });
    expect(errorOf(execution, "nested")).toBe("a TemplatedTask cannot render another TemplatedTask");
    expect(errorOf(execution, "invalid")).toMatch(
      /^the rendered spec is not a valid core\.log\.Log task: .*mesage/,
    );
    expect(errorOf(execution, "flowable")).toBe(
      "the rendered spec must be a runnable task; io.kestra.plugin.core.flow.Sequential is flowable",
    );
  });
});

describe("core.execution.Labels", () => {
  it("writes a nested map or list value as JSON, as Kestra does (labels-update-nested-value-*)", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: nested_labels
namespace: company.team
tasks:
  - id: as_map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      stage: { name: done }
      count: 3
  - id: as_list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: steps
        value: [a, b]
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const labels = Object.fromEntries(execution.labels.map((l) => [l.key, l.value]));
    expect(labels).toMatchObject({ stage: '{"name":"done"}', count: "3", steps: '["a","b"]' });
  });

  it("fails on an empty key or value and sets none of its labels (RuntimeLabelsTest.updateIgnoresEmpty)", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: empty_labels
namespace: company.team
tasks:
  - id: from_string
    type: io.kestra.plugin.core.execution.Labels
    labels: '{ "kept": "yes", "emptyValue": "" }'
  - id: from_list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - { key: "", value: value2 }
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "from_string")).toBe(
      "label 'emptyValue' has an empty value: every label needs a key and a value",
    );
    expect(execution.labels.map((l) => l.key)).toEqual(["system.correlationId"]);
  });
});
