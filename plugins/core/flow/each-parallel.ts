import { eachParallelHandler, eachParallelSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const eachParallelPlugin = definePlugin({
  type: "core.flow.EachParallel",
  aliases: [old("EachParallel")],
  kind: "flowable",
  title: "Deprecated: run tasks for each value, all values at once.",
  deprecated: "use core.flow.ForEach with concurrencyLimit: 0",
  schema: eachParallelSchema,
  handler: eachParallelHandler,
});
