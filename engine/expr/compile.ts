/** Template and expression compilation, cached by source text. */
import type { Expr, Node } from "./ast";
import { LruCache } from "./cache";
import type { Program } from "./evaluator";
import { tokenizeExpression, tokenizeTemplate } from "./lexer";
import { Parser } from "./parser";
import { finalizeError, Source } from "./source";

const TEMPLATE_CACHE_SIZE = 5000;
const EXPRESSION_CACHE_SIZE = 2000;
/** Very long one-off texts (file contents passed through render) are not worth caching. */
const MAX_CACHED_LENGTH = 64 * 1024;

const templates = new LruCache<string, Program>(TEMPLATE_CACHE_SIZE);
const expressions = new LruCache<string, { source: Source; expr: Expr }>(EXPRESSION_CACHE_SIZE);

function singleExpression(nodes: readonly Node[]): Expr | undefined {
  let found: Expr | undefined;
  for (const n of nodes) {
    if (n.k === "text") {
      if (n.text.trim() !== "") return undefined;
    } else if (n.k === "print" && found === undefined) {
      found = n.expr;
    } else {
      return undefined;
    }
  }
  return found;
}

export function compileProgram(text: string): Program {
  const cached = templates.get(text);
  if (cached) return cached;
  const source = new Source(text);
  let nodes: Node[];
  try {
    nodes = new Parser(tokenizeTemplate(text)).parseTemplate();
  } catch (e) {
    throw finalizeError(e, source);
  }
  const program: Program = { source, nodes, single: singleExpression(nodes) };
  if (text.length <= MAX_CACHED_LENGTH) templates.set(text, program);
  return program;
}

export function compileExpression(text: string): { source: Source; expr: Expr } {
  const cached = expressions.get(text);
  if (cached) return cached;
  const source = new Source(text);
  let expr: Expr;
  try {
    expr = new Parser(tokenizeExpression(text)).parseStandaloneExpression();
  } catch (e) {
    throw finalizeError(e, source);
  }
  const compiled = { source, expr };
  if (text.length <= MAX_CACHED_LENGTH) expressions.set(text, compiled);
  return compiled;
}

/** For tests and long-running processes that want to drop compiled templates. */
export function clearCompileCache(): void {
  templates.clear();
  expressions.clear();
}
