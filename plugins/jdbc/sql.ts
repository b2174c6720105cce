/**
 * SQL text scanning shared by the drivers: Kestra's named parameters (`:name`) turned into the driver's
 * placeholders, and a script split into its statements (Queries). Both skip quoted strings, quoted
 * identifiers, comments and PostgreSQL's dollar-quoted bodies, so a `:` or `;` inside them is left alone.
 */

/** How a database reads string literals: MySQL escapes with a backslash, PostgreSQL does not. */
export interface Dialect {
  backslashEscapes: boolean;
}
export const POSTGRES: Dialect = { backslashEscapes: false };
export const MYSQL: Dialect = { backslashEscapes: true };

/** The length of the quoted or commented piece starting at `at`, or 0 when none starts there. */
function skippable(sql: string, at: number, dialect: Dialect): number {
  const c = sql[at];
  const next = sql[at + 1];
  if (c === "-" && next === "-") {
    const end = sql.indexOf("\n", at);
    return (end < 0 ? sql.length : end) - at;
  }
  if (c === "/" && next === "*") {
    const end = sql.indexOf("*/", at + 2);
    return (end < 0 ? sql.length : end + 2) - at;
  }
  if (c === "'" || c === '"' || c === "`") {
    let i = at + 1;
    while (i < sql.length) {
      const escaped = c === "'" && (dialect.backslashEscapes || /[eE]/.test(sql[at - 1] ?? ""));
      if (sql[i] === "\\" && escaped) i += 2;
      else if (sql[i] === c && sql[i + 1] === c) i += 2;
      else if (sql[i] === c) return i + 1 - at;
      else i++;
    }
    return sql.length - at;
  }
  if (c === "$") {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(at, at + 64));
    if (!tag || (at > 0 && /[\w$]/.test(sql[at - 1] ?? ""))) return 0;
    const end = sql.indexOf(tag[0], at + tag[0].length);
    return (end < 0 ? sql.length : end + tag[0].length) - at;
  }
  return 0;
}

/**
 * Replaces `:name` with the driver's placeholder (`$1` or `?`) and lists the values in order. A name
 * missing from `parameters` is an error naming it; `::` (PostgreSQL's cast) is not a parameter.
 */
export function bindNamed(
  sql: string,
  parameters: Record<string, unknown> | undefined,
  placeholder: (index: number) => string,
  dialect: Dialect,
): { text: string; values: unknown[] } {
  if (!parameters || Object.keys(parameters).length === 0) return { text: sql, values: [] };
  const values: unknown[] = [];
  let text = "";
  let at = 0;
  while (at < sql.length) {
    const skip = skippable(sql, at, dialect);
    if (skip > 0) {
      text += sql.slice(at, at + skip);
      at += skip;
      continue;
    }
    if (sql[at] === ":" && sql[at + 1] === ":") {
      text += "::";
      at += 2;
      continue;
    }
    const name =
      sql[at] === ":" && !/[\w]/.test(sql[at - 1] ?? "") ? /^:([A-Za-z_]\w*)/.exec(sql.slice(at)) : null;
    if (name?.[1]) {
      if (!(name[1] in parameters))
        throw new Error(`sql uses the parameter :${name[1]}, which parameters does not give`);
      values.push(parameters[name[1]]);
      text += placeholder(values.length);
      at += name[0].length;
      continue;
    }
    text += sql[at];
    at++;
  }
  return { text, values };
}

/** The statements of a script separated by `;` (empty ones dropped). */
export function splitStatements(sql: string, dialect: Dialect): string[] {
  const statements: string[] = [];
  let start = 0;
  let at = 0;
  while (at < sql.length) {
    const skip = skippable(sql, at, dialect);
    if (skip > 0) {
      at += skip;
      continue;
    }
    if (sql[at] === ";") {
      statements.push(sql.slice(start, at));
      start = at + 1;
    }
    at++;
  }
  statements.push(sql.slice(start));
  return statements
    .map((s) => s.trim())
    .filter((s) => s !== "" && !/^(--[^\n]*\n?|\/\*[\s\S]*?\*\/|\s)*$/.test(s));
}
