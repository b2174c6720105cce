import { z } from "zod";
import { type ConditionContext, definePlugin } from "@/engine/plugin";
import { parseLocal } from "./dates";
import { isPublicHolidayOn } from "./holidays";

/** The server's own country, as Kestra takes it from the JVM's default locale when `country` is unset. */
function defaultCountry(): string {
  const region = new Intl.Locale(Intl.DateTimeFormat().resolvedOptions().locale).maximize().region;
  if (!region) throw new Error("country is not set and the server's locale has no country: set country");
  return region;
}

async function rendered(
  template: string | undefined,
  context: ConditionContext,
): Promise<string | undefined> {
  if (template === undefined) return undefined;
  const value = await context.render(template);
  return value === null || value === undefined || value === "" ? undefined : String(value);
}

export const publicHolidayPlugin = definePlugin({
  type: "core.condition.PublicHoliday",
  aliases: [
    "io.kestra.core.models.conditions.types.PublicHolidayCondition",
    "io.kestra.plugin.core.condition.PublicHolidayCondition",
  ],
  kind: "condition",
  title: "The date is a public holiday.",
  description: [
    "Holds when the local date of `date` (the schedule's date by default) is a public holiday of `country`",
    "(ISO 3166-1, e.g. `FR`) and, when given, its `subDivision` (ISO 3166-2, e.g. `DE-BY` or `BY`).",
    "Calendars come from the date-holidays library (about 200 countries); only its `public` holidays",
    "count, not bank or observance days. A subdivision it does not know falls back to the country's",
    "holidays. Without `country`, the server locale's country is used, as Kestra does.",
  ].join("\n"),
  schema: z.object({
    date: z
      .string()
      .min(1)
      .default("{{ trigger.date }}")
      .describe("The date to test: any ISO-8601 date or date-time (the trigger's date by default)."),
    country: z.string().optional().describe("The ISO 3166-1 alpha-2 country code, e.g. `FR`."),
    subDivision: z.string().optional().describe("The ISO 3166-2 subdivision code, e.g. `DE-BY`."),
  }),
  examples: [
    {
      title: "Run a daily report on French working days only",
      flow: `id: working_days_report
namespace: company.team

tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "A working day in France: {{ trigger.date }}"

triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 11 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.Not
        conditions:
          - type: io.kestra.plugin.core.condition.PublicHoliday
            country: FR
          - type: io.kestra.plugin.core.condition.Weekend
`,
    },
  ],
  test: async ({ date, country, subDivision }, context) => {
    const value = context.date && date === "{{ trigger.date }}" ? context.date : await context.render(date);
    const local = parseLocal(value);
    if (!local) throw new Error(`'${String(value)}' is not a date-time`);
    const day = `${String(local.year).padStart(4, "0")}-${String(local.month).padStart(2, "0")}-${String(local.day).padStart(2, "0")}`;
    const code = (await rendered(country, context)) ?? defaultCountry();
    return isPublicHolidayOn(day, code, await rendered(subDivision, context));
  },
});
