/**
 * The one error type the template engine lets out, plus two internal signals.
 *
 * Positions are tracked as a character offset while evaluating (cheap), and turned
 * into a line and column once, when the error leaves the engine (see `finalizeError`).
 */

export interface ExpressionErrorOptions {
  template?: string;
  line?: number;
  column?: number;
  cause?: unknown;
}

export class ExpressionError extends Error {
  template?: string;
  line?: number;
  column?: number;

  constructor(message: string, options: ExpressionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ExpressionError";
    if (options.template !== undefined) this.template = options.template;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
  }
}

/**
 * A missing variable or attribute (Pebble's AttributeNotFoundException). It is the only
 * error that `??`, `???`, `| default` and `is defined` swallow, so it stays distinct.
 */
export class UndefinedVariableError extends ExpressionError {
  readonly attribute: string;

  constructor(attribute: string, message?: string) {
    super(message ?? `Missing variable: '${attribute}'`);
    this.name = "ExpressionError";
    this.attribute = attribute;
  }
}

/**
 * Thrown (not an Error, so nothing in the evaluator mistakes it for a template error) when a
 * caller-supplied function returns a Promise during an async render: the driver awaits it,
 * memoises the result and re-runs the evaluation.
 */
export class AsyncPending {
  constructor(
    readonly promise: PromiseLike<unknown>,
    readonly key: string,
    readonly name: string,
  ) {}
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === "string") return e;
  try {
    return String(e);
  } catch {
    return "unknown error";
  }
}

// Engine-private state of an error, kept off the public class: the offset in the template
// where it happened, and whether it already left a template (line, column, final message).
const offsets = new WeakMap<ExpressionError, number>();
const finalized = new WeakSet<ExpressionError>();

export function offsetOf(e: ExpressionError): number | undefined {
  return offsets.get(e);
}

export function isFinalized(e: ExpressionError): boolean {
  return finalized.has(e);
}

export function markFinalized(e: ExpressionError): void {
  finalized.add(e);
}

/** An error located at an offset of the template being parsed or evaluated. */
export function errorAt(message: string, offset: number): ExpressionError {
  const e = new ExpressionError(message);
  offsets.set(e, offset);
  return e;
}

/** Attach an offset to an error raised at a given node, converting foreign errors. */
export function atOffset(e: unknown, offset: number): unknown {
  if (e instanceof AsyncPending) return e;
  if (e instanceof ExpressionError) {
    if (!offsets.has(e) && !finalized.has(e)) offsets.set(e, offset);
    return e;
  }
  const wrapped = new ExpressionError(errorMessage(e), { cause: e });
  offsets.set(wrapped, offset);
  return wrapped;
}
