import { subflowSchema, validateNotRecursive } from "@/engine/executor";
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
  validate: validateNotRecursive,
});
