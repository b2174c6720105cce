/** The render entry points behind index.ts: sync and async, string, typed and tree rendering. */
import { compileExpression, compileProgram } from "./compile";
import { AsyncPending, ExpressionError, errorMessage } from "./errors";
import { type AsyncState, Env, evaluateProgram, type Program, renderProgram } from "./evaluator";
import { type RenderOptions, type ResolvedOptions, resolveOptions } from "./types";
import { setOwn } from "./values";

const MAX_RECURSIVE_RENDERS = 100;
const MAX_ASYNC_ROUNDS = 256;
const MAX_TREE_DEPTH = 200;

const compiler = { compile: compileProgram };

function newEnv(
  context: Record<string, unknown>,
  opts: ResolvedOptions,
  asyncState: AsyncState | undefined,
): Env {
  const root = context !== null && typeof context === "object" ? context : {};
  return new Env(root, opts, { steps: 0, maxSteps: opts.maxSteps }, asyncState, 0, compiler);
}

/** Anything that escaped as a non-ExpressionError (a bug, a stack overflow) still leaves as one. */
function guard<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ExpressionError || e instanceof AsyncPending) throw e;
    throw new ExpressionError(`internal error: ${errorMessage(e)}`, { cause: e });
  }
}

export function renderProgramWith(
  program: Program,
  context: Record<string, unknown>,
  opts: ResolvedOptions,
  asyncState: AsyncState | undefined,
): string {
  let current = program;
  for (let round = 0; ; round++) {
    const result = renderProgram(current, newEnv(context, opts, asyncState));
    if (!opts.recursive || result === current.source.text) return result;
    if (round >= MAX_RECURSIVE_RENDERS) throw new ExpressionError("Too many rendering attempts");
    current = compileProgram(result);
  }
}

function renderString(
  template: string,
  context: Record<string, unknown>,
  opts: ResolvedOptions,
  asyncState: AsyncState | undefined,
): string {
  if (typeof template !== "string") throw new ExpressionError("template must be a string");
  // Kestra's shortcut: without a brace there is nothing to render.
  if (!template.includes("{")) return template;
  return renderProgramWith(compileProgram(template), context, opts, asyncState);
}

export function renderTypedProgram(
  program: Program,
  context: Record<string, unknown>,
  opts: ResolvedOptions,
  asyncState: AsyncState | undefined,
): unknown {
  if (program.single !== undefined) {
    const v = evaluateProgram(program.single, program.source, newEnv(context, opts, asyncState));
    return v === undefined ? null : v;
  }
  return renderProgramWith(program, context, opts, asyncState);
}

function renderTypedString(
  template: string,
  context: Record<string, unknown>,
  opts: ResolvedOptions,
  asyncState: AsyncState | undefined,
): unknown {
  if (typeof template !== "string") throw new ExpressionError("template must be a string");
  if (!template.includes("{")) return template;
  return renderTypedProgram(compileProgram(template), context, opts, asyncState);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A map key as Kestra's VariableRenderer renders it: as text, when it holds a template. Two keys that
 * render to the same text keep the first one's value (Kestra's putIfAbsent).
 */
function keyText(rendered: unknown): string {
  if (typeof rendered === "string") return rendered;
  return rendered === null || rendered === undefined
    ? ""
    : typeof rendered === "object"
      ? JSON.stringify(rendered)
      : String(rendered);
}

function renderTreeValue(value: unknown, render: (s: string) => unknown, depth: number): unknown {
  if (depth > MAX_TREE_DEPTH) throw new ExpressionError("value is nested too deeply to render");
  if (typeof value === "string") return render(value);
  if (Array.isArray(value)) return value.map((v) => renderTreeValue(v, render, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const key = isTemplate(k) ? keyText(render(k)) : k;
      if (!Object.hasOwn(out, key)) setOwn(out, key, renderTreeValue(value[k], render, depth + 1));
    }
    return out;
  }
  return value;
}

async function renderTreeValueAsync(
  value: unknown,
  render: (s: string) => Promise<unknown>,
  depth: number,
): Promise<unknown> {
  if (depth > MAX_TREE_DEPTH) throw new ExpressionError("value is nested too deeply to render");
  if (typeof value === "string") return render(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await renderTreeValueAsync(v, render, depth + 1));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const key = isTemplate(k) ? keyText(await render(k)) : k;
      if (!Object.hasOwn(out, key)) setOwn(out, key, await renderTreeValueAsync(value[k], render, depth + 1));
    }
    return out;
  }
  return value;
}

/**
 * Runs a synchronous evaluation until it completes: each time a caller-supplied function
 * returns a Promise, the attempt is abandoned, the promise awaited and its outcome memoised
 * (by function name and arguments), then the evaluation starts over and finds the value.
 */
async function drive<T>(state: AsyncState, run: () => T): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return guard(run);
    } catch (e) {
      if (!(e instanceof AsyncPending)) throw e;
      if (round >= MAX_ASYNC_ROUNDS) {
        throw new ExpressionError(`too many asynchronous function calls (more than ${MAX_ASYNC_ROUNDS})`);
      }
      try {
        state.memo.set(e.key, { ok: true, value: await e.promise });
      } catch (err) {
        state.memo.set(e.key, { ok: false, error: errorMessage(err) });
      }
    }
  }
}

function newAsyncState(): AsyncState {
  return { memo: new Map() };
}

export function render(template: string, context: Record<string, unknown>, options: RenderOptions): string {
  return guard(() => renderString(template, context, resolveOptions(options), undefined));
}

export function renderTyped(
  template: string,
  context: Record<string, unknown>,
  options: RenderOptions,
): unknown {
  return guard(() => renderTypedString(template, context, resolveOptions(options), undefined));
}

export function renderTree(
  value: unknown,
  context: Record<string, unknown>,
  options: RenderOptions,
): unknown {
  const opts = resolveOptions(options);
  return guard(() => renderTreeValue(value, (s) => renderTypedString(s, context, opts, undefined), 0));
}

export function renderAsync(
  template: string,
  context: Record<string, unknown>,
  options: RenderOptions,
): Promise<string> {
  const opts = resolveOptions(options);
  const state = newAsyncState();
  return drive(state, () => renderString(template, context, opts, state));
}

export function renderTypedAsync(
  template: string,
  context: Record<string, unknown>,
  options: RenderOptions,
): Promise<unknown> {
  const opts = resolveOptions(options);
  const state = newAsyncState();
  return drive(state, () => renderTypedString(template, context, opts, state));
}

export function renderTreeAsync(
  value: unknown,
  context: Record<string, unknown>,
  options: RenderOptions,
): Promise<unknown> {
  const opts = resolveOptions(options);
  const state = newAsyncState();
  return renderTreeValueAsync(
    value,
    (s) => drive(state, () => renderTypedString(s, context, opts, state)),
    0,
  );
}

export function evaluate(
  expression: string,
  context: Record<string, unknown>,
  options: RenderOptions,
): unknown {
  return guard(() => {
    if (typeof expression !== "string") throw new ExpressionError("expression must be a string");
    const { source, expr } = compileExpression(expression);
    const v = evaluateProgram(expr, source, newEnv(context, resolveOptions(options), undefined));
    return v === undefined ? null : v;
  });
}

export function isTemplate(value: string): boolean {
  return typeof value === "string" && (value.includes("{{") || value.includes("{%"));
}
