/**
 * Java regular expressions from tenant input (templates' split/replace, jq test/sub, input
 * validators, trigger filters, Split's regexPattern), run by RE2 (`re2js`, a pure-JavaScript
 * port of Google's RE2) rather than by JavaScript's backtracking RegExp: RE2 matches in time
 * linear in the input whatever the pattern, so `(.*a){12}b` cannot stall the engine's event
 * loop (with RegExp it took 12 s on 30 characters). RE2 has no backreferences, lookaround,
 * possessive quantifiers or atomic groups (the constructs that need backtracking): those are
 * refused with an error naming the construct, before RE2's own syntax message.
 */
import { RE2JS } from "re2js";
import { LruCache } from "./cache";
import { ExpressionError } from "./errors";

/** One match, in UTF-16 indices of the input (as JavaScript strings count). */
export interface RegexMatch {
  readonly index: number;
  readonly end: number;
  readonly text: string;
  /** A numbered or named group's text, undefined when it did not take part in the match. */
  group(group: number | string): string | undefined;
}

/** A compiled user regular expression: every operation runs in linear time. */
export interface UserRegex {
  readonly pattern: string;
  /** Whether the pattern matches somewhere in the input (Java's `Matcher.find()`). */
  test(input: string): boolean;
  /** Whether the pattern matches the whole input (Java's `String.matches`). */
  matchesWhole(input: string): boolean;
  /** The first match, or undefined. */
  first(input: string): RegexMatch | undefined;
  /** Every match left to right, without overlap; empty matches advance by one character. */
  all(input: string): Iterable<RegexMatch>;
}

const cache = new LruCache<string, UserRegex>(256);
const MAX_PATTERN_LENGTH = 1000;

/** Flags for compileRegex beyond the pattern's own inline `(?i)`, `(?s)`, `(?m)`. */
export interface RegexOptions {
  /** `.` matches line terminators too (Java's DOTALL). */
  dotAll?: boolean;
}

/** Compile a tenant's Java-syntax regular expression for RE2; throws ExpressionError when refused. */
export function compileRegex(pattern: string, options: RegexOptions = {}): UserRegex {
  const key = `${options.dotAll ? "s" : "-"}${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  if (pattern.length > MAX_PATTERN_LENGTH) throw new ExpressionError("regular expression is too long");
  refuseBacktrackingSyntax(pattern);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, options.dotAll ? RE2JS.DOTALL : 0);
  } catch (e) {
    throw new ExpressionError(
      `Invalid regular expression '${pattern}': ${(e as Error).message.replace(/^error parsing regexp: /, "")}`,
    );
  }
  const regex = wrap(pattern, compiled);
  cache.set(key, regex);
  return regex;
}

function wrap(pattern: string, re: RE2JS): UserRegex {
  return {
    pattern,
    test: (input) => re.matcher(input).find(),
    matchesWhole: (input) => re.matches(input),
    first(input) {
      const m = re.matcher(input);
      return m.find() ? snapshot(m, input) : undefined;
    },
    *all(input) {
      const m = re.matcher(input);
      while (m.find()) yield snapshot(m, input);
    },
  };
}

function snapshot(m: ReturnType<RE2JS["matcher"]>, input: string): RegexMatch {
  const index = m.start();
  const end = m.end();
  const groups = new Map<number | string, string | undefined>();
  return {
    index,
    end,
    text: input.slice(index, end),
    group(group) {
      if (!groups.has(group)) {
        let text: string | undefined;
        try {
          text = m.group(group) ?? undefined;
        } catch {
          throw new ExpressionError(`No group ${typeof group === "string" ? `with name {${group}}` : group}`);
        }
        groups.set(group, text);
      }
      return groups.get(group);
    },
  };
}

/**
 * Java constructs RE2 cannot run (they need backtracking), named in the error so the author
 * knows what to rewrite. Scans outside character classes, skipping escapes.
 */
function refuseBacktrackingSyntax(pattern: string): void {
  const refuse = (construct: string): never => {
    throw new ExpressionError(
      `regular expression '${pattern}' uses ${construct}, which the linear-time regex engine (RE2) does not support`,
    );
  };
  let inClass = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next !== undefined && /[1-9]/.test(next) && inClass === 0) refuse(`a backreference (\\${next})`);
      if (next === "k" && pattern[i + 2] === "<") refuse("a named backreference (\\k<name>)");
      if (next === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        i = end === -1 ? pattern.length : end + 1;
        continue;
      }
      i++;
      continue;
    }
    if (inClass > 0) {
      if (c === "[") inClass++;
      else if (c === "]") inClass--;
      else if (c === "&" && pattern[i + 1] === "&") refuse("a character class intersection (&&)");
      continue;
    }
    if (c === "[") {
      inClass = 1;
      // A `]` right after `[` or `[^` is a literal member.
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++;
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith("=")) refuse("a lookahead (?=...)");
      if (rest.startsWith("!")) refuse("a negative lookahead (?!...)");
      if (rest === "<=") refuse("a lookbehind (?<=...)");
      if (rest === "<!") refuse("a negative lookbehind (?<!...)");
      if (rest.startsWith(">")) refuse("an atomic group (?>...)");
    }
    if ((c === "*" || c === "+" || c === "?" || c === "}") && pattern[i + 1] === "+") {
      refuse(`a possessive quantifier (${c === "}" ? "{n}" : c}+)`);
    }
  }
}

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
    const re = compileRegex(pattern);
    parts = [];
    let from = 0;
    for (const m of re.all(input)) {
      if (limit > 0 && parts.length === limit - 1) break;
      // Java never splits at index 0 on a zero-width match, nor past the end.
      if (m.end === m.index && (m.index === 0 || m.index >= input.length)) continue;
      charge(1);
      parts.push(input.slice(from, m.index));
      from = m.end;
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
  const re = compileRegex(pattern);
  let from = 0;
  for (const m of re.all(input)) {
    push(input.slice(from, m.index));
    for (const part of parts) {
      if (typeof part === "string") push(part);
      else push(m.group(typeof part === "number" ? part : part.name) ?? "");
    }
    from = m.end;
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
