import { allowFailureHandler, allowFailureSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const allowFailurePlugin = definePlugin({
  type: "core.flow.AllowFailure",
  aliases: [old("AllowFailure")],
  kind: "flowable",
  title: "Run tasks; a failure among them ends in WARNING and the flow goes on.",
  schema: allowFailureSchema,
  handler: allowFailureHandler,
  examples: [
    {
      title: "A failing optional step does not stop the flow",
      flow: `id: optional_step
namespace: company.team

tasks:
  - id: optional
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: may_fail
        type: io.kestra.plugin.core.execution.Fail
        errorMessage: This step is optional

  - id: next
    type: io.kestra.plugin.core.log.Log
    message: Still running; the execution ends in WARNING
`,
    },
  ],
});
