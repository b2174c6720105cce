/** Local calendar fields of an ISO date-time as written (its own offset), so day-of-week checks match the zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** 1 = Monday ... 7 = Sunday (ISO). */
  weekday: number;
  /** Seconds since local midnight. */
  seconds: number;
  /** Epoch milliseconds. */
  epoch: number;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?(?:\[[^\]]+\])?$/i;

export function parseLocal(value: unknown): LocalDate | undefined {
  if (value instanceof Date) return parseLocal(value.toISOString());
  if (typeof value !== "string") return undefined;
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offset = m[7];
  let offsetMinutes = 0;
  if (offset && offset.toUpperCase() !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const weekday = ((new Date(localAsUtc).getUTCDay() + 6) % 7) + 1;
  return {
    year,
    month,
    day,
    weekday,
    seconds: hour * 3600 + minute * 60 + second,
    epoch: localAsUtc - offsetMinutes * 60_000,
  };
}

export const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

export function timeOfDay(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : undefined;
}
