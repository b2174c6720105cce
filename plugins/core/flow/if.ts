import { z } from "zod";
import { ifHandler, ifSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const ifPlugin = definePlugin({
  type: "core.flow.If",
  aliases: [old("If")],
  kind: "flowable",
  title: "Run `then` or `else` depending on a condition.",
  description:
    "The condition is rendered and read as Kestra does: `''`, `0`, `-0`, `false` and null are false, anything else true. Output `evaluationResult`.",
  schema: ifSchema,
  handler: ifHandler,
  outputs: z.object({ evaluationResult: z.boolean() }),
  examples: [
    {
      title: "Branch on an input",
      flow: `id: if_example
namespace: company.team
inputs:
  - id: enabled
    type: BOOLEAN
    defaults: true
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.enabled }}"
    then:
      - id: yes
        type: io.kestra.plugin.core.log.Log
        message: enabled
    else:
      - id: no
        type: io.kestra.plugin.core.log.Log
        message: disabled
`,
    },
  ],
});
