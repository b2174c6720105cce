// Dates as the person asked to see them (their time zone and date format, /account). The one date
// formatter of the console: pages call formatDate(value, preferences) or, in client components, the
// useFormatDate() hook of app/_components/preferences.tsx, which passes the person's preferences.
import type { DateFormat } from "@/server/services/preferences-schema";

export interface DatePreferences {
  /** An IANA zone, or "browser" for the browser's own. */
  timeZone: string;
  dateFormat: DateFormat;
}

export const DEFAULT_DATE_PREFERENCES: DatePreferences = { timeZone: "browser", dateFormat: "iso" };

const zoneOf = (timeZone: string) => (timeZone === "browser" ? undefined : timeZone);

type DateInput = Date | string | number | null | undefined;

/** A valid Date, or undefined for empty and unparseable input. */
function toDate(value: DateInput): Date | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// Building an Intl.DateTimeFormat costs far more than using one, and tables format thousands of dates.
const formats = new Map<string, Intl.DateTimeFormat>();

function parts(date: Date, timeZone: string): Record<string, string> {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zoneOf(timeZone),
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** How long ago (or in how long) `value` is from `now`: "3 minutes ago", "in 2 days"; "—" when empty. */
export function formatRelative(value: DateInput, now: Date | number = new Date()): string {
  const date = toDate(value);
  if (!date) return "—";
  const diff = date.getTime() - (typeof now === "number" ? now : now.getTime());
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, ms] of UNITS)
    if (Math.abs(diff) >= ms || unit === "second") return format.format(Math.round(diff / ms), unit);
  return format.format(0, "second");
}

/**
 * A date (Date, ISO string or epoch milliseconds) in the person's zone and format:
 * - iso: 2026-12-06 14:03:07 CET
 * - locale: the browser's (or server's) own way, e.g. 06/12/2026, 14:03:07
 * - european: 06/12/2026 14:03:07
 * - us: 12/06/2026 2:03:07 PM
 * - relative: 3 minutes ago (the exact date is for a title attribute: use formatDate with "iso")
 * Returns "" for null/undefined and the input itself when it is not a date.
 */
export function formatDate(
  value: Date | string | number | null | undefined,
  preferences: DatePreferences = DEFAULT_DATE_PREFERENCES,
  now?: Date,
): string {
  if (value === null || value === undefined || value === "") return "";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const zone = zoneOf(preferences.timeZone);
  switch (preferences.dateFormat) {
    case "relative":
      return formatRelative(date, now);
    case "locale":
      return date.toLocaleString(undefined, { timeZone: zone });
    case "us":
      return date
        .toLocaleString("en-US", {
          timeZone: zone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "numeric",
          minute: "2-digit",
          second: "2-digit",
        })
        .replace(",", "");
    case "european": {
      const p = parts(date, preferences.timeZone);
      return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
    }
    default: {
      const p = parts(date, preferences.timeZone);
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
    }
  }
}

/** The time of day only (log lines, task runs), in the person's zone: 14:03:07.123 with `millis`. */
export function formatTime(
  value: Date | string | number | null | undefined,
  preferences: Pick<DatePreferences, "timeZone"> = DEFAULT_DATE_PREFERENCES,
  millis = false,
): string {
  if (value === null || value === undefined || value === "") return "";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const p = parts(date, preferences.timeZone);
  const ms = millis ? `.${String(date.getMilliseconds()).padStart(3, "0")}` : "";
  return `${p.hour}:${p.minute}:${p.second}${ms}`;
}

/** A length of time, compact for tables: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`, `3 d 4 h`. */
export function formatElapsed(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** How long from `start` to `end` (or to now, while running), as formatElapsed writes it. */
export function formatDuration(start: DateInput, end?: DateInput, now: number = Date.now()): string {
  const from = toDate(start);
  if (!from) return "—";
  const to = toDate(end)?.getTime() ?? now;
  return formatElapsed(Math.max(0, to - from.getTime()));
}

/**
 * `2026-12-06 14:03:27` (without seconds if asked) in the zone: sortable and the same in every locale,
 * for keys (a chart's hour or day buckets) and compact labels rather than for reading.
 */
export function formatSortable(
  value: DateInput,
  timeZone: string,
  options: { seconds?: boolean } = {},
): string {
  const date = toDate(value);
  if (!date) return "—";
  const p = parts(date, timeZone);
  const seconds = options.seconds === false ? "" : `:${p.second}`;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds}`;
}

/** A date as a `datetime-local` field shows it in the zone: `2026-12-06T14:03:07` (`14:03` without seconds). */
export function toZonedInput(
  value: DateInput,
  timeZone: string,
  options: { seconds?: boolean } = {},
): string {
  const date = toDate(value);
  if (!date) return "";
  return formatSortable(date, timeZone, options).replace(" ", "T");
}

/**
 * A `datetime-local` value read in the zone (the person's, not the browser's unless they chose it) ->
 * the instant as ISO-8601 in UTC; "" for an empty field, the text itself when it is not a date. The
 * zone's offset comes from formatting a first guess and correcting by the difference, twice for DST edges.
 */
export function fromZonedInput(local: string, timeZone: string): string {
  if (!local) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return local;
  const at = (i: number) => Number(m[i] ?? 0);
  const wanted = Date.UTC(at(1), at(2) - 1, at(3), at(4), at(5), at(6));
  let instant = wanted;
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(instant), timeZone);
    const n = (key: string) => Number(p[key] ?? 0);
    instant += wanted - Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  }
  return new Date(instant).toISOString().replace(".000Z", "Z");
}
