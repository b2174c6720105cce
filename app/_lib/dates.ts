// The one way the UI shows a date: in the person's time zone (their choice, kept in localStorage as
// `cadenza-time-zone`; the browser's own by default). Server-rendered text uses UTC and says so, and
// client components re-render it in the person's zone (see <DateTime> in app/_components/date-time.tsx).

export const TIME_ZONE_KEY = "cadenza-time-zone";

/** The person's chosen time zone, else the browser's; UTC on the server. */
export function timeZone(): string {
  if (typeof window === "undefined") return "UTC";
  try {
    const chosen = window.localStorage.getItem(TIME_ZONE_KEY);
    if (chosen) {
      new Intl.DateTimeFormat("en", { timeZone: chosen }); // throws for an unknown zone
      return chosen;
    }
  } catch {
    // an unknown zone or no storage: the browser's
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let found = formats.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formats.set(zone, found);
  }
  return found;
}

/** `2026-12-06 14:03:07` in `zone` (default: the person's). */
export function formatDateTime(iso: string | Date | undefined | null, zone = timeZone()): string {
  if (!iso) return "—";
  const date = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return "—";
  return format(zone).format(date).replace(",", "");
}

/** `3 min ago`, `in 2 h`: for lists, beside the full date in a tooltip. */
export function formatRelative(iso: string | Date, now = Date.now()): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60
      ? [seconds, "second"]
      : abs < 3600
        ? [Math.round(seconds / 60), "minute"]
        : abs < 86_400
          ? [Math.round(seconds / 3600), "hour"]
          : [Math.round(seconds / 86_400), "day"];
  return new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(
    value,
    unit as Intl.RelativeTimeFormatUnit,
  );
}

/** `1.2 s`, `3 min 4 s`. */
export function formatDuration(startIso: string, endIso?: string | null): string {
  if (!endIso) return "—";
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
