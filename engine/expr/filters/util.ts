/** Input coercion shared by the filters. */
import { ExpressionError } from "../errors";
import { javaToString } from "../print";
import { isList, isMap, typeName } from "../values";

/** Scalars read as their string form (Java's toString); collections are refused. */
export function asString(input: unknown, filter: string): string {
  if (typeof input === "string") return input;
  if (isList(input) || isMap(input)) {
    throw new ExpressionError(`The '${filter}' filter expects a string, got a ${typeName(input)}`);
  }
  return javaToString(input);
}

export function asList(input: unknown, filter: string): unknown[] {
  if (isList(input)) return input;
  throw new ExpressionError(`The '${filter}' filter can only be applied to a list, got a ${typeName(input)}`);
}
