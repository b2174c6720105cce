/** Ion text for the toIon filter (what Jackson's Ion writer prints for JSON-like data). */
import { ExpressionError } from "./errors";
import { formatInstant } from "./format";
import { isMap, JDouble } from "./values";

const SYMBOL = /^[a-zA-Z_$][a-zA-Z0-9_$]*$/;
const KEYWORDS = new Set(["null", "true", "false", "nan"]);

function ionFloat(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "+inf" : "-inf";
  const [mantissa = "0", exp = "0"] = n.toExponential().split("e");
  return `${mantissa}e${Number(exp)}`;
}

/** A struct field name: a bare symbol when it can be one, else a quoted symbol. */
export function ionFieldName(k: string): string {
  return SYMBOL.test(k) && !KEYWORDS.has(k) ? k : `'${k.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export function toIon(v: unknown, depth = 0): string {
  if (depth > 200) throw new ExpressionError("value is too deeply nested (or cyclic) to serialize");
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : ionFloat(v);
  if (v instanceof JDouble) return ionFloat(v.value);
  if (v instanceof Date) return formatInstant(v);
  if (Array.isArray(v)) return `[${v.map((x) => toIon(x, depth + 1)).join(",")}]`;
  if (isMap(v)) {
    const fields = Object.keys(v)
      .filter((k) => v[k] !== null && v[k] !== undefined && typeof v[k] !== "function")
      .map((k) => `${ionFieldName(k)}:${toIon(v[k], depth + 1)}`);
    return `{${fields.join(",")}}`;
  }
  return "null";
}
