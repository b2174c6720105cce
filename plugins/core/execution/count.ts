import { z } from "zod";
import { stateSchema } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";

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
  async run(ctx) {
    const { properties } = ctx;
    const executions = ctx.services.executions;
    if (!executions)
      throw new Error(`${TYPE} needs read access to the execution store, which this engine does not provide`);
    const date = (value: string, property: string) => {
      const time = Date.parse(value);
      if (Number.isNaN(time)) throw new Error(`${property} '${value}' is not an ISO-8601 date-time`);
      return new Date(time).toISOString();
    };
    const counts = await executions.countByFlow({
      ...(properties.flows ? { flows: properties.flows } : {}),
      ...(properties.namespaces ? { namespaces: properties.namespaces } : {}),
      ...(properties.states ? { states: properties.states } : {}),
      startDate: date(properties.startDate, "startDate"),
      endDate: properties.endDate ? date(properties.endDate, "endDate") : ctx.now().toISOString(),
    });
    const results: { namespace: string; flowId: string; count: number }[] = [];
    for (const result of counts) {
      const rendered = await ctx.render(properties.expression, { count: result.count });
      // Like Kestra's Boolean.parseBoolean: only "true" keeps the flow.
      if (String(rendered).trim().toLowerCase() === "true") results.push(result);
    }
    const total = results.reduce((sum, r) => sum + r.count, 0);
    ctx.logger.debug(`${results.length} of ${counts.length} flow(s) match ${properties.expression}`);
    return { outputs: { results, total } };
  },
});
