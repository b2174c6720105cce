/**
 * Pebble's operator semantics (OperatorUtils) with Kestra's overrides:
 * - `+` concatenates when either side is a string ('a' + 1 is "a1"), appends to a list on the
 *   left, otherwise adds numbers; `-` on a list removes. Other arithmetic needs two numbers.
 * - Long op Long stays a Long (`10 / 4` is 2), anything with a Double is a Double.
 * - `==` compares numbers by value and everything else by Java equals.
 * - `<`, `>`, `<=`, `>=`: strings compare lexicographically (Kestra), otherwise numbers; a null
 *   operand makes the comparison false.
 * - `contains` (Pebble) and `in`/`isIn`/`notIn` (Kestra, compares toString forms).
 */
import { ExpressionError } from "./errors";
import { javaToString } from "./print";
import { isDouble, isList, isMap, isNumber, JDouble, num, typeName, unwrap } from "./values";

type Operation = "ADD" | "SUBTRACT" | "MULTIPLICATION" | "DIVISION" | "MODULUS";

function invalid(operation: Operation): ExpressionError {
  return new ExpressionError(`invalid operands for mathematical operation [${operation}]`);
}

function double(n: number): number | JDouble {
  return Number.isInteger(n) ? new JDouble(n) : n;
}

function arithmetic(a: unknown, b: unknown, operation: Operation): unknown {
  if (!isNumber(a) || !isNumber(b)) throw invalid(operation);
  const x = num(a);
  const y = num(b);
  const floating = isDouble(a) || isDouble(b);
  switch (operation) {
    case "ADD":
      return floating ? double(x + y) : x + y;
    case "SUBTRACT":
      return floating ? double(x - y) : x - y;
    case "MULTIPLICATION":
      return floating ? double(x * y) : x * y;
    case "DIVISION":
      if (floating) return double(x / y);
      if (y === 0) throw new ExpressionError("/ by zero");
      return Math.trunc(x / y);
    case "MODULUS":
      if (floating) return double(x % y);
      if (y === 0) throw new ExpressionError("/ by zero");
      return x % y;
  }
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === "string" || typeof b === "string") return javaToString(a) + javaToString(b);
  if (isList(a)) return isList(b) ? [...a, ...b] : [...a, unwrap(b)];
  return arithmetic(a, b, "ADD");
}

export function subtract(a: unknown, b: unknown): unknown {
  if (isList(a)) {
    if (isList(b)) return a.filter((x) => !b.some((y) => equals(x, y)));
    const idx = a.findIndex((x) => equals(x, b));
    return idx === -1 ? [...a] : [...a.slice(0, idx), ...a.slice(idx + 1)];
  }
  return arithmetic(a, b, "SUBTRACT");
}

export function multiply(a: unknown, b: unknown): unknown {
  return arithmetic(a, b, "MULTIPLICATION");
}

export function divide(a: unknown, b: unknown): unknown {
  return arithmetic(a, b, "DIVISION");
}

export function modulus(a: unknown, b: unknown): unknown {
  return arithmetic(a, b, "MODULUS");
}

export function negate(a: unknown): unknown {
  return arithmetic(-1, a, "MULTIPLICATION");
}

export function plus(a: unknown): unknown {
  return arithmetic(1, a, "MULTIPLICATION");
}

/** Pebble's `~`: toString of both sides, null contributing nothing. */
export function concat(a: unknown, b: unknown): string {
  return (
    (a === null || a === undefined ? "" : javaToString(a)) +
    (b === null || b === undefined ? "" : javaToString(b))
  );
}

export function equals(a: unknown, b: unknown, depth = 0): boolean {
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  a = unwrap(a);
  b = unwrap(b);
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (depth > 100) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (isList(a) && isList(b)) {
    return a.length === b.length && a.every((x, i) => equals(x, b[i], depth + 1));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k], depth + 1));
  }
  return false;
}

export type Comparison = "<" | ">" | "<=" | ">=";

const COMPARISON_NAMES: Record<Comparison, string> = {
  "<": "less than",
  ">": "greater than",
  "<=": "less than or equal",
  ">=": "greater than or equal",
};

export function compare(op: Comparison, a: unknown, b: unknown): boolean {
  let r: number;
  if (typeof a === "string" && typeof b === "string") {
    r = a < b ? -1 : a > b ? 1 : 0;
  } else {
    if (a === null || a === undefined || b === null || b === undefined) return false;
    if (!isNumber(a) || !isNumber(b)) {
      throw new ExpressionError(
        `Could not perform ${COMPARISON_NAMES[op]} comparison between ${typeName(a)} and ${typeName(b)}`,
      );
    }
    const x = num(a);
    const y = num(b);
    r = x < y ? -1 : x > y ? 1 : 0;
  }
  switch (op) {
    case "<":
      return r < 0;
    case ">":
      return r > 0;
    case "<=":
      return r <= 0;
    case ">=":
      return r >= 0;
  }
}

export function contains(container: unknown, item: unknown): boolean {
  if (container === null || container === undefined) return false;
  if (isList(container)) {
    if (isList(item)) return item.every((i) => container.some((c) => equals(c, i)));
    return container.some((c) => equals(c, item));
  }
  if (isMap(container)) {
    return item !== null && item !== undefined && Object.hasOwn(container, javaToString(unwrap(item)));
  }
  if (typeof container === "string") return container.includes(javaToString(unwrap(item)));
  throw new ExpressionError(
    `Contains operator can only be used on Collections, Maps and arrays. Actual type was: ${typeName(container)}`,
  );
}

/** Kestra's `isIn`: the left value's string form is among the right list's (or map's keys/values). */
export function isIn(item: unknown, container: unknown): boolean {
  if (item === null || item === undefined || container === null || container === undefined) return false;
  const needle = javaToString(item);
  if (isList(container))
    return container.some((c) => c !== null && c !== undefined && javaToString(c) === needle);
  if (isMap(container)) {
    return Object.keys(container).some((k) => {
      const v = container[k];
      return k === needle || (v !== null && v !== undefined && javaToString(v) === needle);
    });
  }
  return false;
}
