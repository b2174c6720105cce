/**
 * The value model the evaluator works on: JSON-like plain data (null, boolean, number,
 * string, arrays as lists, objects as maps) plus Date. Everything here reads own properties
 * only, so a template can never reach a prototype, a constructor or a function.
 */

/**
 * A double whose value happens to be integral (a literal `4.0`, or `2.5 * 2`). JavaScript has one
 * number type but Pebble keeps Long and Double apart: `10 / 4` is 2 while `10 / 4.0` is 2.5, and
 * `{{ 4.0 }}` prints "4.0". The wrapper lives only at the top of an expression result (scalars,
 * `set` variables); it is unwrapped before a value enters a list, a map, a filter or a function.
 */
export class JDouble {
  constructor(readonly value: number) {}
}

/** Marker for "no such property", distinct from a property holding null. */
export const MISSING: unique symbol = Symbol("missing");
export type Missing = typeof MISSING;

export type PlainMap = Record<string, unknown>;

export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Any non-array, non-Date object counts as a map of its own enumerable properties. */
export function isMap(v: unknown): v is PlainMap {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof JDouble) &&
    !ArrayBuffer.isView(v)
  );
}

export function isNumber(v: unknown): v is number | JDouble {
  return typeof v === "number" || v instanceof JDouble;
}

export function num(v: number | JDouble): number {
  return typeof v === "number" ? v : v.value;
}

/** True when Pebble would treat the value as a floating point number. */
export function isDouble(v: unknown): boolean {
  return v instanceof JDouble || (typeof v === "number" && !Number.isInteger(v));
}

export function unwrap(v: unknown): unknown {
  return v instanceof JDouble ? v.value : v;
}

/** Normalise a value read from caller data: undefined is null, functions and symbols do not exist. */
export function fromData(v: unknown): unknown {
  switch (typeof v) {
    case "undefined":
      return null;
    case "function":
    case "symbol":
      return MISSING;
    case "bigint":
      return Number(v);
    default:
      return v;
  }
}

/** Own-property lookup; never walks the prototype chain and never returns a function. */
export function getOwn(obj: object, key: string): unknown {
  if (!Object.hasOwn(obj, key)) return MISSING;
  return fromData((obj as PlainMap)[key]);
}

/** Assign without triggering the `__proto__` setter (a map literal may use it as a key). */
export function setOwn(obj: PlainMap, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export function ownKeys(obj: object): string[] {
  return Object.keys(obj);
}

/** Copy a parsed document (JSON/YAML) into plain objects, dropping anything exotic. */
export function sanitize(v: unknown, depth = 0): unknown {
  if (depth > 200) return null;
  if (v === undefined) return null;
  if (v === null || typeof v !== "object") {
    return typeof v === "function" || typeof v === "symbol" ? null : typeof v === "bigint" ? Number(v) : v;
  }
  if (Array.isArray(v)) return v.map((x) => sanitize(x, depth + 1));
  if (v instanceof Date) return v;
  if (v instanceof Map) {
    const out: PlainMap = {};
    for (const [k, x] of v) setOwn(out, String(k), sanitize(x, depth + 1));
    return out;
  }
  const out: PlainMap = {};
  for (const k of Object.keys(v)) setOwn(out, k, sanitize((v as PlainMap)[k], depth + 1));
  return out;
}

/** Name of the Java type Kestra would report (className filter, error messages). */
export function javaClassName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof JDouble) return "java.lang.Double";
  switch (typeof v) {
    case "string":
      return "java.lang.String";
    case "boolean":
      return "java.lang.Boolean";
    case "number":
      if (!Number.isInteger(v)) return "java.lang.Double";
      return Math.abs(v) <= 2147483647 ? "java.lang.Integer" : "java.lang.Long";
  }
  if (Array.isArray(v)) return "java.util.ArrayList";
  if (v instanceof Date) return "java.time.Instant";
  return "java.util.LinkedHashMap";
}

/** Short type name for error messages. */
export function typeName(v: unknown): string {
  const full = javaClassName(v);
  return full.slice(full.lastIndexOf(".") + 1);
}
