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
 */
export function globToRegExp(pattern: string): RegExp {
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
        body = body.replace(/[\\^\]]/g, (m) => `\\${m}`);
        out += negated ? `[^/${body}]` : `(?!/)[${body}]`;
        i = end;
        break;
      }
      default:
        out += escapeChar(c);
    }
  }
  if (group > 0) throw new Error(`invalid glob '${pattern}': { without }`);
  return new RegExp(`^${out}$`);
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** A predicate that is true for relative paths matching any of the patterns (none matches nothing). */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const regexps = patterns.map(globToRegExp);
  return (path) => {
    const relative = path.replace(/^\/+/, "");
    return regexps.some((re) => re.test(relative));
  };
}
