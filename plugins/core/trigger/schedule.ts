import { z } from "zod";
import { conditionList, definePlugin, duration, labels } from "@/engine/plugin";
import { cronProblem, isTimeZone } from "./cron";

export const scheduleSchema = z
  .object({
    cron: z
      .string()
      .describe(
        "When to run: 5 cron fields (or 6 with withSeconds), or @hourly, @daily, @weekly, @monthly, @yearly.",
      ),
    withSeconds: z.boolean().default(false).describe("The cron has a leading seconds field."),
    timezone: z
      .string()
      .refine(isTimeZone, { message: "unknown time zone (use an IANA name such as Europe/Paris)" })
      .optional()
      .describe("Time zone of the cron (UTC by default)."),
    inputs: z.record(z.string(), z.unknown()).optional().describe("Inputs of the executions it starts."),
    scheduleConditions: conditionList("Deprecated: use conditions.").optional(),
    lateMaximumDelay: duration
      .optional()
      .describe("Skip a run that would start later than this after its time."),
    recoverMissedSchedules: z
      .enum(["ALL", "LAST", "NONE"])
      .default("ALL")
      .describe("After downtime: run every missed schedule, only the last one, or none."),
    backfill: z
      .strictObject({
        start: z.string(),
        end: z.string().optional(),
        currentDate: z.string().optional(),
        paused: z.boolean().optional(),
        inputs: z.record(z.string(), z.unknown()).optional(),
        labels: labels.optional(),
      })
      .optional()
      .describe("Deprecated: start backfills from the UI or the API."),
  })
  .superRefine((value, ctx) => {
    const problem = cronProblem(value.cron, value.withSeconds);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
  });

export const schedulePlugin = definePlugin({
  type: "core.trigger.Schedule",
  aliases: ["io.kestra.core.models.triggers.types.Schedule"],
  kind: "trigger",
  title: "Start executions on a cron schedule.",
  description:
    "Executions get `trigger.date` (the scheduled time), `trigger.next` and `trigger.previous`. Backfills replay a past date range.",
  schema: scheduleSchema,
  examples: [
    {
      title: "Every weekday at 9:00 in Paris",
      flow: `id: daily_report
namespace: company.team
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "Report for {{ trigger.date }}"
triggers:
  - id: weekdays
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * MON-FRI"
    timezone: Europe/Paris
`,
    },
  ],
});
