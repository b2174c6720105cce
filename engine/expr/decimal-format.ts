/**
 * Java's DecimalFormat for the numberFormat filter, English symbols: digits (0 and #),
 * grouping (,), a decimal point, percent (%) and per-mille (‰) suffixes, quoted literals in a
 * prefix or suffix, and HALF_EVEN rounding on the exact binary value of the number.
 * Not supported: exponent patterns (E), negative sub-patterns after ';' (the minus sign is
 * used instead), currency signs.
 */
import { ExpressionError } from "./errors";

interface DecimalPattern {
  prefix: string;
  suffix: string;
  minInt: number;
  minFrac: number;
  maxFrac: number;
  grouping: number;
  multiplier: number;
}

function readAffix(pattern: string, start: number, stopAtDigits: boolean): { text: string; end: number } {
  let text = "";
  let i = start;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (stopAtDigits && "#0,.".includes(c)) break;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw new ExpressionError(`Malformed pattern "${pattern}"`);
      text += end === i + 1 ? "'" : pattern.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    text += c;
    i++;
  }
  return { text, end: i };
}

function parsePattern(pattern: string): DecimalPattern {
  const positive = pattern.split(";")[0] ?? "";
  if (/E/.test(positive.replace(/'[^']*'/g, ""))) {
    throw new ExpressionError(`Exponent patterns are not supported by numberFormat: ${pattern}`);
  }
  const prefix = readAffix(positive, 0, true);
  let i = prefix.end;
  let core = "";
  while (i < positive.length && "#0,.".includes(positive[i]!)) core += positive[i++];
  const suffix = readAffix(positive, i, false);
  const [intPart = "", fracPart = ""] = core.split(".");
  const lastComma = intPart.lastIndexOf(",");
  const grouping = lastComma === -1 ? 0 : intPart.length - lastComma - 1;
  const intDigits = intPart.replace(/,/g, "");
  let multiplier = 1;
  if (suffix.text.includes("%") || prefix.text.includes("%")) multiplier = 100;
  if (suffix.text.includes("‰") || prefix.text.includes("‰")) multiplier = 1000;
  return {
    prefix: prefix.text,
    suffix: suffix.text,
    minInt: (intDigits.match(/0/g) ?? []).length,
    minFrac: (fracPart.match(/0/g) ?? []).length,
    maxFrac: fracPart.length,
    grouping,
    multiplier,
  };
}

/** Exact decimal digits of |n| rounded HALF_EVEN to `frac` fraction digits: [integer, fraction]. */
function roundHalfEven(n: number, frac: number): [string, string] {
  // toFixed switches to exponent notation from 1e21; such doubles are integers anyway.
  if (Math.abs(n) >= 1e21) return [BigInt(Math.abs(n)).toString(), "0".repeat(frac)];
  const exact = Math.abs(n).toFixed(Math.min(100, frac + 30));
  const [intStr = "0", fracStr = ""] = exact.split(".");
  const kept = intStr + fracStr.slice(0, frac);
  const rest = fracStr.slice(frac);
  let digits = kept.split("").map(Number);
  const first = Number(rest[0] ?? "0");
  const tail = rest.slice(1).replace(/0+$/, "");
  const last = digits[digits.length - 1] ?? 0;
  const roundUp = first > 5 || (first === 5 && (tail.length > 0 || last % 2 === 1));
  if (roundUp) {
    let i = digits.length - 1;
    while (i >= 0) {
      const d = (digits[i] ?? 0) + 1;
      if (d < 10) {
        digits[i] = d;
        break;
      }
      digits[i] = 0;
      i--;
    }
    if (i < 0) digits = [1, ...digits];
  }
  const all = digits.join("");
  const intLen = all.length - frac;
  return [all.slice(0, intLen) || "0", all.slice(intLen)];
}

export function decimalFormat(value: number, pattern: string): string {
  const p = parsePattern(pattern);
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return `${value < 0 ? "-" : ""}${p.prefix}∞${p.suffix}`;
  const scaled = value * p.multiplier;
  let [intDigits, fracDigits] = roundHalfEven(scaled, p.maxFrac);
  fracDigits = fracDigits.replace(/0+$/, "");
  if (fracDigits.length < p.minFrac) fracDigits = fracDigits.padEnd(p.minFrac, "0");
  intDigits = intDigits.replace(/^0+/, "");
  if (intDigits.length < p.minInt) intDigits = intDigits.padStart(p.minInt, "0");
  if (p.grouping > 0 && intDigits.length > p.grouping) {
    const groups: string[] = [];
    for (let end = intDigits.length; end > 0; end -= p.grouping) {
      groups.unshift(intDigits.slice(Math.max(0, end - p.grouping), end));
    }
    intDigits = groups.join(",");
  }
  let body = intDigits;
  if (fracDigits.length > 0) body += `.${fracDigits}`;
  if (body === "") body = "0";
  const isZero = !/[1-9]/.test(body);
  const negative = scaled < 0 && !isZero;
  return `${negative ? "-" : ""}${p.prefix}${body}${p.suffix}`;
}
