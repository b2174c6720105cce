import { forEachItemSchema, validateNotRecursive } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const forEachItemPlugin = definePlugin({
  type: "core.flow.ForEachItem",
  aliases: [old("ForEachItem")],
  kind: "flowable",
  title: "Split a file into batches and start a subflow per batch.",
  description:
    "Each subflow gets the URI of its batch as `{{ taskrun.items }}`. Outputs `numberOfBatches` and `iterations` (counts by state).",
  schema: forEachItemSchema,
  validate: validateNotRecursive,
});
