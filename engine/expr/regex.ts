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

/** Java's String.split(regex, limit); `charge` is called once per part so huge splits stay bounded. */
export function javaSplit(
  input: string,
  pattern: string,
  limit: number,
  charge: (n: number) => void = () => {},
): string[] {
  const literal = literalOf(pattern);
  let parts: string[];
  if (literal !== undefined && literal.length > 0) {
    parts = [];
    let from = 0;
    for (;;) {
      if (limit > 0 && parts.length === limit - 1) break;
      const idx = input.indexOf(literal, from);
      if (idx === -1) break;
      charge(1);
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
      charge(1);
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

/**
 * Replace every match of a regex (Java replacement syntax: $1, ${name}, \\$) or every occurrence
 * of a literal, failing as soon as the result would exceed `maxLength` instead of building it.
 */
export function replaceAllBounded(
  input: string,
  pattern: string,
  replacement: string,
  regexp: boolean,
  maxLength: number,
): string {
  const pieces: string[] = [];
  let length = 0;
  const push = (s: string) => {
    length += s.length;
    if (length > maxLength)
      throw new ExpressionError(`output exceeds the maximum length of ${maxLength} characters`);
    pieces.push(s);
  };
  if (!regexp) {
    if (pattern === "") {
      for (const c of input) {
        push(replacement);
        push(c);
      }
      push(replacement);
      return pieces.join("");
    }
    let from = 0;
    for (;;) {
      const idx = input.indexOf(pattern, from);
      if (idx === -1) break;
      push(input.slice(from, idx));
      push(replacement);
      from = idx + pattern.length;
    }
    push(input.slice(from));
    return pieces.join("");
  }
  const parts = parseReplacement(replacement);
  const re = compileRegex(pattern, true);
  re.lastIndex = 0;
  let from = 0;
  for (;;) {
    const m = re.exec(input);
    if (!m) break;
    push(input.slice(from, m.index));
    for (const part of parts) {
      if (typeof part === "string") push(part);
      else if (typeof part === "number") push(m[part] ?? "");
      else push(m.groups?.[part.name] ?? "");
    }
    from = m.index + m[0].length;
    if (m[0].length === 0) {
      if (m.index >= input.length) break;
      re.lastIndex = m.index + 1;
      push(input.slice(from, m.index + 1));
      from = m.index + 1;
    }
  }
  push(input.slice(from));
  return pieces.join("");
}

type ReplacementPart = string | number | { name: string };

/** Java's Matcher replacement syntax: `$1`, `${name}`, and `\\` escaping the next character. */
function parseReplacement(rep: string): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = "";
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === "\\" && i + 1 < rep.length) {
      literal += rep[++i];
    } else if (c === "$") {
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rep.slice(i + 1));
      const digits = /^[0-9]+/.exec(rep.slice(i + 1));
      if (literal) parts.push(literal);
      literal = "";
      if (named) {
        parts.push({ name: named[1]! });
        i += named[0].length;
      } else if (digits) {
        parts.push(Number(digits[0][0]));
        literal = digits[0].slice(1);
        i += digits[0].length;
      } else {
        throw new ExpressionError(`Illegal group reference in replacement '${rep}'`);
      }
    } else {
      literal += c;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}
