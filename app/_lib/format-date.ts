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

function parts(date: Date, timeZone: string): Record<string, string> {
  const format = new Intl.DateTimeFormat("en-GB", {
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

/** How long ago (or in how long) `date` is from `now`: "3 minutes ago", "in 2 days". */
export function formatRelative(date: Date, now: Date = new Date()): string {
  const diff = date.getTime() - now.getTime();
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

/** How long from `start` to `end` (or to now, while running): `850 ms`, `1.2 s`, `3 min 4 s`, `2 h 5 min`. */
export function formatDuration(
  start: Date | string | number | null | undefined,
  end?: Date | string | number | null,
  now: number = Date.now(),
): string {
  if (start === null || start === undefined || start === "") return "—";
  const from = new Date(start).getTime();
  const to = end === null || end === undefined || end === "" ? now : new Date(end).getTime();
  const ms = Math.max(0, to - from);
  if (Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}
