import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

export const webhookSchema = z.object({
  key: z
    .string()
    .min(1)
    .max(256)
    .describe("The secret part of the URL /api/v1/{tenant}/executions/webhook/{namespace}/{flowId}/{key}."),
  wait: z.boolean().default(false).describe("Answer only when the execution has ended."),
  returnOutputs: z.boolean().default(false).describe("With wait: answer with the flow outputs only."),
  inputs: z.record(z.string(), z.unknown()).optional(),
});

export const webhookPlugin = definePlugin({
  type: "core.trigger.Webhook",
  aliases: ["io.kestra.core.models.triggers.types.Webhook"],
  kind: "trigger",
  title: "Start an execution with an HTTP request.",
  description:
    "The request's body, headers and query parameters are `trigger.body`, `trigger.headers` and `trigger.parameters`.",
  schema: webhookSchema,
  examples: [
    {
      title: "A webhook",
      flow: `id: on_webhook
namespace: company.team
tasks:
  - id: body
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.body }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: 4wjtkzwVGBM9yKnjm3yv8r
`,
    },
  ],
});
