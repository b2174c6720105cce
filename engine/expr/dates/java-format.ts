/**
 * Java DateTimeFormatter patterns (what Kestra's `date` filter takes): pattern letters, quoted
 * literals ('T', '' for a quote), optional sections [ ]. English names only. Localized week
 * fields (Y, w, W, e, c) follow en-US: weeks start on Sunday, the first week holds January 1st.
 * Not supported: B (day period), g (modified Julian day), p (padding) -> a clear error.
 */
import { LruCache } from "../cache";
import { ExpressionError } from "../errors";
import { dayOfYear, weekFields, weekOfMonth } from "./calendar";
import { fieldsOf, type LocalFields, type ZonedDateTime } from "./datetime";
import { zoneName } from "./zone";

export type PatternToken =
  | { t: "lit"; s: string }
  | { t: "field"; ch: string; n: number }
  | { t: "opt"; toks: PatternToken[] };

export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const QUARTER_ORDINALS = ["1st", "2nd", "3rd", "4th"];

const MAX_COUNTS: Record<string, number> = {
  G: 5,
  u: 19,
  y: 19,
  Y: 19,
  D: 3,
  M: 5,
  L: 5,
  d: 2,
  Q: 5,
  q: 5,
  w: 2,
  W: 1,
  E: 5,
  e: 5,
  c: 5,
  F: 1,
  a: 1,
  h: 2,
  K: 2,
  k: 2,
  H: 2,
  m: 2,
  s: 2,
  S: 9,
  A: 19,
  n: 19,
  N: 19,
  V: 2,
  v: 4,
  z: 4,
  O: 4,
  X: 5,
  x: 5,
  Z: 5,
};

const compiled = new LruCache<string, PatternToken[]>(512);

export function compilePattern(pattern: string): PatternToken[] {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const stack: PatternToken[][] = [[]];
  let i = 0;
  const top = () => stack[stack.length - 1]!;
  const pushLiteral = (s: string) => {
    const list = top();
    const last = list[list.length - 1];
    if (last?.t === "lit") list[list.length - 1] = { t: "lit", s: last.s + s };
    else list.push({ t: "lit", s });
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      const max = MAX_COUNTS[c];
      if (max === undefined) {
        if (c === "B" || c === "g" || c === "p") {
          throw new ExpressionError(`Pattern letter '${c}' is not supported in date patterns: ${pattern}`);
        }
        throw new ExpressionError(`Unknown pattern letter: ${c}`);
      }
      if (n > max || (c === "V" && n !== 2) || (c === "O" && n !== 1 && n !== 4)) {
        throw new ExpressionError(`Too many pattern letters: ${c}`);
      }
      top().push({ t: "field", ch: c, n });
      i += n;
    } else if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        pushLiteral("'");
        i += 2;
        continue;
      }
      let j = i + 1;
      let s = "";
      for (;;) {
        const k = pattern.indexOf("'", j);
        if (k === -1) throw new ExpressionError(`Pattern ends with an incomplete string literal: ${pattern}`);
        s += pattern.slice(j, k);
        if (pattern[k + 1] === "'") {
          s += "'";
          j = k + 2;
          continue;
        }
        i = k + 1;
        break;
      }
      pushLiteral(s);
    } else if (c === "[") {
      stack.push([]);
      i++;
    } else if (c === "]") {
      if (stack.length === 1)
        throw new ExpressionError(`Pattern invalid as it contains ] without previous [: ${pattern}`);
      const toks = stack.pop()!;
      top().push({ t: "opt", toks });
      i++;
    } else if (c === "#" || c === "{" || c === "}") {
      throw new ExpressionError(`Pattern includes reserved character: '${c}'`);
    } else {
      pushLiteral(c);
      i++;
    }
  }
  while (stack.length > 1) {
    const toks = stack.pop()!;
    top().push({ t: "opt", toks });
  }
  const result = stack[0]!;
  compiled.set(pattern, result);
  return result;
}

export function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  const padded = s.length >= width ? s : "0".repeat(width - s.length) + s;
  return n < 0 ? `-${padded}` : padded;
}

function offsetHms(total: number): { sign: string; h: number; m: number; s: number } {
  const abs = Math.abs(total);
  return {
    sign: total < 0 ? "-" : "+",
    h: Math.floor(abs / 3600),
    m: Math.floor((abs % 3600) / 60),
    s: abs % 60,
  };
}

/** X, x and Z letters: Java's appendOffset with the pattern each count maps to. */
export function formatOffset(ch: string, n: number, total: number): string {
  const { sign, h, m, s } = offsetHms(total);
  const hh = pad(h, 2);
  const mm = pad(m, 2);
  const ss = pad(s, 2);
  if (ch === "Z") {
    if (n <= 3) return `${sign}${hh}${mm}${s ? ss : ""}`;
    if (n === 4) return localizedOffset(total, true);
    return total === 0 ? "Z" : `${sign}${hh}:${mm}${s ? `:${ss}` : ""}`;
  }
  if (total === 0 && ch === "X") return "Z";
  switch (n) {
    case 1:
      return `${sign}${hh}${m ? mm : ""}`;
    case 2:
      return `${sign}${hh}${mm}`;
    case 3:
      return `${sign}${hh}:${mm}`;
    case 4:
      return `${sign}${hh}${mm}${s ? ss : ""}`;
    default:
      return `${sign}${hh}:${mm}${s ? `:${ss}` : ""}`;
  }
}

/** O and ZZZZ: "GMT", "GMT+8", "GMT+08:00". */
export function localizedOffset(total: number, full: boolean): string {
  if (total === 0) return "GMT";
  const { sign, h, m, s } = offsetHms(total);
  if (full) return `GMT${sign}${pad(h, 2)}:${pad(m, 2)}${s ? `:${pad(s, 2)}` : ""}`;
  return `GMT${sign}${h}${m || s ? `:${pad(m, 2)}` : ""}${s ? `:${pad(s, 2)}` : ""}`;
}

function text(full: string, n: number): string {
  if (n === 4) return full;
  if (n === 5) return full.slice(0, 1);
  return full.slice(0, 3);
}

function year(value: number, n: number): string {
  if (n === 2) return pad(((value % 100) + 100) % 100, 2);
  if (n === 1) return String(value);
  const s = pad(value, n);
  return n === 4 && value > 9999 ? `+${s}` : s;
}

function formatField(ch: string, n: number, f: LocalFields, zdt: ZonedDateTime): string {
  switch (ch) {
    case "G":
      return f.year > 0
        ? n === 4
          ? "Anno Domini"
          : n === 5
            ? "A"
            : "AD"
        : n === 4
          ? "Before Christ"
          : n === 5
            ? "B"
            : "BC";
    case "u":
      return year(f.year, n);
    case "y":
      return year(f.year > 0 ? f.year : 1 - f.year, n);
    case "Y":
      return year(weekFields(f.year, f.month, f.day, 7, 1).weekYear, n);
    case "D":
      return pad(dayOfYear(f.year, f.month, f.day), n);
    case "M":
    case "L":
      return n <= 2 ? pad(f.month, n) : text(MONTHS[f.month - 1] ?? "", n);
    case "d":
      return pad(f.day, n);
    case "Q":
    case "q": {
      const q = Math.floor((f.month - 1) / 3) + 1;
      if (n <= 2) return pad(q, n);
      if (n === 3) return `Q${q}`;
      if (n === 4) return `${QUARTER_ORDINALS[q - 1]} quarter`;
      return String(q);
    }
    case "w":
      return pad(weekFields(f.year, f.month, f.day, 7, 1).week, n);
    case "W":
      return String(weekOfMonth(f.year, f.month, f.day, 7, 1));
    case "E":
      return text(DAYS[f.dayOfWeek - 1] ?? "", n);
    case "e":
    case "c": {
      if (n <= 2) return pad((f.dayOfWeek % 7) + 1, n);
      return text(DAYS[f.dayOfWeek - 1] ?? "", n);
    }
    case "F":
      return String(Math.floor((f.day - 1) / 7) + 1);
    case "a":
      return f.hour < 12 ? "AM" : "PM";
    case "h":
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n);
    case "K":
      return pad(f.hour % 12, n);
    case "k":
      return pad(f.hour === 0 ? 24 : f.hour, n);
    case "H":
      return pad(f.hour, n);
    case "m":
      return pad(f.minute, n);
    case "s":
      return pad(f.second, n);
    case "S":
      return pad(f.nano, 9).slice(0, n);
    case "A":
      return pad((f.hour * 3600 + f.minute * 60 + f.second) * 1000 + Math.floor(f.nano / 1e6), n);
    case "n":
      return pad(f.nano, n);
    case "N":
      return pad((f.hour * 3600 + f.minute * 60 + f.second) * 1e9 + f.nano, n);
    case "V":
      return zdt.zone.id;
    case "z":
    case "v":
      return zoneName(zdt.zone, zdt.epochSecond, n === 4 ? "long" : "short");
    case "O":
      return localizedOffset(f.offsetSeconds, n === 4);
    case "X":
    case "x":
    case "Z":
      return formatOffset(ch, n, f.offsetSeconds);
    default:
      throw new ExpressionError(`Unknown pattern letter: ${ch}`);
  }
}

function render(tokens: readonly PatternToken[], f: LocalFields, zdt: ZonedDateTime): string {
  let out = "";
  for (const tok of tokens) {
    if (tok.t === "lit") out += tok.s;
    else if (tok.t === "field") out += formatField(tok.ch, tok.n, f, zdt);
    else out += render(tok.toks, f, zdt);
  }
  return out;
}

export function formatWithPattern(zdt: ZonedDateTime, pattern: string): string {
  return render(compilePattern(pattern), fieldsOf(zdt), zdt);
}
