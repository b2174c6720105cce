import {
  AsyncPending,
  ExpressionError,
  errorMessage,
  isFinalized,
  markFinalized,
  offsetOf,
  UndefinedVariableError,
} from "./errors";

/** Maps offsets of a template to 1-based line and column, computed only when an error needs it. */
export class Source {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    if (this.lineStarts === undefined) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) {
        if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }
}

const MAX_TEMPLATE_IN_MESSAGE = 200;

function quoteTemplate(text: string): string {
  return text.length > MAX_TEMPLATE_IN_MESSAGE ? `${text.slice(0, MAX_TEMPLATE_IN_MESSAGE)}...` : text;
}

/**
 * Give an error leaving the engine its final shape: an ExpressionError with template, line and
 * column, and a message in Kestra's style for missing variables
 * ("Missing variable: 'ko' on '{{ ko }}' at line 1"). Async signals pass through untouched.
 */
export function finalizeError(e: unknown, source: Source): unknown {
  if (e instanceof AsyncPending) return e;
  let err: ExpressionError;
  if (e instanceof ExpressionError) {
    if (isFinalized(e)) return e;
    err = e;
  } else {
    err = new ExpressionError(`internal error: ${errorMessage(e)}`, { cause: e });
  }
  err.template = source.text;
  const offset = offsetOf(err);
  if (offset !== undefined && err.line === undefined) {
    const pos = source.position(Math.min(offset, source.text.length));
    err.line = pos.line;
    err.column = pos.column;
  }
  const where = err.line !== undefined ? ` at line ${err.line}` : "";
  if (err instanceof UndefinedVariableError) {
    // Once it leaves a template an undefined variable is an ordinary failure: a `??` in an
    // outer template (around render()) must not swallow it, as in Kestra.
    const plain = new ExpressionError(
      `Missing variable: '${err.attribute}' on '${quoteTemplate(source.text)}'${where}`,
      { template: source.text, cause: err.cause },
    );
    if (err.line !== undefined) plain.line = err.line;
    if (err.column !== undefined) plain.column = err.column;
    markFinalized(plain);
    return plain;
  }
  if (err.line !== undefined) err.message = `${err.message} (line ${err.line}, column ${err.column})`;
  markFinalized(err);
  return err;
}
