/**
 * Java regular expressions from templates (split, replace with regexp=true), run as JavaScript
 * RegExps. Templates are tenant input and a JS regex cannot be interrupted, so patterns with
 * nested quantifiers (the classic catastrophic-backtracking shape, e.g. `(a+)+`) or
 * backreferences are refused, and Java-only syntax (possessive quantifiers, atomic groups)
 * is reported instead of being misread. A leading `(?i)`-style flag group is translated.
 */
import { LruCache } from "./cache";
import { ExpressionError } from "./errors";

const cache = new LruCache<string, RegExp>(256);
const MAX_PATTERN_LENGTH = 1000;

/** The text a pattern matches when it has no metacharacters (escapes of punctuation allowed). */
export function literalOf(pattern: string): string | undefined {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) return undefined;
      if (/[A-Za-z0-9]/.test(next)) {
        if (next === "n") out += "\n";
        else if (next === "t") out += "\t";
        else if (next === "r") out += "\r";
        else return undefined;
      } else {
        out += next;
      }
      i++;
    } else if ("[](){}.*+?^$|".includes(c)) {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

function checkSafe(pattern: string): void {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new ExpressionError("regular expression is too long");
  if (/\(\?>/.test(pattern) || /[*+?}]\+/.test(pattern)) {
    throw new ExpressionError(`possessive quantifiers and atomic groups are not supported: ${pattern}`);
  }
  if (/\\[1-9]|\\k</.test(pattern)) throw new ExpressionError(`backreferences are not supported: ${pattern}`);
  // A group that contains a quantifier and is itself quantified: (a+)+, (a|aa)*, (x*y)*
  const nested = /\((?:[^()\\]|\\.)*(?:[*+]|\{\d+,?\d*\}|\|)(?:[^()\\]|\\.)*\)(?:[*+]|\{\d+,\d*\})/;
  if (nested.test(pattern)) {
    throw new ExpressionError(
      `regular expression rejected: nested quantifiers can take exponential time: ${pattern}`,
    );
  }
}

export function compileRegex(pattern: string, global: boolean): RegExp {
  const key = `${global ? "g" : "-"}${pattern}`;
  const cached = cache.get(key);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  checkSafe(pattern);
  let source = pattern;
  let flags = global ? "gu" : "u";
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    if (inline[1]!.includes("x")) throw new ExpressionError("the (?x) regex flag is not supported");
    flags += inline[1];
    source = source.slice(inline[0].length);
  }
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch {
    try {
      re = new RegExp(source, flags.replace("u", ""));
    } catch (e) {
      throw new ExpressionError(`Invalid regular expression '${pattern}': ${(e as Error).message}`);
    }
  }
  cache.set(key, re);
  return re;
}

/** Java's String.split(regex, limit). */
export function javaSplit(input: string, pattern: string, limit: number): string[] {
  const literal = literalOf(pattern);
  let parts: string[];
  if (literal !== undefined && literal.length > 0) {
    parts = [];
    let from = 0;
    for (;;) {
      if (limit > 0 && parts.length === limit - 1) break;
      const idx = input.indexOf(literal, from);
      if (idx === -1) break;
      parts.push(input.slice(from, idx));
      from = idx + literal.length;
    }
    parts.push(input.slice(from));
  } else {
    const re = compileRegex(pattern === "" ? "(?:)" : pattern, true);
    parts = [];
    let from = 0;
    re.lastIndex = 0;
    for (;;) {
      if (limit > 0 && parts.length === limit - 1) break;
      const m = re.exec(input);
      if (!m) break;
      if (m[0].length === 0) {
        re.lastIndex++;
        // Java never splits at index 0 on a zero-width match, nor past the end.
        if (m.index === 0 || m.index >= input.length) continue;
      }
      parts.push(input.slice(from, m.index));
      from = m.index + m[0].length;
    }
    parts.push(input.slice(from));
    // A leading empty string from a non-zero-width match at index 0 is kept, as in Java 8+.
  }
  if (limit === 0) {
    while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
    if (parts.length === 1 && parts[0] === "" && input === "") return [""];
  }
  return parts;
}
