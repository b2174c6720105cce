import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { loadFlow, loadFlows } from "../load";

const registry = builtInRegistry();
const load = (text: string) => loadFlow(text, { registry });

describe("loadFlow", () => {
  it("types a minimal flow and fills defaults", () => {
    const { flow, errors } = load(`id: hello
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hi
`);
    expect(errors).toEqual([]);
    expect(flow).toMatchObject({
      id: "hello",
      namespace: "company.team",
      revision: 1,
      labels: [],
      inputs: [],
      errors: [],
      finally: [],
      afterExecution: [],
      triggers: [],
      disabled: false,
    });
    expect(flow?.tasks[0]).toMatchObject({
      id: "say",
      type: "io.kestra.plugin.core.log.Log",
      message: "hi",
      level: "INFO",
      disabled: false,
      allowFailure: false,
    });
  });

  it("accepts canonical, Kestra and old alias type names for the same plugin", () => {
    for (const type of ["core.log.Log", "io.kestra.plugin.core.log.Log", "io.kestra.core.tasks.log.Log"]) {
      const { errors } = load(`id: f\nnamespace: n\ntasks:\n  - id: t\n    type: ${type}\n    message: m\n`);
      expect(errors, type).toEqual([]);
    }
    expect(registry.get("io.kestra.core.tasks.flows.WaitFor")?.type).toBe("core.flow.LoopUntil");
    expect(registry.get("io.kestra.plugin.core.flow.EachSequential")?.type).toBe("core.flow.EachSequential");
  });

  it("normalises labels written as a map or as a list", () => {
    const map = load(
      `id: f\nnamespace: n\nlabels:\n  team: data\n  tier: 1\ntasks:\n  - id: t\n    type: core.log.Log\n    message: m\n`,
    );
    const list = load(
      `id: f\nnamespace: n\nlabels:\n  - key: team\n    value: data\n  - key: tier\n    value: 1\ntasks:\n  - id: t\n    type: core.log.Log\n    message: m\n`,
    );
    expect(map.flow?.labels).toEqual([
      { key: "team", value: "data" },
      { key: "tier", value: "1" },
    ]);
    expect(list.flow?.labels).toEqual(map.flow?.labels);
  });

  it("reads `name` as the old spelling of an input id", () => {
    const { flow } = load(
      `id: f\nnamespace: n\ninputs:\n  - name: legacy\n    type: STRING\ntasks:\n  - id: t\n    type: core.log.Log\n    message: m\n`,
    );
    expect(flow?.inputs[0]?.id).toBe("legacy");
  });

  it("validates nested tasks of every flowable slot (then, else, cases, Dag tasks)", () => {
    const { errors } = load(`id: f
namespace: n
tasks:
  - id: if
    type: core.flow.If
    condition: "{{ true }}"
    then:
      - id: a
        type: core.log.Log
    else:
      - id: b
        type: core.log.Log
        message: ok
        bogus: 1
  - id: switch
    type: core.flow.Switch
    value: x
    cases:
      x:
        - id: c
          type: core.nope.Nope
  - id: dag
    type: core.flow.Dag
    tasks:
      - task:
          id: d
          type: core.log.Log
          level: LOUD
          message: m
`);
    expect(errors.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      "8:9 tasks[0].then[0].message",
      "14:9 tasks[0].else[0].bogus",
      "21:17 tasks[1].cases.x[0].type",
      "28:18 tasks[2].tasks[0].task.level",
    ]);
  });

  it("loads several documents for bulk validation, each on its own", () => {
    const loads = loadFlows(
      `id: a\nnamespace: n\ntasks:\n  - id: t\n    type: core.log.Log\n    message: m\n---\nid: b\nnamespace: n\ntasks: []\n`,
      { registry },
    );
    expect(loads).toHaveLength(2);
    expect(loads[0]?.errors).toEqual([]);
    expect(loads[1]?.errors).toEqual([
      { path: "tasks", line: 10, column: 8, message: "at least 1 task is required" },
    ]);
  });

  it("refuses several documents where one flow is expected", () => {
    const result = load(
      `id: a\nnamespace: n\ntasks:\n  - id: t\n    type: core.log.Log\n    message: m\n---\nid: b\n`,
    );
    expect(result.errors[0]?.message).toBe("expected one flow, found several YAML documents");
    expect(result.flow).toBeUndefined();
  });

  it("reports an empty document", () => {
    expect(load("").errors[0]?.message).toBe("the document is empty");
    expect(load("just a string").errors[0]?.message).toMatch(/YAML map/);
  });

  it("warns about deprecated types without failing", () => {
    const { flow, warnings } = load(
      `id: f\nnamespace: n\ntasks:\n  - id: e\n    type: io.kestra.plugin.core.debug.Echo\n    format: hi\n`,
    );
    expect(flow).toBeDefined();
    expect(warnings[0]).toMatchObject({
      line: 5,
      column: 11,
      message: expect.stringMatching(/deprecated: use core.log.Log/),
    });
  });

  it("accepts expressions where numbers and booleans are expected, and coerces numeric strings", () => {
    const { flow, errors } = load(`id: f
namespace: n
tasks:
  - id: loop
    type: core.flow.ForEach
    values: "{{ inputs.list }}"
    concurrencyLimit: "{{ inputs.limit }}"
    tasks:
      - id: t
        type: core.log.Log
        message: m
  - id: par
    type: core.flow.Parallel
    concurrent: "3"
    tasks:
      - id: u
        type: core.log.Log
        message: m
`);
    expect(errors).toEqual([]);
    expect(flow?.tasks[0]?.concurrencyLimit).toBe("{{ inputs.limit }}");
    expect(flow?.tasks[1]?.concurrent).toBe(3);
  });

  it("keeps the system.readOnly label, which Kestra lets flows set", () => {
    const { errors } = load(
      `id: f\nnamespace: n\nlabels:\n  system.readOnly: "true"\ntasks:\n  - id: t\n    type: core.log.Log\n    message: m\n`,
    );
    expect(errors).toEqual([]);
  });
});
