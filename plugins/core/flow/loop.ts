import { z } from "zod";
import { loopHandler, loopSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";

const example = `id: loop_example
namespace: company.team

tasks:
  - id: regions
    type: io.kestra.plugin.core.flow.Loop
    values: ["north", "south", "west"]
    concurrencyLimit: 2
    breakWhen: "{{ outputs.check.value == 'stop' }}"
    outputs:
      region: "{{ outputs.check.value }}"
    tasks:
      - id: check
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.value }}"
  - id: all
    type: io.kestra.plugin.core.log.Log
    message: "{{ loopOutputs(outputs.regions.outputs, 'region') }}"
`;

const nested = `id: nested_loop
namespace: company.team

tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.Loop
    values: { eu: ["paris", "berlin"], us: ["nyc"] }
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.Loop
        values: "{{ item.value }}"
        tasks:
          - id: log
            type: io.kestra.plugin.core.log.Log
            message: "{{ item.parent.key }} / {{ item.value }} (#{{ item.index }})"
`;

const itemSchema = z.object({ value: z.string(), index: z.number(), key: z.string().optional() });

export const loopPlugin = definePlugin({
  type: "core.flow.Loop",
  kind: "flowable",
  title: "Run tasks for each value of a list, a map or a file (Kestra 2.0).",
  description:
    "Kestra 2.0's replacement of ForEach, ForEachItem, EachSequential and EachParallel. Inside an iteration, " +
    "`{{ item.value }}` is its value, `{{ item.index }}` its 0-based index, `{{ item.key }}` its key when `values` " +
    "is a map, and `{{ item.parent }}` / `{{ item.parents[n] }}` the items of outer loops; `{{ outputs.<task> }}` " +
    "reads the iteration's own tasks. After the loop, `outputs.<loop>.outputs` lists `{item, outputs}` per " +
    "iteration and `loopOutputs(outputs.<loop>.outputs, 'id')` picks one declared output of each.",
  schema: loopSchema,
  handler: loopHandler,
  examples: [
    { title: "Two iterations at a time, stop at 'stop', collect an output", flow: example },
    { title: "Nested loops over a map", flow: nested },
  ],
  outputs: z.object({
    iterationCount: z.number().describe("Iterations started."),
    runningIterations: z.number().describe("Iterations still running."),
    terminatedIterations: z.number().describe("Iterations ended."),
    outputs: z
      .array(z.object({ item: itemSchema, outputs: z.record(z.string(), z.unknown()) }))
      .optional()
      .describe("Each ended iteration's item and declared outputs, in index order."),
  }),
});
