import { z } from "zod";
import { stateSchema } from "@/engine/flow";
import { definePlugin, dyn, executionStoragePrefix } from "@/engine/plugin";
import { flowIdNeedsNamespace, isoDate } from "../log/purge-logs";

const TYPE = "core.execution.PurgeExecutions";
/** Executions handled per round trip. */
const BATCH = 500;

export const purgeExecutionsPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.storages.Purge", "io.kestra.plugin.core.storage.Purge"],
  kind: "runnable",
  title: "Delete old executions with their logs, metrics and files.",
  description: [
    "Deletes the executions that ended before `endDate` (and after `startDate` when set), of every flow, of",
    "a namespace (a prefix when `flowId` is not set) or of one flow, optionally only those in `states`. The",
    "`purge*` flags choose what goes: the executions, their logs, their metrics and their internal-storage",
    "files. Outputs the counts deleted. The current execution is never purged; executions still running are",
    "not either. Metrics are kept in the executions' task runs: they go with their execution (`purgeMetric`",
    "alone deletes nothing), and so do the logs of a deleted execution, whatever `purgeLog` says.",
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
  validate: flowIdNeedsNamespace,
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
  async run(ctx) {
    const purge = ctx.services.purge;
    if (!purge) throw new Error(`${TYPE} needs the purge service, which this engine does not provide`);
    const storage = ctx.services.storage;
    const p = ctx.properties;
    if (p.purgeStorage && !storage) throw new Error(`${TYPE}: purgeStorage needs the internal storage`);
    const filter = {
      ...(p.namespace ? { namespace: p.namespace } : {}),
      ...(p.flowId ? { flowId: p.flowId } : {}),
      ...(p.startDate ? { startDate: isoDate(p.startDate, "startDate") } : {}),
      endDate: isoDate(p.endDate, "endDate"),
      ...(p.states?.length ? { states: p.states } : {}),
      exclude: ctx.execution.id,
    };
    const counts = { executionsCount: 0, logsCount: 0, storagesCount: 0, metricsCount: 0 };
    let after: string | undefined;
    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await purge.endedExecutions({ ...filter, ...(after ? { after } : {}) }, BATCH);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]?.id;
      const ids = batch.map((e) => e.id);
      if (p.purgeStorage && storage) {
        for (const execution of batch) {
          const prefix = executionStoragePrefix(execution.namespace, execution.flowId, execution.id);
          for (const uri of await storage.list(prefix)) if (await storage.delete(uri)) counts.storagesCount++;
        }
      }
      if (p.purgeLog) counts.logsCount += await purge.deleteExecutionLogs(ids);
      if (p.purgeExecution) {
        // Metrics live in the executions' attempts: they go with them.
        counts.metricsCount += await purge.countExecutionMetrics(ids);
        counts.executionsCount += await purge.deleteExecutions(ids);
      }
      if (batch.length < BATCH) break;
    }
    ctx.logger.info(
      `purged ${counts.executionsCount} executions, ${counts.logsCount} logs, ${counts.metricsCount} metrics and ${counts.storagesCount} files`,
    );
    return { outputs: counts };
  },
});
