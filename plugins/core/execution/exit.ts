import { definePlugin } from "@/engine/plugin";
import { z } from "zod";

export const exitPlugin = definePlugin({
  type: "core.execution.Exit",
  kind: "runnable",
  inline: true,
  title: "End the execution now, in a given state.",
  description: "No further task starts. With KILLED, tasks still running are killed; otherwise they finish first.",
  schema: z.object({
    state: z.enum(["SUCCESS", "WARNING", "KILLED", "FAILED", "CANCELED", "CANCELLED"]).default("SUCCESS"),
  }),
  run: ({ properties }) => ({ exit: properties.state === "CANCELED" ? "CANCELLED" : properties.state }),
});
