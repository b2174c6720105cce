import { z } from "zod";
import { switchHandler, switchSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const switchPlugin = definePlugin({
  type: "core.flow.Switch",
  aliases: [old("Switch")],
  kind: "flowable",
  title: "Run the tasks of the case that matches a value.",
  description:
    "With no matching case and no `defaults`, the task fails. Outputs `value` and `defaults` (true when no case matched).",
  schema: switchSchema,
  handler: switchHandler,
  outputs: z.object({ value: z.string(), defaults: z.boolean() }),
  examples: [
    {
      title: "Route on a value",
      flow: `id: switch_example
namespace: company.team
inputs:
  - id: kind
    type: STRING
    defaults: A
tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.kind }}"
    cases:
      A:
        - id: a
          type: io.kestra.plugin.core.log.Log
          message: got A
    defaults:
      - id: other
        type: io.kestra.plugin.core.log.Log
        message: something else
`,
    },
  ],
});
