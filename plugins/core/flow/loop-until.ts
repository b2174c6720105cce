import { z } from "zod";
import { loopUntilHandler, loopUntilSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const loopUntilPlugin = definePlugin({
  type: "core.flow.LoopUntil",
  aliases: ["io.kestra.plugin.core.flow.WaitFor", old("WaitFor"), "core.flow.WaitFor"],
  kind: "flowable",
  title: "Repeat tasks until a condition holds.",
  description:
    "Runs its tasks, evaluates `condition`, and starts again after `checkFrequency.interval` until the condition is true or a maximum is reached. Output `iterationCount`.",
  schema: loopUntilSchema,
  handler: loopUntilHandler,
  examples: [
    {
      title: "Call a task every 30 seconds until it returns 'ready', at most 10 times",
      flow: `id: wait_until_ready
namespace: company.team

tasks:
  - id: poll
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.status.value == 'ready' }}"
    failOnMaxReached: true
    checkFrequency:
      interval: PT30S
      maxIterations: 10
    tasks:
      - id: status
        type: io.kestra.plugin.core.debug.Return
        format: ready
`,
    },
  ],
  outputs: z.object({ iterationCount: z.number() }),
});
