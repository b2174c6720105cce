// Dates and durations of the monitoring pages (executions, dashboard, triggers), in the time zone a page
// passes — the person's, from useTimeZone() (app/_components/preferences.tsx) — with Intl only, no date
// library in the page's JavaScript. Elsewhere <DateTime> and app/_lib/format-date.ts do the same.

/** The browser's IANA time zone (UTC on the server, where there is no person to ask). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** `2026-12-06 14:03:27` in the time zone (sortable, unambiguous, the same in every locale). */
export function formatDateTime(
  date: Date | string | null | undefined,
  options: { timeZone?: string; seconds?: boolean } = {},
): string {
  if (date === null || date === undefined) return "—";
  const value = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(value.getTime())) return "—";
  const timeZone = options.timeZone ?? browserTimeZone();
  const key = `${timeZone}|${options.seconds !== false}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      ...(options.seconds !== false ? { second: "2-digit" } : {}),
      hourCycle: "h23",
    });
    formats.set(key, format);
  }
  return format.format(value).replace(",", "");
}

/** `850ms`, `12.3s`, `4m 05s`, `2h 03m`, `3d 4h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** `3 minutes ago`, `in 2 hours`. */
export function formatRelative(date: Date | string | null | undefined, now = Date.now()): string {
  if (date === null || date === undefined) return "—";
  const value = typeof date === "string" ? new Date(date) : date;
  const diff = (value.getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return relative.format(Math.round(diff), "second");
  if (abs < 2700) return relative.format(Math.round(diff / 60), "minute");
  if (abs < 79_200) return relative.format(Math.round(diff / 3600), "hour");
  return relative.format(Math.round(diff / 86_400), "day");
}
