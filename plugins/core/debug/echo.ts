import { z } from "zod";
import { definePlugin, LOG_LEVELS } from "@/engine/plugin";

export const echoPlugin = definePlugin({
  type: "core.debug.Echo",
  aliases: ["io.kestra.core.tasks.debugs.Echo"],
  kind: "runnable",
  inline: true,
  title: "Deprecated: log a rendered message.",
  deprecated: "use core.log.Log",
  schema: z.object({
    format: z.string().describe("The message."),
    level: z.enum(LOG_LEVELS).default("INFO"),
  }),
  run({ properties, logger }) {
    logger[properties.level.toLowerCase() as "info"](properties.format);
    return undefined;
  },
});
