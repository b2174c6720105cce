/**
 * Shapes shared by built-in filters, functions and tests, and Pebble's argument binding:
 * positional arguments take the declared names in order, named arguments must be declared.
 */
import { ExpressionError } from "./errors";
import { isNumber, num } from "./values";

/** What a built-in may use from the evaluation it runs in. */
export interface CallContext {
  /** The caller's context (global variables), read-only. */
  readonly root: Record<string, unknown>;
  /** Default zone for date filters. */
  readonly timezone: string;
  readonly maxOutputLength: number;
  now(): Date;
  random(): number;
  /** Charge `n` evaluation steps; throws when the budget is exhausted. */
  charge(n: number): void;
  /** Throws when a produced string or collection of `n` characters/items is too large. */
  checkLength(n: number): void;
  /** Render a template string in the same context (render() and renderOnce()). */
  renderTemplate(template: string, recursive: boolean): string;
}

export type BoundArgs = Record<string, unknown>;

export interface FilterDef {
  /** Names given to positional arguments; undefined means "any, keyed by index". */
  readonly args?: readonly string[];
  apply(input: unknown, args: BoundArgs, cx: CallContext): unknown;
}

export interface FunctionDef {
  readonly args?: readonly string[];
  apply(args: BoundArgs, cx: CallContext): unknown;
}

export interface TestDef {
  readonly args?: readonly string[];
  apply(input: unknown, args: BoundArgs, cx: CallContext): boolean;
}

export function bindArgs(
  kind: "filter" | "function" | "test",
  name: string,
  names: readonly string[] | undefined,
  positional: readonly unknown[],
  named: ReadonlyArray<readonly [string, unknown]>,
): BoundArgs {
  const out: BoundArgs = Object.create(null);
  for (let i = 0; i < positional.length; i++) {
    if (names === undefined) {
      out[String(i)] = positional[i];
    } else {
      const argName = names[i];
      if (argName === undefined) {
        throw new ExpressionError(`The ${kind} '${name}' accepts at most ${names.length} argument(s)`);
      }
      out[argName] = positional[i];
    }
  }
  for (const [argName, value] of named) {
    if (names !== undefined && !names.includes(argName)) {
      throw new ExpressionError(`The ${kind} '${name}' has no argument named '${argName}'`);
    }
    out[argName] = value;
  }
  return out;
}

export function has(args: BoundArgs, name: string): boolean {
  return name in args;
}

/** Positional values of a variadic call, in order. */
export function variadic(args: BoundArgs): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; String(i) in args; i++) out.push(args[String(i)]);
  return out;
}

export function requireString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new ExpressionError(`${what} must be a string`);
  return value;
}

export function optionalString(args: BoundArgs, name: string, what: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  return requireString(v, what);
}

export function requireInt(value: unknown, what: string): number {
  if (!isNumber(value) || !Number.isInteger(num(value)))
    throw new ExpressionError(`${what} must be an integer`);
  return num(value);
}

export function requireNumber(value: unknown, what: string): number {
  if (!isNumber(value)) throw new ExpressionError(`${what} must be a number`);
  return num(value);
}
