import { z } from "zod";
import { definePlugin, LOG_LEVELS } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

const TYPE = "core.log.Fetch";

export const fetchLogsPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.log.Fetch"],
  kind: "runnable",
  title: "Fetch the logs of an execution into an ION file of the internal storage.",
  description: [
    "Writes the logs of `executionId` (the current execution by default; set `namespace` and `flowId` for",
    "another flow's) at `level` or above, optionally only those of `tasksId`, one log entry per line.",
    "Outputs `uri` and `size` (the number of entries).",
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
  run: notAvailableYet(TYPE, "read access to the execution log store"),
});
