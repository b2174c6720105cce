import { allowFailureSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const allowFailurePlugin = definePlugin({
  type: "core.flow.AllowFailure",
  aliases: [old("AllowFailure")],
  kind: "flowable",
  title: "Run tasks; a failure among them ends in WARNING and the flow goes on.",
  schema: allowFailureSchema,
});
