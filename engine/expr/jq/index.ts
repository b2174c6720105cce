/**
 * A subset of jq for Kestra's `jq` filter, which always returns the LIST of results.
 *
 * Supported: `.`, `..`, `.a.b`, `."key"`, `.["key"]`, `.[0]`, `.[-1]`, `.[2:4]`, `.[]`, `?`,
 * pipes `|`, `,`, literals, `[...]` and `{...}` construction (including `{a, $x, (expr): v}`),
 * arithmetic `+ - * / %`, comparisons, `and`/`or`/`not`, `//`, `if/elif/else/end`,
 * `... as $x | ...`, `reduce`, and the builtins: empty, error, not, length, utf8bytelength,
 * keys, keys_unsorted, values, type, add, any, all, flatten, floor, ceil, round, sqrt, fabs,
 * abs, tostring, tonumber, tojson, fromjson, ascii_downcase, ascii_upcase, sort, sort_by,
 * group_by, unique, unique_by, min, max, min_by, max_by, reverse, first, last, limit,
 * to_entries, from_entries, with_entries, select, map, map_values, has, contains, inside,
 * startswith, endswith, ltrimstr, rtrimstr, split/1, join, test, sub, gsub, range, recurse.
 *
 * Not supported (a clear ExpressionError "jq: ... is not supported"): def, assignment
 * operators (=, |=, +=, ...), string interpolation \(...), foreach, try/catch keywords, label,
 * paths/getpath/setpath/del, input/inputs, $ENV contents (empty), date and SQL builtins.
 */
import { LruCache } from "../cache";
import { ExpressionError } from "../errors";
import { formatInstant } from "../format";
import { isMap, JDouble, type PlainMap, setOwn } from "../values";
import { type JqContext, JqEvaluator } from "./eval";
import { type JqNode, parseJq } from "./parser";

const programs = new LruCache<string, JqNode>(256);

/** Turn template data into jq's JSON values (dates become ISO strings, as Jackson writes them). */
function toJqValue(v: unknown, ctx: JqContext, depth: number): unknown {
  if (depth > 200) throw new ExpressionError("jq: value is nested too deeply");
  ctx.charge(1);
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof JDouble) return v.value;
  if (v instanceof Date) return formatInstant(v);
  if (Array.isArray(v)) return v.map((x) => toJqValue(x, ctx, depth + 1));
  if (isMap(v)) {
    const out: PlainMap = {};
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (typeof x === "function" || typeof x === "symbol") continue;
      setOwn(out, k, toJqValue(x, ctx, depth + 1));
    }
    return out;
  }
  return null;
}

export function runJq(expression: string, input: unknown, ctx: JqContext): unknown[] {
  let program = programs.get(expression);
  if (!program) {
    program = parseJq(expression);
    programs.set(expression, program);
  }
  let value: unknown;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ExpressionError(
        `Unable to parse jq value '${input.slice(0, 200)}' with type 'java.lang.String'`,
      );
    }
  } else {
    value = toJqValue(input, ctx, 0);
  }
  return new JqEvaluator(ctx).run(program, value, new Map());
}
