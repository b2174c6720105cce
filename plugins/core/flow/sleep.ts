import { sleepSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";

export const sleepPlugin = definePlugin({
  type: "core.flow.Sleep",
  kind: "flowable",
  title: "Wait for a duration without holding a worker.",
  schema: sleepSchema,
});
