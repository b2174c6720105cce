import { sequentialHandler, sequentialSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const sequentialPlugin = definePlugin({
  type: "core.flow.Sequential",
  aliases: [old("Sequential")],
  kind: "flowable",
  title: "Run tasks one after the other.",
  description: "Groups tasks so they run in order, with their own `errors` and `finally` branches.",
  schema: sequentialSchema,
  handler: sequentialHandler,
  examples: [
    {
      title: "Two steps in a group",
      flow: `id: sequential
namespace: company.team
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: first
        type: io.kestra.plugin.core.log.Log
        message: first
      - id: second
        type: io.kestra.plugin.core.log.Log
        message: second
`,
    },
  ],
});
