/**
 * Date operations behind Kestra's date filters and now(): read the input (parse.ts), move it to
 * the target zone (the `timeZone` argument, else the render's default zone) and format it.
 * Only English names are produced; a `locale` argument is accepted and ignored.
 */
import { ExpressionError } from "../errors";
import type { CallContext } from "../registry";
import { fromEpochMillis, plus, withZone, type ZonedDateTime } from "./datetime";
import { formatDate } from "./formats";
import { toZoned } from "./parse";
import { resolveZone } from "./zone";

export interface DateArgs {
  format?: unknown;
  timeZone?: unknown;
  existingFormat?: unknown;
  locale?: unknown;
}

function str(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ExpressionError(`The '${what}' argument must be a string`);
  return v;
}

function target(args: DateArgs, cx: CallContext) {
  return resolveZone(str(args.timeZone, "timeZone") ?? cx.timezone);
}

function read(input: unknown, args: DateArgs, cx: CallContext): ZonedDateTime {
  str(args.locale, "locale");
  return toZoned(input, target(args, cx), str(args.existingFormat, "existingFormat"));
}

export function formatInput(input: unknown, args: DateArgs, cx: CallContext): string {
  const zone = target(args, cx);
  const zdt = read(input, args, cx);
  return formatDate(withZone(zdt, zone), str(args.format, "format") ?? "iso");
}

export function addToDate(
  input: unknown,
  amount: number,
  unit: string,
  args: DateArgs,
  cx: CallContext,
): string {
  const zone = target(args, cx);
  const moved = plus(read(input, args, cx), amount, unit);
  return formatDate(withZone(moved, zone), str(args.format, "format") ?? "iso");
}

export type Precision = "seconds" | "millis" | "micros" | "nanos";

export function timestampOf(
  input: unknown,
  args: DateArgs,
  cx: CallContext,
  precision: Precision,
): number | string {
  const zdt = read(input, args, cx);
  switch (precision) {
    case "seconds":
      return zdt.epochSecond;
    case "millis":
      return zdt.epochSecond * 1000 + Math.floor(zdt.nano / 1e6);
    case "micros":
      return (BigInt(zdt.epochSecond) * 1_000_000n + BigInt(Math.floor(zdt.nano / 1000))).toString();
    case "nanos":
      return (BigInt(zdt.epochSecond) * 1_000_000_000n + BigInt(zdt.nano)).toString();
  }
}

export function formatNow(args: DateArgs, cx: CallContext): string {
  const zone = target(args, cx);
  const now = cx.now();
  const t = now.getTime();
  if (Number.isNaN(t)) throw new ExpressionError("the clock returned an invalid date");
  return formatDate(fromEpochMillis(t, zone), str(args.format, "format") ?? "iso");
}
