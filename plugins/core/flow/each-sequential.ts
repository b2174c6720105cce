import { eachSequentialHandler, eachSequentialSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const eachSequentialPlugin = definePlugin({
  type: "core.flow.EachSequential",
  aliases: [old("EachSequential")],
  kind: "flowable",
  title: "Deprecated: run tasks for each value, one value after the other.",
  deprecated: "use core.flow.ForEach",
  schema: eachSequentialSchema,
  handler: eachSequentialHandler,
});
