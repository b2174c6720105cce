import { z } from "zod";
import { definePlugin, LOG_LEVELS, type LogRecord } from "@/engine/plugin";
import { taskFileUri } from "../storage/files";

const TYPE = "core.log.Fetch";

/** One log entry as an Ion struct on one line (Kestra's LogEntry fields; the timestamp as an Ion timestamp). */
function ionLine(entry: LogRecord): string {
  const fields: string[] = [];
  const text = (name: string, value: string | undefined) => {
    if (value !== undefined) fields.push(`${name}:${JSON.stringify(value)}`);
  };
  text("namespace", entry.namespace);
  text("flowId", entry.flowId);
  text("taskId", entry.taskId);
  text("executionId", entry.executionId);
  text("taskRunId", entry.taskRunId);
  if (entry.attemptNumber !== undefined) fields.push(`attemptNumber:${entry.attemptNumber}`);
  fields.push(`timestamp:${entry.timestamp}`);
  text("level", entry.level);
  text("message", entry.message);
  return `{${fields.join(",")}}\n`;
}

export const fetchLogsPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.log.Fetch"],
  kind: "runnable",
  title: "Fetch the logs of an execution into an ION file of the internal storage.",
  description: [
    "Writes the logs of `executionId` (the current execution by default; set `namespace` and `flowId` for",
    "another flow's) at `level` or above, optionally only those of `tasksId`, one log entry per line.",
    "Outputs `uri` and `size` (the number of entries). An execution of another flow is found only when",
    "`namespace` and `flowId` name its flow.",
  ].join("\n"),
  schema: z.object({
    namespace: z
      .string()
      .optional()
      .describe("The namespace of the execution, when `executionId` is another flow's."),
    flowId: z
      .string()
      .optional()
      .describe("The flow of the execution, when `executionId` is another flow's."),
    executionId: z
      .string()
      .optional()
      .describe("The execution whose logs are fetched; the current one by default."),
    tasksId: z.array(z.string()).optional().describe("Only the logs of these tasks."),
    level: z.enum(LOG_LEVELS).default("INFO").describe("The lowest level fetched."),
  }),
  outputs: z.object({
    uri: z.string().describe("The URI of the ION file of log entries."),
    size: z.number().int().describe("The number of log entries fetched."),
  }),
  examples: [
    {
      title: "Fetch the warnings of the current execution",
      flow: `id: fetch_logs
namespace: company.team

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Something looks odd
    level: WARN

  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
    level: WARN
    executionId: "{{ execution.id }}"
    tasksId:
      - hello
`,
    },
  ],
  async run(ctx) {
    const { properties, execution } = ctx;
    const logs = ctx.services.logs;
    if (!logs)
      throw new Error(
        `${TYPE} needs read access to the execution log store, which this engine does not provide`,
      );
    const storage = ctx.services.storage;
    if (!storage) throw new Error(`${TYPE} needs the internal storage, which this engine does not provide`);
    if (properties.executionId === undefined && (properties.namespace || properties.flowId)) {
      throw new Error(
        "set executionId along with namespace and flowId to fetch the logs of another flow's execution",
      );
    }
    const namespace = properties.namespace ?? execution.namespace;
    const flowId = properties.flowId ?? execution.flowId;
    if ((properties.namespace === undefined) !== (properties.flowId === undefined)) {
      throw new Error("set both namespace and flowId (or neither, for an execution of this flow)");
    }
    const executionId = properties.executionId ?? execution.id;
    const entries = (
      await logs.fetch({
        executionId,
        minLevel: properties.level,
        ...(properties.tasksId?.length ? { taskIds: properties.tasksId } : {}),
      })
    ).filter((entry) => entry.namespace === namespace && entry.flowId === flowId);
    const text = entries.map(ionLine).join("");
    const uri = await storage.put(taskFileUri(ctx, `${ctx.taskRun.id}.ion`), text);
    return { outputs: { uri, size: entries.length } };
  },
});
