/**
 * Time zones as Java's ZoneId understands them: fixed offsets ("Z", "+02:00", "UTC+2") and
 * region ids ("Europe/Paris", "UTC"), the latter resolved through Intl (standard JavaScript,
 * available everywhere the engine runs).
 */
import { LruCache } from "../cache";
import { ExpressionError } from "../errors";

export interface Zone {
  /** The id as Java prints it (VV, ISO_ZONED_DATE_TIME). */
  readonly id: string;
  /** Fixed offset in seconds, for offset zones and UTC; undefined for DST-aware regions. */
  readonly fixed: number | undefined;
  /** True for ZoneOffset ids ("Z", "+02:00"), which ISO_ZONED_DATE_TIME prints without [brackets]. */
  readonly isOffset: boolean;
  readonly formatter: Intl.DateTimeFormat | undefined;
}

const zones = new LruCache<string, Zone>(256);

export function formatOffsetId(seconds: number): string {
  if (seconds === 0) return "Z";
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const base = `${sign}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
  return s === 0 ? base : `${base}:${String(s).padStart(2, "0")}`;
}

/** Parses "+2", "+02", "+0230", "+02:30", "+02:30:15"; undefined when not an offset. */
export function parseOffset(text: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  const sec = Number(m[4] ?? 0);
  if (h > 18 || min > 59 || sec > 59) return undefined;
  const total = h * 3600 + min * 60 + sec;
  if (total > 18 * 3600) return undefined;
  return m[1] === "-" ? -total : total;
}

export function resolveZone(id: string): Zone {
  const cached = zones.get(id);
  if (cached) return cached;
  const zone = createZone(id);
  zones.set(id, zone);
  return zone;
}

function createZone(id: string): Zone {
  if (id === "Z") return { id: "Z", fixed: 0, isOffset: true, formatter: undefined };
  if (id.startsWith("+") || id.startsWith("-")) {
    const offset = parseOffset(id);
    if (offset === undefined) throw new ExpressionError(`Invalid ID for ZoneOffset, invalid format: ${id}`);
    return { id: formatOffsetId(offset), fixed: offset, isOffset: true, formatter: undefined };
  }
  const prefixed = /^(UTC|GMT|UT)([+-].*)?$/.exec(id);
  if (prefixed) {
    if (prefixed[2] === undefined) return { id, fixed: 0, isOffset: false, formatter: undefined };
    const offset = parseOffset(prefixed[2]);
    if (offset === undefined) throw new ExpressionError(`Invalid ID for offset-based ZoneId: ${id}`);
    const suffix = offset === 0 ? "" : formatOffsetId(offset);
    return { id: `${prefixed[1]}${suffix}`, fixed: offset, isOffset: false, formatter: undefined };
  }
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]*$/.test(id))
    throw new ExpressionError(`Invalid ID for region-based ZoneId: ${id}`);
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: id,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw new ExpressionError(`Unknown time-zone ID: ${id}`);
  }
  return { id, fixed: undefined, isOffset: false, formatter };
}

function utcSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime() / 1000;
}

/** Offset from UTC, in seconds, of a zone at an instant. */
export function offsetAt(zone: Zone, epochSecond: number): number {
  if (zone.fixed !== undefined || zone.formatter === undefined) return zone.fixed ?? 0;
  const t = Math.floor(epochSecond);
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e12) return 0;
  const parts = zone.formatter.formatToParts(new Date(t * 1000));
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case "year":
        y = Number(p.value);
        break;
      case "month":
        mo = Number(p.value);
        break;
      case "day":
        d = Number(p.value);
        break;
      case "hour":
        h = Number(p.value) % 24;
        break;
      case "minute":
        mi = Number(p.value);
        break;
      case "second":
        s = Number(p.value);
        break;
      case "era":
        bc = p.value.startsWith("B");
        break;
    }
  }
  if (bc) y = 1 - y;
  return utcSeconds(y, mo, d, h, mi, s) - t;
}

/**
 * The instant of a local date-time (given as seconds since the epoch of that wall clock read
 * as UTC). In a DST overlap the earlier offset wins, in a gap the time moves forward: Java's
 * ZonedDateTime.of behaviour.
 */
export function localToEpoch(zone: Zone, localSeconds: number): number {
  if (zone.fixed !== undefined || zone.formatter === undefined) return localSeconds - (zone.fixed ?? 0);
  const before = offsetAt(zone, localSeconds - 86400);
  const after = offsetAt(zone, localSeconds + 86400);
  const candidates = [localSeconds - before, localSeconds - after];
  for (const c of candidates) {
    if (offsetAt(zone, c) + c === localSeconds) return c;
  }
  // A gap: the wall-clock time does not exist; shift by the gap length like Java does.
  return localSeconds - before;
}

/** Display name of a zone (Java's z / zzzz), in English. */
export function zoneName(zone: Zone, epochSecond: number, style: "short" | "long"): string {
  if (zone.isOffset) return zone.id;
  if (zone.formatter === undefined) {
    if (zone.fixed === 0 && (zone.id === "UTC" || zone.id === "GMT" || zone.id === "UT")) {
      if (style === "short") return zone.id;
      return zone.id === "GMT" ? "Greenwich Mean Time" : "Coordinated Universal Time";
    }
    return zone.id;
  }
  try {
    const f = new Intl.DateTimeFormat("en-US", { timeZone: zone.id, timeZoneName: style });
    const part = f
      .formatToParts(new Date(Math.floor(epochSecond) * 1000))
      .find((p) => p.type === "timeZoneName");
    return part?.value ?? zone.id;
  } catch {
    return zone.id;
  }
}
