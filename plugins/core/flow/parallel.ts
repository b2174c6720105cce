import { parallelHandler, parallelSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const parallelPlugin = definePlugin({
  type: "core.flow.Parallel",
  aliases: [old("Parallel")],
  kind: "flowable",
  title: "Run tasks side by side.",
  description:
    "Starts its tasks at once (at most `concurrent` at a time). After a failure nothing new starts; with `failFast` the ones still running are killed, with `onChildFailure` they end CANCELLED or FAILED.",
  schema: parallelSchema,
  handler: parallelHandler,
  examples: [
    {
      title: "Three tasks at once",
      flow: `id: parallel
namespace: company.team
tasks:
  - id: fan_out
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: a
        type: io.kestra.plugin.core.debug.Return
        format: a
      - id: b
        type: io.kestra.plugin.core.debug.Return
        format: b
      - id: c
        type: io.kestra.plugin.core.debug.Return
        format: c
`,
    },
  ],
});
