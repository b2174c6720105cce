import { compileRegex, type UserRegex } from "@/engine/expr";

/**
 * Glob patterns as Kestra reads them: Java's `glob:` syntax (`FileSystems.getPathMatcher("glob:...")`),
 * matched against a relative path with `/` separators.
 *
 * - `*` matches within one path segment, `**` across segments (`**.csv` matches `a.csv` and `x/y/a.csv`);
 * - `?` matches one character other than `/`;
 * - `{a,b}` matches either alternative; `[abc]`, `[a-z]` and `[!a-z]` match one character of a class;
 * - `\` escapes the next character. Dotfiles are not special.
 *
 * A leading `glob:` prefix (as written in some Kestra flows) and a leading `/` are ignored.
 *
 * Globs are tenant input and `**a**a**a...b` becomes `.*a.*a.*a...b`, which a backtracking
 * RegExp matches in polynomial time of a high degree: the translation runs on RE2 (linear).
 */
export function globToRegExp(pattern: string): UserRegex {
  let glob = pattern.startsWith("glob:") ? pattern.slice(5) : pattern;
  while (glob.startsWith("/")) glob = glob.slice(1);
  let out = "";
  let group = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    switch (c) {
      case "\\": {
        const next = glob[++i];
        if (next === undefined) throw new Error(`invalid glob '${pattern}': it ends with \\`);
        out += escapeChar(next);
        break;
      }
      case "*":
        if (glob[i + 1] === "*") {
          out += ".*";
          i++;
        } else {
          out += "[^/]*";
        }
        break;
      case "?":
        out += "[^/]";
        break;
      case "{":
        if (group > 0) throw new Error(`invalid glob '${pattern}': nested { } groups`);
        group++;
        out += "(?:";
        break;
      case "}":
        if (group > 0) {
          group--;
          out += ")";
        } else {
          out += "\\}";
        }
        break;
      case ",":
        out += group > 0 ? "|" : ",";
        break;
      case "[": {
        const end = glob.indexOf("]", i + 2);
        if (end < 0) throw new Error(`invalid glob '${pattern}': [ without ]`);
        let body = glob.slice(i + 1, end);
        const negated = body.startsWith("!");
        if (negated) body = body.slice(1);
        if (negated) out += body === "" ? "[^/]" : `[^/${classBody(body, pattern)}]`;
        else out += `[${classBody(body, pattern, "/")}]`;
        i = end;
        break;
      }
      default:
        out += escapeChar(c);
    }
  }
  if (group > 0) throw new Error(`invalid glob '${pattern}': { without }`);
  return compileRegex(`^${out}$`);
}

/**
 * The members of a glob's `[...]` as an RE2 class body, without `without` (RE2 has no class
 * subtraction, so a range that spans it is cut in two). An empty class matches nothing.
 */
function classBody(body: string, pattern: string, without?: string): string {
  const chars = [...body];
  const ranges: [number, number][] = [];
  for (let i = 0; i < chars.length; i++) {
    const from = chars[i]!.codePointAt(0)!;
    if (chars[i + 1] === "-" && i + 2 < chars.length) {
      const to = chars[i + 2]!.codePointAt(0)!;
      if (to < from)
        throw new Error(`invalid glob '${pattern}': range ${chars[i]}-${chars[i + 2]} is reversed`);
      ranges.push([from, to]);
      i += 2;
    } else {
      ranges.push([from, from]);
    }
  }
  const cut = without?.codePointAt(0);
  const kept = ranges.flatMap(([a, b]): [number, number][] => {
    if (cut === undefined || cut < a || cut > b) return [[a, b]];
    const parts: [number, number][] = [];
    if (a < cut) parts.push([a, cut - 1]);
    if (cut < b) parts.push([cut + 1, b]);
    return parts;
  });
  if (kept.length === 0) return "^\\x{0}-\\x{10FFFF}";
  const hex = (c: number) => `\\x{${c.toString(16)}}`;
  return kept.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join("");
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** A predicate that is true for relative paths matching any of the patterns (none matches nothing). */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const regexps = patterns.map(globToRegExp);
  return (path) => {
    const relative = path.replace(/^\/+/, "");
    return regexps.some((re) => re.matchesWhole(relative));
  };
}
