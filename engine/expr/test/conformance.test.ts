/**
 * Every expression of the Kestra conformance corpus (test/conformance/corpus/flows), rendered
 * against the context the engine would give it, with the outcome Kestra's own tests expect.
 */
import { describe, expect, it } from "vitest";
import { ExpressionError, isTruthy, render, renderTyped } from "../index";
import { options } from "./helpers";

const startDate = "2024-01-15T10:00:00.123456Z";

const base = {
  flow: { id: "return", namespace: "io.kestra.tests", revision: 1, tenantId: "main" },
  execution: { id: "exec-1", startDate, originalId: "exec-1", state: "SUCCESS", outputs: { final: "done" } },
  task: { id: "task-id", type: "io.kestra.plugin.core.debug.Return" },
  taskrun: { id: "tr-1", startDate, attemptsCount: 1, value: "value 1", items: "kestra:///batch.ion" },
  parent: { taskrun: { value: "value 1" } },
  inputs: {
    string: "myString",
    int: 42,
    float: 42.42,
    instant: "2019-10-06T18:27:49Z",
    json: { a: "b" },
    yaml: { some: { property: "value" } },
    file: "kestra:///io/kestra/tests/inputs/executions/e/inputs/file/application.yml",
    optional: null,
    secret: "decrypted",
    array: [1, 2, 3],
    param: true,
    failed: false,
    def: "default",
    "from-parent": "parent value",
    items: ["a", "b"],
    batch: "kestra:///batch.csv",
    namespace: "io.kestra.tests",
    errorOnMissing: false,
  },
  outputs: {
    return: { value: "flow-with-outputs" },
    "error-t1": { value: "Error Trigger ! error-t1" },
    output_values: { values: { count: "4" } },
    waitfor: { iterationCount: 3 },
    only: { value: "only" },
    mytask: { value: "mytask value" },
    json: { value: '{"key":"value"}' },
    pause: { onResume: { asked: "yes", data: { k: 1 } } },
  },
  trigger: { executionId: "parent-exec", namespace: "io.kestra.tests", flowId: "parent", flowRevision: 1 },
};

const cases: Array<[string, string]> = [
  ["{{ flow.id }}", "return"],
  ["{{flow.id}}", "return"],
  ["{{ task.id }}", "task-id"],
  ["{{task.id}}", "task-id"],
  ["{{task.type}}", "io.kestra.plugin.core.debug.Return"],
  ["second {{task.type}}", "second io.kestra.plugin.core.debug.Return"],
  ["{{taskrun.startDate}}", startDate],
  ["{{task.id}} > {{taskrun.startDate}}", `task-id > ${startDate}`],
  ["{{task.id}} > {{taskrun.value}} > {{taskrun.startDate}}", `task-id > value 1 > ${startDate}`],
  ["{{task.id}} > {{ inputs.def }} > {{taskrun.startDate}}", `task-id > default > ${startDate}`],
  ["{{task.id}} > {{taskrun.id}}", "task-id > tr-1"],
  ["Processing {{taskrun.value}}", "Processing value 1"],
  ["{{ taskrun.items }}", "kestra:///batch.ion"],
  ["from parents: {{execution.id}}", "from parents: exec-1"],
  ["{{execution.outputs.final}}", "done"],
  ["{{execution.state}}", "SUCCESS"],
  ["{{inputs.string}}", "myString"],
  ["{{inputs.int}}", "42"],
  ["{{inputs.float}}", "42.42"],
  ["{{inputs.instant}}", "2019-10-06T18:27:49Z"],
  ["{{inputs.json}}", '{"a":"b"}'],
  ["{{inputs.yaml}}", '{"some":{"property":"value"}}'],
  ["{{inputs.optional}}", ""],
  ["{{inputs.secret}}", "decrypted"],
  ["{{inputs.array}}", "[1,2,3]"],
  ["{{ inputs.items }}", '["a","b"]'],
  ["childs: {{inputs['from-parent']}}", "childs: parent value"],
  ["{{ outputs.return }}", '{"value":"flow-with-outputs"}'],
  ["{{ outputs.mytask.value }}", "mytask value"],
  ["{{outputs.json.value}}", '{"key":"value"}'],
  ["{{ outputs.only.value }}", "only"],
  ["{{ outputs.default.value ?? outputs['error-t1'].value }}", "Error Trigger ! error-t1"],
  ["{{outputs.pause.onResume.asked}}", "yes"],
  ["{{outputs.pause.onResume.data}}", '{"k":1}'],
  ["{{ outputs.waitfor.iterationCount + 1 }}", "4"],
  ["{{ outputs.output_values.values.count != '4'}}", "false"],
  ["{{ inputs.failed == false }}", "true"],
  ["{{inputs.param}}", "true"],
  ["{{ parent.taskrun.value == 'value 1' ? 'ok' : ko }}", "ok"],
  ["{{taskrun.attemptsCount == 1 ? 'ok' : ko}}", "ok"],
  [
    "{{ trigger | json }}",
    '{"executionId":"parent-exec","namespace":"io.kestra.tests","flowId":"parent","flowRevision":1}',
  ],
  ["I'm failing {{task.id}}", "I'm failing task-id"],
];

describe("conformance corpus expressions", () => {
  it.each(cases)("%j renders %j", (tpl, expected) => {
    expect(render(tpl, base, options)).toBe(expected);
  });

  it("types the values handed to tasks (ForEach values, OutputValues, subflow inputs)", () => {
    expect(renderTyped("{{inputs.array}}", base, options)).toEqual([1, 2, 3]);
    expect(renderTyped("{{ outputs.waitfor.iterationCount + 1 }}", base, options)).toBe(4);
    expect(renderTyped("{{ inputs.string }}", base, options)).toBe("myString");
  });

  it("fails the retried task until its third attempt (restart_last_failed, retry flows)", () => {
    const attempt = (n: number) => ({ ...base, taskrun: { ...base.taskrun, attemptsCount: n } });
    expect(() => render("{{ taskrun.attemptsCount == 3 ? 'ok' : ko}}", attempt(1), options)).toThrow(
      ExpressionError,
    );
    expect(render("{{ taskrun.attemptsCount == 3 ? 'ok' : ko}}", attempt(3), options)).toBe("ok");
  });

  it("makes runIf on a missing output fail (task-runif)", () => {
    expect(() => render("{{ outputs.notexists == 2 }}", base, options)).toThrow(
      "Missing variable: 'notexists'",
    );
  });

  it("keeps the WaitFor loop going while the condition is truthy", () => {
    const at = (count: string) => ({
      ...base,
      outputs: { ...base.outputs, output_values: { values: { count } } },
    });
    expect(isTruthy(render("{{ outputs.output_values.values.count != '4'}}", at("3"), options))).toBe(true);
    expect(isTruthy(render("{{ outputs.output_values.values.count != '4'}}", at("4"), options))).toBe(false);
  });

  it("renders the kv() expressions with a provider", () => {
    const kv = (args: unknown[]) => (args[0] === "my-key" ? { field: "value" } : null);
    expect(render("{{ kv('my-key').field ?? null }}", base, { ...options, functions: { kv } })).toBe("value");
    expect(
      render("{{ kv('my-key', inputs.namespace, inputs.errorOnMissing).field }}", base, {
        ...options,
        functions: { kv },
      }),
    ).toBe("value");
    expect(render("{{ kv('other').field ?? null }}", base, { ...options, functions: { kv } })).toBe("");
  });

  it("renders the errors flow message", () => {
    const tpl =
      "{%- for log in errorLogs() -%}\n- task: {{ log.taskId }}, message: {{ log.message }}\n{%- endfor -%}\n";
    const errorLogs = () => [
      { taskId: "failed", message: "Task failure" },
      { taskId: "failed2", message: "Other" },
    ];
    expect(render(tpl, base, { ...options, functions: { errorLogs } })).toBe(
      "- task: failed, message: Task failure- task: failed2, message: Other",
    );
  });
});
