import { forEachHandler, forEachSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";

const example = `id: for_each
namespace: company.team
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    concurrencyLimit: 2
    tasks:
      - id: each
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.each['b'].value }}"
`;

export const forEachPlugin = definePlugin({
  type: "core.flow.ForEach",
  kind: "flowable",
  title: "Run tasks for each value of a list.",
  description:
    "`{{ taskrun.value }}` is the current value (`{{ parent.taskrun.value }}` from nested tasks); outputs are keyed by value: `outputs.<task>[value]`.",
  schema: forEachSchema,
  handler: forEachHandler,
  examples: [{ title: "Two values at a time", flow: example }],
});
