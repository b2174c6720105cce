import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { loadFlow } from "../load";

const registry = builtInRegistry();
const load = (body: string) => loadFlow(`id: f\nnamespace: t\n${body}`, { registry });
const messages = (body: string) => load(body).errors.map((e) => `${e.line}: ${e.message}`);
const warnings = (body: string) => load(body).warnings.map((e) => `${e.line}: ${e.message}`);
const log = "tasks:\n  - { id: l, type: core.log.Log, message: x }\n";

describe("Kestra 1.x / 2.0 mix-ups say what to write instead", () => {
  it("Loop properties on a ForEach, and 1.x loop properties on a Loop", () => {
    expect(
      messages(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2]
    breakWhen: "{{ true }}"
    tasks: [{ id: l, type: core.log.Log, message: x }]
`),
    ).toEqual([
      "7: unknown property 'breakWhen': `breakWhen` is Kestra 2.0 Loop's: write `type: io.kestra.plugin.core.flow.Loop` (2.0's replacement of ForEach, EachSequential, EachParallel and ForEachItem)",
    ]);
    expect(
      messages(`tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    value: [1, 2]
    items: "{{ inputs.file }}"
    tasks: [{ id: l, type: core.log.Log, message: x }]
`),
    ).toEqual([
      "4: missing required property 'values'",
      "6: unknown property 'value': Loop takes `values` (`value` was EachSequential's and EachParallel's)",
      "7: unknown property 'items': Loop reads a file through `values`: give it the `kestra://` URI and it runs one iteration per line (`items` was ForEachItem's)",
    ]);
  });

  it("a task's when (Kestra 2.0's name for runIf, its TaskWithWhenTest) is valid; a trigger's runIf is not", () => {
    expect(messages(`tasks:\n  - { id: l, type: core.log.Log, message: x, when: "{{ true }}" }\n`)).toEqual(
      [],
    );
    expect(
      messages(
        `${log}triggers:\n  - { id: s, type: core.trigger.Schedule, cron: "@daily", runIf: "{{ true }}" }\n`,
      ),
    ).toEqual(["6: unknown property 'runIf': triggers take `when` (Kestra 2.0); `runIf` is for tasks"]);
  });

  it("1.x timeWindow keys in a 2.0 window, 2.0 keys in a 1.x timeWindow, and properties in the wrong place", () => {
    expect(
      messages(`${log}triggers:
  - id: f
    type: core.trigger.Flow
    dependsOn: [{ namespace: t, flowId: a }]
    window:
      type: DAILY_TIME_WINDOW
      startTime: "08:00:00"
`),
    ).toEqual([
      "10: unknown property 'type': a Kestra 2.0 `window` has no `type`: it is read from the fields set (`deadline`; `from` + `to`; `lookback`; otherwise `every`/`offset`)",
      "11: unknown property 'startTime': in a Kestra 2.0 `window`, 1.x's `startTime` is `from`",
    ]);
    expect(
      messages(`${log}triggers:
  - id: f
    type: core.trigger.Flow
    preconditions:
      flows: [{ namespace: t, flowId: a }]
      timeWindow: { type: SLIDING_WINDOW, lookback: PT1H }
      mode: ANY
`),
    ).toEqual([
      "10: unknown property 'lookback': in 1.x `preconditions.timeWindow`, 2.0's `lookback` is `window` with `type: SLIDING_WINDOW`",
      "11: unknown property 'mode': `mode` (Kestra 2.0) goes on the trigger itself, beside `dependsOn`",
    ]);
    expect(
      messages(`${log}triggers:
  - id: f
    type: core.trigger.Flow
    dependsOn:
      - flows: [{ namespace: t, flowId: a }]
`),
    ).toEqual([
      "9: unknown property 'flows': each `dependsOn` entry is one upstream flow (`namespace`, `flowId`, `states`, `labels`, `when`), not a `flows` list",
    ]);
    expect(
      messages(
        `${log}triggers:\n  - { id: s, type: core.trigger.Schedule, cron: "@daily", dependsOn: [] }\n`,
      ),
    ).toEqual([
      "6: unknown property 'dependsOn': `dependsOn` belongs to the Flow trigger (`io.kestra.plugin.core.trigger.Flow`)",
    ]);
    expect(
      messages(
        `${log}triggers:\n  - { id: f, type: core.trigger.Flow, dependsOn: [{ flowId: a }], onMiss: { behavior: FAIL } }\n`,
      ),
    ).toEqual(["6: unknown property 'onMiss': `onMiss` (Kestra 2.0) is not supported by Cadenza yet"]);
  });

  it("warns about expressions written for the other version's loop, and 1.x's json()", () => {
    expect(
      warnings(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2]
    tasks:
      - { id: a, type: core.log.Log, message: "{{ item.value }}" }
      - { id: b, type: core.log.Log, message: "{% for item in [1] %}{{ item.value }}{% endfor %}" }
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [1, 2]
    tasks:
      - { id: c, type: core.log.Log, message: "{{ taskrun.value }} {{ json('[1]') }} {{ [1] | json }}" }
      - { id: d, type: core.log.Log, message: "{{ item.value }} {{ fromJson('[1]') }} {{ [1] | toJson }}" }
`),
    ).toEqual([
      "8: `item.value` is Kestra 2.0 Loop's: inside a ForEach the value is `taskrun.value` (or make the loop a `io.kestra.plugin.core.flow.Loop`)",
      "14: inside a Loop (Kestra 2.0) the item is `item.value` (`item.index`, `item.key`); `taskrun.value` is ForEach's",
      "14: `json()` was removed in Kestra 2.0: write `fromJson()` (Cadenza reads both)",
      "14: the `json` filter was removed in Kestra 2.0: write `| toJson` (Cadenza reads both)",
    ]);
  });
});
