import { dagHandler, dagSchema, validateDag } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const dagPlugin = definePlugin({
  type: "core.flow.Dag",
  aliases: [old("Dag")],
  kind: "flowable",
  title: "Run tasks as soon as the tasks they depend on have ended.",
  schema: dagSchema,
  handler: dagHandler,
  validate: validateDag,
  examples: [
    {
      title: "A diamond",
      flow: `id: dag
namespace: company.team
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: extract
          type: io.kestra.plugin.core.log.Log
          message: extract
      - task:
          id: left
          type: io.kestra.plugin.core.log.Log
          message: left
        dependsOn: [extract]
      - task:
          id: right
          type: io.kestra.plugin.core.log.Log
          message: right
        dependsOn: [extract]
      - task:
          id: load
          type: io.kestra.plugin.core.log.Log
          message: load
        dependsOn: [left, right]
`,
    },
  ],
});
