import { z } from "zod";
import { definePlugin, LOG_LEVELS } from "@/engine/plugin";

export const logPlugin = definePlugin({
  type: "core.log.Log",
  aliases: ["io.kestra.core.tasks.log.Log"],
  kind: "runnable",
  inline: true,
  title: "Write a message to the execution's logs.",
  description:
    "`message` may be a string or a list of strings (one log line each). `level` defaults to INFO.",
  schema: z.object({
    message: z
      .union([z.string(), z.array(z.string())])
      .describe("The message (rendered); a list writes one line per item."),
    level: z.enum(LOG_LEVELS).default("INFO").describe("Log level."),
  }),
  examples: [
    {
      title: "Log a greeting",
      flow: `id: hello
namespace: company.team
inputs:
  - id: name
    type: STRING
    defaults: world
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}!"
`,
    },
  ],
  run({ properties, logger }) {
    const method = properties.level.toLowerCase() as "trace" | "debug" | "info" | "warn" | "error";
    const messages = Array.isArray(properties.message) ? properties.message : [properties.message];
    for (const message of messages) logger[method](String(message));
    return undefined;
  },
});
