import { subflowHandler, subflowSchema, validateNotRecursive } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const subflowPlugin = definePlugin({
  type: "core.flow.Subflow",
  aliases: [old("Subflow"), old("Flow"), "io.kestra.plugin.core.flow.Flow"],
  kind: "flowable",
  title: "Start another flow's execution and (by default) wait for it.",
  description:
    "Outputs `executionId`, `state` and `outputs` (the subflow's flow outputs). The child carries a `system.correlationId` label.",
  schema: subflowSchema,
  handler: subflowHandler,
  examples: [
    {
      title: "Start another flow with inputs and wait for it",
      flow: `id: parent
namespace: company.team

tasks:
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child_flow
    inputs:
      name: "{{ execution.id }}"
    wait: true
    transmitFailed: true

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Child {{ outputs.child.executionId }} ended in {{ outputs.child.state }}"
`,
    },
  ],
  validate: validateNotRecursive,
});
