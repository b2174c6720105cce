/**
 * Pebble's range (inclusive of the end, numbers or single characters), behind both range()
 * and the `..` operator. Sized before anything is allocated: more than a million elements
 * fails like Kestra's BoundedRangeFunction, and the size is charged to the step budget.
 */
import { ExpressionError } from "../errors";
import type { CallContext } from "../registry";
import { isNumber, num } from "../values";

const MAX_RANGE_SIZE = 1_000_000;

export function makeRange(start: unknown, end: unknown, increment: unknown, cx: CallContext): unknown[] {
  if (increment === null || increment === undefined) increment = 1;
  if (!isNumber(increment))
    throw new ExpressionError(`The increment of the range function must be a number ${increment}`);
  const step = Math.trunc(num(increment));
  if (step === 0) throw new ExpressionError("The increment of the range function must be different than 0");
  let from: number;
  let to: number;
  let chars = false;
  if (isNumber(start) && isNumber(end)) {
    from = Math.trunc(num(start));
    to = Math.trunc(num(end));
  } else if (typeof start === "string" && typeof end === "string" && start.length === 1 && end.length === 1) {
    from = start.charCodeAt(0);
    to = end.charCodeAt(0);
    chars = true;
  } else {
    throw new ExpressionError(
      "Arguments of range function must be of type Number or String with a length of 1",
    );
  }
  const requested = Math.floor(Math.abs(to - from) / Math.abs(step)) + 1;
  if (requested > MAX_RANGE_SIZE) {
    throw new ExpressionError(
      `The range function cannot produce more than ${MAX_RANGE_SIZE} elements, but this call would produce ${requested}.`,
    );
  }
  const size = step > 0 ? (to >= from ? requested : 0) : from >= to ? requested : 0;
  cx.charge(size);
  const out: unknown[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const v = from + i * step;
    out[i] = chars ? String.fromCharCode(v) : v;
  }
  return out;
}
