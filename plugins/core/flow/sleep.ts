import { sleepHandler, sleepSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";

export const sleepPlugin = definePlugin({
  type: "core.flow.Sleep",
  kind: "flowable",
  title: "Wait for a duration without holding a worker.",
  schema: sleepSchema,
  handler: sleepHandler,
  examples: [
    {
      title: "Wait five minutes between two tasks",
      flow: `id: pause_between_steps
namespace: company.team

tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: Starting

  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M

  - id: second
    type: io.kestra.plugin.core.log.Log
    message: Five minutes later
`,
    },
  ],
});
