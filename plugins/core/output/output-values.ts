import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

export const outputValuesPlugin = definePlugin({
  type: "core.output.OutputValues",
  kind: "runnable",
  inline: true,
  title: "Expose rendered values as outputs: `outputs.<id>.values.<key>`.",
  schema: z.object({ values: z.record(z.string(), z.unknown()).describe("Values to output (rendered).") }),
  outputs: z.object({ values: z.record(z.string(), z.unknown()) }),
  examples: [
    {
      title: "Outputs for later tasks",
      flow: `id: output_values
namespace: company.team
tasks:
  - id: out
    type: io.kestra.plugin.core.output.OutputValues
    values:
      region: eu-west-1
  - id: use
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.out.values.region }}"
`,
    },
  ],
  run: ({ properties }) => ({ outputs: { values: properties.values } }),
});
