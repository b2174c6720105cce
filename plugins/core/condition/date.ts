import { z } from "zod";
import { type ConditionContext, definePlugin } from "@/engine/plugin";
import { DAYS, parseLocal, timeOfDay } from "./dates";

const dateProperty = z
  .string()
  .default("{{ trigger.date }}")
  .describe("The date to check (the schedule date by default).");

async function dateOf(template: string, context: ConditionContext) {
  const rendered =
    context.date && template === "{{ trigger.date }}" ? context.date : await context.render(template);
  const local = parseLocal(rendered);
  if (!local) throw new Error(`'${String(rendered)}' is not a date-time`);
  return local;
}

const old = (name: string) => [
  `io.kestra.core.models.conditions.types.${name}Condition`,
  `io.kestra.plugin.core.condition.${name}Condition`,
];

export const dateTimeBetweenPlugin = definePlugin({
  type: "core.condition.DateTimeBetween",
  aliases: old("DateTimeBetween"),
  kind: "condition",
  title: "The date is after and/or before given date-times.",
  schema: z.object({ date: dateProperty, after: z.string().optional(), before: z.string().optional() }),
  test: async ({ date, after, before }, context) => {
    const value = (await dateOf(date, context)).epoch;
    if (after && !(value > Date.parse(after))) return false;
    if (before && !(value < Date.parse(before))) return false;
    return true;
  },
});

export const timeBetweenPlugin = definePlugin({
  type: "core.condition.TimeBetween",
  aliases: old("TimeBetween"),
  kind: "condition",
  title: "The time of day is after and/or before given times.",
  schema: z.object({ date: dateProperty, after: z.string().optional(), before: z.string().optional() }),
  test: async ({ date, after, before }, context) => {
    const seconds = (await dateOf(date, context)).seconds;
    const lower = after ? timeOfDay(after) : undefined;
    const upper = before ? timeOfDay(before) : undefined;
    if (lower !== undefined && !(seconds > lower)) return false;
    if (upper !== undefined && !(seconds < upper)) return false;
    return true;
  },
});

export const dayWeekPlugin = definePlugin({
  type: "core.condition.DayWeek",
  aliases: old("DayWeek"),
  kind: "condition",
  title: "The date falls on a given day of the week.",
  schema: z.object({ date: dateProperty, dayOfWeek: z.enum(DAYS) }),
  test: async ({ date, dayOfWeek }, context) => DAYS[(await dateOf(date, context)).weekday - 1] === dayOfWeek,
});

export const dayWeekInMonthPlugin = definePlugin({
  type: "core.condition.DayWeekInMonth",
  aliases: old("DayWeekInMonth"),
  kind: "condition",
  title: "The date is the first, second, third, fourth or last given weekday of its month.",
  schema: z.object({
    date: dateProperty,
    dayOfWeek: z.enum(DAYS),
    dayInMonth: z.enum(["FIRST", "SECOND", "THIRD", "FOURTH", "LAST"]),
  }),
  test: async ({ date, dayOfWeek, dayInMonth }, context) => {
    const local = await dateOf(date, context);
    if (DAYS[local.weekday - 1] !== dayOfWeek) return false;
    const daysInMonth = new Date(Date.UTC(local.year, local.month, 0)).getUTCDate();
    if (dayInMonth === "LAST") return local.day + 7 > daysInMonth;
    const nth = Math.ceil(local.day / 7);
    return nth === { FIRST: 1, SECOND: 2, THIRD: 3, FOURTH: 4 }[dayInMonth];
  },
});

export const weekendPlugin = definePlugin({
  type: "core.condition.Weekend",
  aliases: old("Weekend"),
  kind: "condition",
  title: "The date falls on a Saturday or a Sunday.",
  schema: z.object({ date: dateProperty }),
  test: async ({ date }, context) => (await dateOf(date, context)).weekday >= 6,
});
