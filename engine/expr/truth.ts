/**
 * Two notions of truth coexist:
 * - Kestra's TruthUtils, applied to the *rendered string* of an If/LoopUntil/runIf condition:
 *   false for "false", "0", "-0", "" (and null), true for anything else.
 * - Pebble's TypeUtils.compatibleCast(value, Boolean), used inside templates by `{% if %}`,
 *   the ternary, `and`, `or`, `not`: booleans as is, numbers are true unless 0 or NaN, strings
 *   are true unless empty (so "false" is true!), anything else is a type error. Null is false
 *   for the ternary but an error for `if`/`and`/`or`/`not` because Kestra sets strictVariables.
 */
import { ExpressionError } from "./errors";
import { toOutputString } from "./print";
import { isNumber, num, typeName } from "./values";

const FALSE_VALUES = new Set(["false", "0", "-0", ""]);

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  return !FALSE_VALUES.has(typeof value === "string" ? value : toOutputString(value));
}

export type ConditionSite = "if statement" | "and operator" | "or operator" | "not operator" | "ternary";

/** Pebble's boolean conversion; `null` handling depends on the site (see module comment). */
export function pebbleBoolean(value: unknown, site: ConditionSite): boolean {
  if (typeof value === "boolean") return value;
  if (value === null || value === undefined) {
    if (site === "ternary") return false;
    if (site === "if statement") {
      throw new ExpressionError("null value given to if statement and strict variables is set to true");
    }
    throw new ExpressionError(`null value used in ${site} and strict variables is set to true`);
  }
  if (isNumber(value)) {
    const n = num(value);
    return !Number.isNaN(n) && n !== 0;
  }
  if (typeof value === "string") return value.length > 0;
  if (site === "if statement") {
    throw new ExpressionError(
      `Unsupported value type ${typeName(value)}. Expected Boolean, String, Number in "if" statement`,
    );
  }
  throw new ExpressionError(
    `Wrong operand(s) type in conditional expression: ${typeName(value)} is not a boolean`,
  );
}
