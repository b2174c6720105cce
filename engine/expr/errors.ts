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
  /** Offset in the template source; set while evaluating, resolved by finalizeError. */
  offset?: number;
  /** True once template/line/column were filled in and the message carries them. */
  finalized = false;

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

/** Attach an offset to an error raised at a given node, converting foreign errors. */
export function atOffset(e: unknown, offset: number): unknown {
  if (e instanceof AsyncPending) return e;
  if (e instanceof ExpressionError) {
    if (e.offset === undefined && !e.finalized) e.offset = offset;
    return e;
  }
  const wrapped = new ExpressionError(errorMessage(e), { cause: e });
  wrapped.offset = offset;
  return wrapped;
}
