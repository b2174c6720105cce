import { z } from "zod";
import { stateSchema } from "@/engine/flow";
import { definePlugin, dyn } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

const TYPE = "core.execution.PurgeExecutions";

export const purgeExecutionsPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.storages.Purge", "io.kestra.plugin.core.storage.Purge"],
  kind: "runnable",
  title: "Delete old executions with their logs, metrics and files.",
  description: [
    "Deletes the executions that ended before `endDate` (and after `startDate` when set), of every flow, of",
    "a namespace (a prefix when `flowId` is not set) or of one flow, optionally only those in `states`. The",
    "`purge*` flags choose what goes: the executions, their logs, their metrics and their internal-storage",
    "files. Outputs the counts deleted.",
  ].join("\n"),
  schema: z.object({
    namespace: z
      .string()
      .optional()
      .describe(
        "The namespace of the executions: a namespace prefix, or the flow's namespace when `flowId` is set.",
      ),
    flowId: z.string().optional().describe("Only the executions of this flow (needs `namespace`)."),
    startDate: z.string().optional().describe("Only executions after this ISO-8601 date-time."),
    endDate: z.string().describe("Only executions before this ISO-8601 date-time (required)."),
    states: z
      .array(stateSchema)
      .optional()
      .describe("Only executions in these states; any state by default."),
    purgeExecution: dyn(z.boolean()).default(true).describe("Delete the executions."),
    purgeLog: dyn(z.boolean())
      .default(true)
      .describe("Delete their logs (core.log.PurgeLogs is better for bulk purges and trigger logs)."),
    purgeMetric: dyn(z.boolean()).default(true).describe("Delete their metrics."),
    purgeStorage: dyn(z.boolean()).default(true).describe("Delete their files from the internal storage."),
  }),
  outputs: z.object({
    executionsCount: z.number().int().describe("The number of deleted executions."),
    logsCount: z.number().int().describe("The number of deleted logs."),
    storagesCount: z.number().int().describe("The number of deleted files."),
    metricsCount: z.number().int().describe("The number of deleted metrics."),
  }),
  validate(properties, ctx) {
    if (properties.flowId !== undefined && properties.namespace === undefined) {
      ctx.error(["flowId"], "flowId needs namespace");
    }
  },
  examples: [
    {
      title: "Every week, purge the ended executions older than a month",
      flow: `id: purge_executions
namespace: system

tasks:
  - id: purge
    type: io.kestra.plugin.core.execution.PurgeExecutions
    endDate: "{{ now() | dateAdd(-1, 'MONTHS') }}"
    states:
      - KILLED
      - FAILED
      - WARNING
      - SUCCESS

triggers:
  - id: weekly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * 0"
`,
    },
  ],
  run: notAvailableYet(TYPE, "write access to the execution, log, metric and file stores"),
});
