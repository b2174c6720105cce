/**
 * Turning filter inputs into dates, as Kestra's AbstractDate.convert does: a Date as is, an
 * integer as epoch seconds, a string as an ISO zoned date-time, else a local date-time in the
 * target zone, else a local date at the start of the day. With `existingFormat` the string is
 * read with that Java pattern (a practical subset: numeric fields, month and day names, AM/PM,
 * offsets and zone ids, quoted literals and optional sections). The parser is lenient where
 * Java is strict: a space is accepted instead of 'T', names ignore case, missing time fields
 * default to midnight.
 */
import { ExpressionError } from "../errors";
import { isNumber, num, typeName } from "../values";
import { daysFromCivil } from "./calendar";
import { fromEpochMillis, ofLocal, ofOffset, validateLocal, type ZonedDateTime } from "./datetime";
import { patternFor } from "./formats";
import { compilePattern, DAYS, MONTHS, type PatternToken } from "./java-format";
import { formatOffsetId, parseOffset, resolveZone, type Zone } from "./zone";

const ISO_RE =
  /^([+-]?\d{4,9})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?(?:\[([^\]]+)\])?$/;

function cannotParse(text: string, detail?: string): ExpressionError {
  return new ExpressionError(`Text '${text}' could not be parsed${detail ? `: ${detail}` : ""}`);
}

function nanoOf(fraction: string | undefined): number {
  return fraction ? Number(fraction.padEnd(9, "0")) : 0;
}

export function parseIso(text: string, zone: Zone): ZonedDateTime {
  const m = ISO_RE.exec(text.trim());
  if (!m) throw cannotParse(text, "not an ISO-8601 date or date-time");
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hasTime = m[4] !== undefined;
  const hour = hasTime ? Number(m[4]) : 0;
  const minute = hasTime ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const nano = nanoOf(m[7]);
  validateLocal(year, month, day, hour, minute, second, text);
  const offsetText = m[8];
  const region = m[9] !== undefined ? resolveZone(m[9]) : undefined;
  if (offsetText !== undefined && hasTime) {
    const offset = offsetText === "Z" ? 0 : parseOffset(offsetText);
    if (offset === undefined) throw cannotParse(text, "invalid offset");
    return ofOffset(offset, region ?? resolveZone(offsetText), year, month, day, hour, minute, second, nano);
  }
  return ofLocal(region ?? zone, year, month, day, hour, minute, second, nano);
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  nano?: number;
  offset?: number;
  zone?: Zone;
}

function isNumericField(tok: PatternToken | undefined): boolean {
  return tok?.t === "field" && "uyYDMLdHhKkmsSnAN".includes(tok.ch) && !("ML".includes(tok.ch) && tok.n >= 3);
}

class PatternParser {
  pos = 0;
  constructor(private readonly text: string) {}

  parse(tokens: readonly PatternToken[], out: Parsed): void {
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (tok.t === "lit") {
        if (!this.text.startsWith(tok.s, this.pos)) throw this.fail();
        this.pos += tok.s.length;
      } else if (tok.t === "opt") {
        const savedPos = this.pos;
        const attempt: Parsed = { ...out };
        try {
          this.parse(tok.toks, attempt);
          Object.assign(out, attempt);
        } catch {
          this.pos = savedPos;
        }
      } else {
        const next = tokens[i + 1];
        this.field(tok.ch, tok.n, isNumericField(next), out);
      }
    }
  }

  private fail(): ExpressionError {
    return cannotParse(this.text, `unparsed text found at index ${this.pos}`);
  }

  private digits(min: number, max: number): number {
    let end = this.pos;
    while (end < this.text.length && end - this.pos < max && /[0-9]/.test(this.text[end]!)) end++;
    if (end - this.pos < min) throw this.fail();
    const v = Number(this.text.slice(this.pos, end));
    this.pos = end;
    return v;
  }

  private signedDigits(min: number, max: number): number {
    const c = this.text[this.pos];
    if (c === "-" || c === "+") {
      this.pos++;
      const v = this.digits(min, max);
      return c === "-" ? -v : v;
    }
    return this.digits(min, max);
  }

  private number(n: number, adjacent: boolean): number {
    if (adjacent) return this.digits(n, n);
    if (n === 1) return this.digits(1, 19);
    if (n === 2) return this.digits(2, 2);
    return this.digits(n, 19);
  }

  private name(names: readonly string[], n: number): number {
    const candidates = names.map((full, idx) => ({ s: n === 4 ? full : full.slice(0, 3), idx }));
    candidates.sort((a, b) => b.s.length - a.s.length);
    const rest = this.text.slice(this.pos).toLowerCase();
    for (const c of candidates) {
      if (rest.startsWith(c.s.toLowerCase())) {
        this.pos += c.s.length;
        return c.idx;
      }
    }
    throw this.fail();
  }

  private offset(ch: string, n: number): number {
    const rest = this.text.slice(this.pos);
    if (ch === "O" || (ch === "Z" && n === 4)) {
      if (!rest.startsWith("GMT")) throw this.fail();
      this.pos += 3;
      const m = /^[+-]\d{1,2}(?::\d{2}(?::\d{2})?)?/.exec(this.text.slice(this.pos));
      if (!m) return 0;
      this.pos += m[0].length;
      return parseOffset(m[0]) ?? 0;
    }
    if (rest.startsWith("Z") && ch !== "x") {
      this.pos++;
      return 0;
    }
    const m = /^[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?/.exec(rest);
    if (!m) throw this.fail();
    const v = parseOffset(m[0]);
    if (v === undefined) throw this.fail();
    this.pos += m[0].length;
    return v;
  }

  private zoneId(): Zone {
    const m = /^(?:[A-Za-z][A-Za-z0-9_~+-]*(?:\/[A-Za-z0-9_~+-]+)*|[+-]\d{2}(?::?\d{2})?)/.exec(
      this.text.slice(this.pos),
    );
    if (!m) throw this.fail();
    this.pos += m[0].length;
    return resolveZone(m[0]);
  }

  private field(ch: string, n: number, adjacent: boolean, out: Parsed): void {
    switch (ch) {
      case "u":
      case "y":
      case "Y": {
        if (n === 2) {
          out.year = 2000 + this.digits(2, 2);
        } else {
          const v = adjacent ? this.digits(n, n) : this.signedDigits(n === 1 ? 1 : n, 19);
          out.year = v;
        }
        return;
      }
      case "M":
      case "L":
        out.month = n >= 3 ? this.name(MONTHS, n) + 1 : this.number(n, adjacent);
        return;
      case "d":
        out.day = this.number(n, adjacent);
        return;
      case "D":
        out.dayOfYear = this.number(n, adjacent);
        return;
      case "E":
        this.name(DAYS, n);
        return;
      case "e":
      case "c":
        if (n >= 3) this.name(DAYS, n);
        else this.number(n, adjacent);
        return;
      case "a": {
        const rest = this.text.slice(this.pos, this.pos + 2).toUpperCase();
        if (rest !== "AM" && rest !== "PM") throw this.fail();
        out.pm = rest === "PM";
        this.pos += 2;
        return;
      }
      case "H":
      case "k":
        out.hour = this.number(n, adjacent) % 24;
        return;
      case "h":
      case "K":
        out.hour12 = this.number(n, adjacent) % 12;
        return;
      case "m":
        out.minute = this.number(n, adjacent);
        return;
      case "s":
        out.second = this.number(n, adjacent);
        return;
      case "S": {
        const start = this.pos;
        this.digits(n, n);
        out.nano = Number(this.text.slice(start, this.pos).padEnd(9, "0"));
        return;
      }
      case "n":
        out.nano = this.number(n, adjacent);
        return;
      case "X":
      case "x":
      case "Z":
      case "O":
        out.offset = this.offset(ch, n);
        return;
      case "V":
      case "z":
      case "v":
        out.zone = this.zoneId();
        return;
      case "G":
        this.name(["AD", "BC"], 1);
        return;
      default:
        throw new ExpressionError(`Pattern letter '${ch}' is not supported when parsing dates`);
    }
  }
}

const RFC_1123_PARSE = "EEE, d MMM yyyy HH:mm:ss[ O][ Z]";

export function parseWithPattern(text: string, pattern: string, zone: Zone): ZonedDateTime {
  if (pattern.startsWith("iso_")) return parseIso(text, zone);
  if (pattern === "rfc_1123_date_time") pattern = RFC_1123_PARSE;
  const tokens = compilePattern(patternFor(pattern) ?? pattern);
  const parser = new PatternParser(text);
  const p: Parsed = {};
  parser.parse(tokens, p);
  if (parser.pos !== text.length) throw cannotParse(text, `unparsed text found at index ${parser.pos}`);
  if (p.year === undefined) throw cannotParse(text, "no year in the date");
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.dayOfYear !== undefined && p.month === undefined) {
    const jan1 = daysFromCivil(p.year, 1, 1);
    const d = new Date((jan1 + p.dayOfYear - 1) * 86400000);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) hour = p.hour12 + (p.pm ? 12 : 0);
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  validateLocal(p.year, month, day, hour, minute, second, text);
  const nano = p.nano ?? 0;
  if (p.offset !== undefined) {
    return ofOffset(
      p.offset,
      p.zone ?? resolveZone(formatOffsetId(p.offset)),
      p.year,
      month,
      day,
      hour,
      minute,
      second,
      nano,
    );
  }
  return ofLocal(p.zone ?? zone, p.year, month, day, hour, minute, second, nano);
}

/** Kestra's AbstractDate.convert. */
export function toZoned(value: unknown, zone: Zone, existingFormat: string | undefined): ZonedDateTime {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new ExpressionError("Invalid Date");
    return fromEpochMillis(t, zone);
  }
  if (isNumber(value)) {
    const seconds = num(value);
    if (!Number.isFinite(seconds)) throw new ExpressionError(`Unable to convert ${seconds} to a date`);
    return fromEpochMillis(seconds * 1000, zone);
  }
  if (typeof value !== "string") {
    throw new ExpressionError(`Unable to convert a ${typeName(value)} to a date`);
  }
  if (existingFormat !== undefined) return parseWithPattern(value, existingFormat, zone);
  return parseIso(value, zone);
}
