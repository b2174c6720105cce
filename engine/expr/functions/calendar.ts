/**
 * Kestra 2.0's calendar functions (docs: expressions/functions/dates): isWeekend, isDayWeekInMonth,
 * dayOfWeek, dayOfMonth, monthOfYear, hourOfDay. A date is read as the date filters read it and its fields
 * are taken in its own zone (a trigger date's offset), else the render's default zone.
 * isLastWorkingDay(date, workingDays?) counts working days by weekday only, as Kestra's does (no holidays).
 * isPublicHoliday needs holiday calendars: worker/holidays.ts adds it where expressions run.
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

function workingDays(value: unknown): Set<number> {
  if (value === null || value === undefined || String(value).trim() === "") return new Set([1, 2, 3, 4, 5]);
  const days = new Set<number>();
  for (const name of String(value)
    .split(/[\s,]+/)
    .filter(Boolean))
    days.add(WEEKDAYS.indexOf(oneOf("isLastWorkingDay", "workingDays", name, WEEKDAYS)) + 1);
  return days;
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
  [
    "isLastWorkingDay",
    {
      args: ["date", "workingDays"],
      apply: (a, cx) => {
        const f = fields("isLastWorkingDay", a.date, cx);
        const working = workingDays(a.workingDays);
        if (!working.has(f.dayOfWeek)) return false;
        const last = lengthOfMonth(f.year, f.month);
        for (let day = f.day + 1, weekday = f.dayOfWeek; day <= last; day++) {
          weekday = (weekday % 7) + 1;
          if (working.has(weekday)) return false;
        }
        return true;
      },
    },
  ],
];
