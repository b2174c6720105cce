import { z } from "zod";
import { definePlugin, LOG_LEVELS } from "@/engine/plugin";

const TYPE = "core.log.PurgeLogs";

/** The purge tasks' scope: a flow is named within its namespace. */
export function flowIdNeedsNamespace(
  properties: { flowId?: unknown; namespace?: unknown },
  ctx: { error(path: (string | number)[], message: string): void },
): void {
  if (properties.flowId !== undefined && properties.namespace === undefined)
    ctx.error(["flowId"], "flowId needs namespace");
}

/** A date property as ISO-8601, or a clear error. */
export function isoDate(value: string, property: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${property}: '${value}' is not an ISO-8601 date-time`);
  return new Date(ms).toISOString();
}

export const purgeLogsPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Delete execution and trigger logs older than a date.",
  description: [
    "Deletes the logs created before `endDate` (and after `startDate` when set), of every flow, of the",
    "flows of a namespace (a prefix when `flowId` is not set) or of one flow, optionally only some",
    "`logLevels`. Outputs `count`, the number of deleted logs.",
  ].join("\n"),
  schema: z.object({
    namespace: z
      .string()
      .optional()
      .describe(
        "The namespace of the logs: a namespace prefix, or the flow's namespace when `flowId` is set.",
      ),
    flowId: z.string().optional().describe("Only the logs of this flow (needs `namespace`)."),
    logLevels: z
      .array(z.enum(LOG_LEVELS))
      .optional()
      .describe("Only the logs of these levels; all levels by default."),
    startDate: z.string().optional().describe("Only the logs created after this ISO-8601 date-time."),
    endDate: z.string().describe("Only the logs created before this ISO-8601 date-time (required)."),
  }),
  outputs: z.object({ count: z.number().int().describe("The number of deleted logs.") }),
  validate: flowIdNeedsNamespace,
  examples: [
    {
      title: "Every day, purge the logs older than a month but keep the errors",
      flow: `id: purge_logs
namespace: system

tasks:
  - id: purge
    type: io.kestra.plugin.core.log.PurgeLogs
    endDate: "{{ now() | dateAdd(-1, 'MONTHS') }}"
    logLevels:
      - TRACE
      - DEBUG
      - INFO
      - WARN

triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
`,
    },
  ],
  async run(ctx) {
    const purge = ctx.services.purge;
    if (!purge) throw new Error(`${TYPE} needs the purge service, which this engine does not provide`);
    const { namespace, flowId, startDate, endDate, logLevels } = ctx.properties;
    const count = await purge.deleteLogs({
      ...(namespace ? { namespace } : {}),
      ...(flowId ? { flowId } : {}),
      ...(startDate ? { startDate: isoDate(startDate, "startDate") } : {}),
      endDate: isoDate(endDate, "endDate"),
      ...(logLevels?.length ? { levels: logLevels } : {}),
    });
    ctx.logger.info(`purged ${count} logs`);
    return { outputs: { count } };
  },
});
