/**
 * Cadenza's expression engine: a Pebble-compatible template engine written for Cadenza.
 *
 * Why our own: Kestra flows are templated with Pebble (a Java engine) and must run unchanged,
 * and no JavaScript library implements Pebble, so this folder holds our own lexer, parser and
 * evaluator with Kestra's configuration of Pebble: strict variables, no autoescaping, no
 * newline trimming, Kestra's operators (`??`, `???`), filters and functions.
 *
 * It is also a security boundary: templates are tenant input. The evaluator reads plain data
 * only (own properties, never prototypes, constructors or functions), can call only registered
 * functions, and is bounded in evaluation steps and output size. It does no I/O: secret(),
 * kv(), read() and friends come from the caller through `options.functions`.
 *
 * Supported features and every known deviation from Pebble/Kestra: see README.md here.
 */

import { renderProgramWith, renderTypedProgram } from "./api";
import { compileProgram } from "./compile";
import { ExpressionError, errorMessage } from "./errors";
import { type RenderOptions, resolveOptions } from "./types";

export {
  evaluate,
  isTemplate,
  render,
  renderAsync,
  renderTree,
  renderTreeAsync,
  renderTyped,
  renderTypedAsync,
} from "./api";
export { ExpressionError } from "./errors";
export { ionFieldName, toIon } from "./ion";
export { IonSyntaxError, parseIonRows, parseIonValue } from "./ion-read";

import { FILTERS } from "./filters/index";
import { FUNCTIONS } from "./functions/index";
/** Names of the built-in filters and pure functions, for editors' completion. */
export const EXPRESSION_FILTERS: readonly string[] = [...FILTERS.keys()];
export const EXPRESSION_FUNCTIONS: readonly string[] = [...FUNCTIONS.keys()];
export { toOutputString } from "./print";
/** Compiles a tenant-supplied (Java-syntax) regular expression for RE2, which matches in linear time. */
export { compileRegex, type RegexMatch, type UserRegex } from "./regex";
export { isTruthy } from "./truth";
export type { ExprFunction, RenderOptions } from "./types";

/** A template parsed once; render it many times with different contexts. */
export interface CompiledTemplate {
  readonly source: string;
  /** True when the template is exactly one `{{ expr }}` (whitespace around it allowed). */
  readonly isSingleExpression: boolean;
  render(context: Record<string, unknown>, options: RenderOptions): string;
  renderTyped(context: Record<string, unknown>, options: RenderOptions): unknown;
}

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    throw new ExpressionError(`internal error: ${errorMessage(e)}`, { cause: e });
  }
}

/** Parse (or fetch from the bounded LRU cache) a template; throws ExpressionError on syntax errors. */
export function compile(template: string): CompiledTemplate {
  const program = guarded(() => compileProgram(template));
  return {
    source: template,
    isSingleExpression: program.single !== undefined,
    render: (context, options) =>
      guarded(() => renderProgramWith(program, context, resolveOptions(options), undefined)),
    renderTyped: (context, options) =>
      guarded(() => renderTypedProgram(program, context, resolveOptions(options), undefined)),
  };
}
