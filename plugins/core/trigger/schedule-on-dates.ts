import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { isTimeZone } from "./cron";

export const scheduleOnDatesPlugin = definePlugin({
  type: "core.trigger.ScheduleOnDates",
  kind: "trigger",
  title: "Start executions at a list of dates.",
  schema: z.object({
    dates: z
      .union([z.array(z.string()), z.string()])
      .describe("ISO-8601 date-times (or an expression rendering a list)."),
    timezone: z.string().refine(isTimeZone, { message: "unknown time zone" }).optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    recoverMissedSchedules: z.enum(["ALL", "LAST", "NONE"]).default("ALL"),
  }),
});
