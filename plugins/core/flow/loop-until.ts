import { loopUntilSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { z } from "zod";
import { old } from "./aliases";

export const loopUntilPlugin = definePlugin({
  type: "core.flow.LoopUntil",
  aliases: ["io.kestra.plugin.core.flow.WaitFor", old("WaitFor"), "core.flow.WaitFor"],
  kind: "flowable",
  title: "Repeat tasks until a condition holds.",
  description:
    "Runs its tasks, evaluates `condition`, and starts again after `checkFrequency.interval` until the condition is true or a maximum is reached. Output `iterationCount`.",
  schema: loopUntilSchema,
  outputs: z.object({ iterationCount: z.number() }),
});
