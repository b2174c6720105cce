import { z } from "zod";
import { stateSchema } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

const TYPE = "core.execution.Count";

export const countPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.executions.Counts"],
  kind: "runnable",
  title:
    "Count the executions of flows in a date range, keeping the flows whose count matches an expression.",
  description: [
    "Counts the executions of `flows` (or of the flows of `namespaces`) started between `startDate` and",
    "`endDate`, optionally only those in `states`, and keeps the flows for which `expression` (rendered with",
    "`count`) is `true`. Outputs `results` (`namespace`, `flowId`, `count`) and `total`. Useful to alert when",
    "a flow did not run.",
  ].join("\n"),
  rawProperties: ["expression"],
  schema: z.object({
    flows: z
      .array(z.strictObject({ namespace: z.string(), flowId: z.string() }))
      .optional()
      .describe("The flows to count; when not set, `namespaces` must be."),
    namespaces: z.array(z.string()).optional().describe("Count the flows of these namespaces."),
    states: z.array(stateSchema).optional().describe("Only executions in these states."),
    startDate: z.string().describe("The start of the range (ISO-8601 date-time)."),
    endDate: z.string().optional().describe("The end of the range (ISO-8601 date-time); now by default."),
    expression: z
      .string()
      .describe(
        "Rendered for each flow with `count`; the flow is kept when it renders `true`, e.g. `{{ count == 0 }}`.",
      ),
  }),
  outputs: z.object({
    results: z.array(z.object({ namespace: z.string(), flowId: z.string(), count: z.number().int() })),
    total: z.number().int().describe("The sum of the counts of the flows kept."),
  }),
  validate(properties, ctx) {
    if (properties.flows === undefined && properties.namespaces === undefined) {
      ctx.error([], "set flows or namespaces to say which executions to count");
    }
  },
  examples: [
    {
      title: "Every morning, fail when a flow did not run in the last 24 hours",
      flow: `id: executions_count
namespace: company.team

tasks:
  - id: counts
    type: io.kestra.plugin.core.execution.Count
    expression: "{{ count == 0 }}"
    flows:
      - namespace: company.team
        flowId: logs
    startDate: "{{ now() | dateAdd(-1, 'DAYS') }}"

  - id: alert
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ outputs.counts.results | length > 0 }}"
    errorMessage: The logs flow did not run in the last 24 hours

triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 4 * * *"
`,
    },
  ],
  run: notAvailableYet(TYPE, "read access to the execution store"),
});
