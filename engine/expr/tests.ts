/** Pebble's tests (`x is empty`, `x is not null`, ...) and Kestra's `json` test. */
import { ExpressionError } from "./errors";
import type { TestDef } from "./registry";
import { isList, isMap, isNumber, num } from "./values";

function isEmpty(input: unknown): boolean {
  if (input === null || input === undefined) return true;
  if (typeof input === "string") return input.trim() === "";
  if (isList(input)) return input.length === 0;
  if (isMap(input)) return Object.keys(input).length === 0;
  return false;
}

function parity(input: unknown, test: string): number {
  if (input === null || input === undefined) {
    throw new ExpressionError(`Can not pass null value to "${test}" test.`);
  }
  if (!isNumber(input) || !Number.isInteger(num(input))) {
    throw new ExpressionError(`The "${test}" test can only be applied to integers`);
  }
  return Math.abs(num(input) % 2);
}

export const TESTS: ReadonlyMap<string, TestDef> = new Map<string, TestDef>([
  ["defined", { apply: (input) => input !== null && input !== undefined }],
  ["null", { apply: (input) => input === null || input === undefined }],
  ["empty", { apply: isEmpty }],
  ["even", { apply: (input) => parity(input, "even") === 0 }],
  ["odd", { apply: (input) => parity(input, "odd") === 1 }],
  ["iterable", { apply: (input) => isList(input) }],
  ["map", { apply: (input) => isMap(input) }],
  [
    "json",
    {
      apply: (input) => {
        if (typeof input !== "string") return false;
        try {
          JSON.parse(input);
          return true;
        } catch {
          return false;
        }
      },
    },
  ],
]);
