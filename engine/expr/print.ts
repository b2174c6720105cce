/**
 * How values turn into text: inside `{{ }}` (Kestra's JsonWriter: maps and lists as compact
 * JSON) and in string concatenation (Java's toString, which Pebble's `+` and `~` use).
 */
import { formatInstant, formatNumber, javaDouble } from "./format";
import { toJson } from "./json";
import { isMap, JDouble } from "./values";

/** What `{{ value }}` prints. */
export function toOutputString(value: unknown): string {
  if (value === null || value === undefined) return "";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return formatNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "function":
    case "symbol":
      return "";
  }
  if (value instanceof JDouble) return javaDouble(value.value);
  if (value instanceof Date) return formatInstant(value);
  return toJson(value);
}

/** Java's String.valueOf, as used by Pebble's string concatenation and `join`. */
export function javaToString(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof JDouble) return javaDouble(value.value);
  if (value instanceof Date) return formatInstant(value);
  if (depth > 100) return "...";
  if (Array.isArray(value)) return `[${value.map((v) => javaToString(v, depth + 1)).join(", ")}]`;
  if (isMap(value)) {
    const parts = Object.keys(value).map((k) => `${k}=${javaToString(value[k], depth + 1)}`);
    return `{${parts.join(", ")}}`;
  }
  return String(value);
}
