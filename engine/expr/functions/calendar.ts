/**
 * Kestra 2.0's calendar functions (docs: expressions/functions/dates): isWeekend, isDayWeekInMonth,
 * dayOfWeek, dayOfMonth, monthOfYear, hourOfDay. A date is read as the date filters read it and its fields
 * are taken in its own zone (a trigger date's offset), else the render's default zone.
 * isPublicHoliday and isLastWorkingDay need a holiday calendar per country: not built in yet.
 */

import { lengthOfMonth } from "../dates/calendar";
import { fieldsOf, type LocalFields } from "../dates/datetime";
import { DAYS } from "../dates/java-format";
import { toZoned } from "../dates/parse";
import { resolveZone } from "../dates/zone";
import { ExpressionError } from "../errors";
import type { CallContext, FunctionDef } from "../registry";

const WEEKDAYS = DAYS.map((d) => d.toUpperCase());
const POSITIONS = ["FIRST", "SECOND", "THIRD", "FOURTH", "LAST"];

function fields(name: string, date: unknown, cx: CallContext): LocalFields {
  if (date === null || date === undefined)
    throw new ExpressionError(`The '${name}' function expects an argument 'date'.`);
  return fieldsOf(toZoned(date, resolveZone(cx.timezone), undefined));
}

function oneOf(name: string, what: string, value: unknown, allowed: string[]): string {
  const text = typeof value === "string" ? value.trim().toUpperCase() : "";
  if (!allowed.includes(text))
    throw new ExpressionError(`The '${name}' function expects '${what}' to be one of ${allowed.join(", ")}.`);
  return text;
}

function field(name: string, read: (f: LocalFields) => unknown): [string, FunctionDef] {
  return [name, { args: ["date"], apply: (a, cx) => read(fields(name, a.date, cx)) }];
}

export const CALENDAR_FUNCTIONS: [string, FunctionDef][] = [
  field("isWeekend", (f) => f.dayOfWeek >= 6),
  field("dayOfWeek", (f) => WEEKDAYS[f.dayOfWeek - 1]),
  field("dayOfMonth", (f) => f.day),
  field("monthOfYear", (f) => f.month),
  field("hourOfDay", (f) => f.hour),
  [
    "isDayWeekInMonth",
    {
      args: ["date", "dayOfWeek", "position"],
      apply: (a, cx) => {
        const f = fields("isDayWeekInMonth", a.date, cx);
        const day = oneOf("isDayWeekInMonth", "dayOfWeek", a.dayOfWeek, WEEKDAYS);
        const position = oneOf("isDayWeekInMonth", "position", a.position, POSITIONS);
        if (WEEKDAYS[f.dayOfWeek - 1] !== day) return false;
        if (position === "LAST") return f.day + 7 > lengthOfMonth(f.year, f.month);
        return Math.ceil(f.day / 7) === POSITIONS.indexOf(position) + 1;
      },
    },
  ],
];
