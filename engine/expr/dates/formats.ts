/**
 * The format names Kestra's date filters accept (AbstractDate.FORMATTERS and the FormatStyle
 * names), otherwise a Java pattern. The localized styles (full/long/medium/short) follow the
 * en-US CLDR patterns Java uses, with a plain space before AM/PM.
 */
import { dayOfYear, weekFields } from "./calendar";
import { fieldsOf, type LocalFields, type ZonedDateTime } from "./datetime";
import { DAYS, formatWithPattern, MONTHS, pad } from "./java-format";
import { formatOffsetId } from "./zone";

const PATTERNS: Record<string, string> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: "yyyy-MM-dd HH:mm:ss.SSSSSS",
  sql_seq: "yyyy-MM-dd HH:mm:ss",
  full: "EEEE, MMMM d, y 'at' h:mm:ss a zzzz",
  long: "MMMM d, y 'at' h:mm:ss a z",
  medium: "MMM d, y, h:mm:ss a",
  short: "M/d/yy, h:mm a",
};

function isoYear(y: number): string {
  if (y > 9999) return `+${y}`;
  return y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
}

function localDate(f: LocalFields): string {
  return `${isoYear(f.year)}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
}

/** ISO_LOCAL_TIME: seconds always, fraction only when non-zero and without trailing zeros. */
function localTime(f: LocalFields): string {
  let s = `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
  if (f.nano > 0) s += `.${pad(f.nano, 9).replace(/0+$/, "")}`;
  return s;
}

function zoneSuffix(zdt: ZonedDateTime): string {
  return zdt.zone.isOffset ? "" : `[${zdt.zone.id}]`;
}

/** ISO_INSTANT: UTC, fraction in groups of three digits when present. */
export function isoInstant(epochSecond: number, nano: number): string {
  const f = fieldsOf({
    epochSecond,
    nano,
    zone: { id: "Z", fixed: 0, isOffset: true, formatter: undefined },
  });
  let s = `${localDate(f)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
  if (nano > 0) {
    const digits = pad(nano, 9);
    s += `.${nano % 1e6 === 0 ? digits.slice(0, 3) : nano % 1e3 === 0 ? digits.slice(0, 6) : digits}`;
  }
  return `${s}Z`;
}

const NAMED: Record<string, (zdt: ZonedDateTime, f: LocalFields) => string> = {
  iso_local_date: (_z, f) => localDate(f),
  iso_local_time: (_z, f) => localTime(f),
  iso_local_date_time: (_z, f) => `${localDate(f)}T${localTime(f)}`,
  iso_date: (_z, f) => `${localDate(f)}${formatOffsetId(f.offsetSeconds)}`,
  iso_time: (_z, f) => `${localTime(f)}${formatOffsetId(f.offsetSeconds)}`,
  iso_offset_time: (_z, f) => `${localTime(f)}${formatOffsetId(f.offsetSeconds)}`,
  iso_date_time: (z, f) =>
    `${localDate(f)}T${localTime(f)}${formatOffsetId(f.offsetSeconds)}${zoneSuffix(z)}`,
  iso_zoned_date_time: (z, f) =>
    `${localDate(f)}T${localTime(f)}${formatOffsetId(f.offsetSeconds)}${zoneSuffix(z)}`,
  iso_instant: (z) => isoInstant(z.epochSecond, z.nano),
  iso_ordinal_date: (_z, f) =>
    `${isoYear(f.year)}-${pad(dayOfYear(f.year, f.month, f.day), 3)}${formatOffsetId(f.offsetSeconds)}`,
  iso_week_date: (_z, f) => {
    const w = weekFields(f.year, f.month, f.day, 1, 4);
    return `${isoYear(w.weekYear)}-W${pad(w.week, 2)}-${f.dayOfWeek}${formatOffsetId(f.offsetSeconds)}`;
  },
  rfc_1123_date_time: (_z, f) => {
    const off = f.offsetSeconds;
    const zone =
      off === 0
        ? "GMT"
        : `${off < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(off) / 3600), 2)}${pad(Math.floor((Math.abs(off) % 3600) / 60), 2)}`;
    return `${(DAYS[f.dayOfWeek - 1] ?? "").slice(0, 3)}, ${f.day} ${(MONTHS[f.month - 1] ?? "").slice(0, 3)} ${f.year} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)} ${zone}`;
  },
};

export function isNamedFormat(format: string): boolean {
  return format in NAMED || format in PATTERNS;
}

export function formatDate(zdt: ZonedDateTime, format: string): string {
  const named = Object.hasOwn(NAMED, format) ? NAMED[format] : undefined;
  if (named) return named(zdt, fieldsOf(zdt));
  const pattern = Object.hasOwn(PATTERNS, format) ? PATTERNS[format] : undefined;
  return formatWithPattern(zdt, pattern ?? format);
}

/** The Java pattern behind a format name, for parsing with existingFormat. */
export function patternFor(format: string): string | undefined {
  return Object.hasOwn(PATTERNS, format) ? PATTERNS[format] : undefined;
}
