// Public holidays, for the PublicHoliday condition and Kestra 2.0's `isPublicHoliday(date, countryCode,
// subDivision?)` function (worker/expression-functions.ts). Kestra reads holiday calendars from Jollyday;
// here they come from `date-holidays` (the maintained calendar library of the JS world, ~200 countries,
// data bundled, no I/O). It lives in plugins/, not in the pure expression engine, because its calendars
// weigh megabytes that neither the browser nor the Temporal workflow bundle should carry.
// Differences: a subdivision the library does not know (its codes are ISO 3166-2 where Jollyday has its
// own, e.g. France's `IDF`) falls back to the country's holidays; only holidays of type `public` count
// (not bank, school, optional or observance days).
import Holidays from "date-holidays";
import type { ExprFunction } from "@/engine/expr";

const calendars = new Map<string, Holidays>();
let countries: Record<string, string> | undefined;

function calendar(country: string, subDivision: string | undefined): Holidays {
  const code = country.trim().toUpperCase();
  countries ??= new Holidays().getCountries();
  if (!countries[code])
    throw new Error(`The 'isPublicHoliday' function does not know the country '${country}'.`);
  const states = new Holidays().getStates(code) ?? {};
  // ISO 3166-2 codes carry the country (`DE-BY`); the library's states do not (`BY`).
  const trimmed = subDivision?.trim().toUpperCase();
  const state = trimmed
    ? trimmed.startsWith(`${code}-`)
      ? trimmed.slice(code.length + 1)
      : trimmed
    : undefined;
  const key = state && states[state] ? `${code}-${state}` : code;
  let found = calendars.get(key);
  if (!found) {
    found = key === code ? new Holidays(code) : new Holidays(code, state as string);
    calendars.set(key, found);
  }
  return found;
}

/** The local date (YYYY-MM-DD) of a date or date-time in its own offset, as Kestra's parseLocalDate. */
function localDate(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : String(value ?? "");
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text.trim());
  if (!match || Number.isNaN(Date.parse(match[1] as string)))
    throw new Error(`The 'isPublicHoliday' function could not parse 'date': '${text}'.`);
  return match[1] as string;
}

export const isPublicHoliday: ExprFunction = (args, named) => {
  const date = args[0] ?? named.date;
  const country = args[1] ?? named.countryCode;
  const subDivision = args[2] ?? named.subDivision;
  if (date === undefined || date === null)
    throw new Error("The 'isPublicHoliday' function expects a 'date' argument.");
  if (country === undefined || country === null || String(country).trim() === "")
    throw new Error("The 'isPublicHoliday' function expects a 'countryCode' argument.");
  return isPublicHolidayOn(date, String(country), subDivision == null ? undefined : String(subDivision));
};

/** Whether the local date of `date` is a public holiday of the country (and subdivision). */
export function isPublicHolidayOn(date: unknown, country: string, subDivision?: string): boolean {
  const holidays = calendar(country, subDivision);
  const day = localDate(date);
  // By the holiday's own calendar date: isHoliday() reads a date in one of the country's time zones.
  return publicDays(holidays, Number(day.slice(0, 4))).has(day);
}

const yearCache = new WeakMap<Holidays, Map<number, Set<string>>>();

function publicDays(holidays: Holidays, year: number): Set<string> {
  let years = yearCache.get(holidays);
  if (!years) yearCache.set(holidays, (years = new Map()));
  let days = years.get(year);
  if (!days) {
    days = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    years.set(year, days);
  }
  return days;
}
