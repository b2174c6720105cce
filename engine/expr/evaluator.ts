/**
 * Tree-walking evaluator. It only ever sees plain data: variables come from the caller's
 * context (own properties only) and from `set`/`for` scopes, functions are looked up by name
 * in registries, and nothing in a template can name a JavaScript function, a prototype or a
 * global. Every node evaluation and loop iteration costs one step of a budget shared with
 * nested render() calls, and output size is checked as it grows.
 */
import type { Args, Expr, Node } from "./ast";
import {
  AsyncPending,
  atOffset,
  ExpressionError,
  errorMessage,
  isFinalized,
  UndefinedVariableError,
} from "./errors";
import { FILTERS } from "./filters/index";
import { FUNCTIONS, UNAVAILABLE_FUNCTIONS } from "./functions/index";
import { makeRange } from "./functions/range";
import { toJson } from "./json";
import * as ops from "./operators";
import { javaToString, toOutputString } from "./print";
import { bindArgs, type CallContext } from "./registry";
import { finalizeError, type Source } from "./source";
import { TESTS } from "./tests";
import { pebbleBoolean } from "./truth";
import type { ResolvedOptions } from "./types";
import { fromData, getOwn, isList, isMap, MISSING, type PlainMap, setOwn, unwrap } from "./values";

export interface Program {
  readonly source: Source;
  readonly nodes: Node[];
  /** The expression when the template is exactly one `{{ expr }}` (whitespace around allowed). */
  readonly single: Expr | undefined;
}

export interface Budget {
  steps: number;
  readonly maxSteps: number;
}

export type MemoEntry = { ok: true; value: unknown } | { ok: false; error: string };

export interface AsyncState {
  readonly memo: Map<string, MemoEntry>;
}

/** How nested render() calls reach the compiler without an import cycle. */
export interface Compiler {
  compile(template: string): Program;
}

const MAX_RENDER_DEPTH = 10;
const MAX_RECURSIVE_RENDERS = 100;

export class Env implements CallContext {
  scopes: Array<Map<string, unknown>> = [];
  out = "";

  constructor(
    readonly root: Record<string, unknown>,
    readonly opts: ResolvedOptions,
    readonly budget: Budget,
    readonly asyncState: AsyncState | undefined,
    readonly depth: number,
    readonly compiler: Compiler,
  ) {}

  get timezone(): string {
    return this.opts.timezone;
  }

  get maxOutputLength(): number {
    return this.opts.maxOutputLength;
  }

  now(): Date {
    return this.opts.now();
  }

  random(): number {
    return this.opts.random();
  }

  charge(n: number): void {
    this.budget.steps += n;
    if (this.budget.steps > this.budget.maxSteps) throw tooComplex(this.budget.maxSteps);
  }

  checkLength(n: number): void {
    if (n > this.opts.maxOutputLength) throw tooLong(this.opts.maxOutputLength);
  }

  write(s: string): void {
    this.out += s;
    if (this.out.length > this.opts.maxOutputLength) throw tooLong(this.opts.maxOutputLength);
  }

  lookup(name: string): unknown {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i]!;
      if (scope.has(name)) return scope.get(name);
    }
    const v = getOwn(this.root, name);
    if (v === MISSING) throw new UndefinedVariableError(name);
    return v;
  }

  /** Pebble's ScopeChain.set: update the innermost scope holding the name, else the current one. */
  set(name: string, value: unknown): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i]!;
      if (scope.has(name)) {
        scope.set(name, value);
        return;
      }
    }
    if (this.scopes.length === 0) this.scopes.push(new Map());
    this.scopes[this.scopes.length - 1]!.set(name, value);
  }

  renderTemplate(template: string, recursive: boolean): string {
    if (this.depth >= MAX_RENDER_DEPTH) {
      throw new ExpressionError(`render() is nested more than ${MAX_RENDER_DEPTH} levels deep`);
    }
    let current = template;
    for (let round = 0; ; round++) {
      if (round > MAX_RECURSIVE_RENDERS) throw new ExpressionError("Too many rendering attempts");
      const program = this.compiler.compile(current);
      const env = new Env(this.root, this.opts, this.budget, this.asyncState, this.depth + 1, this.compiler);
      const result = renderProgram(program, env);
      if (!recursive || result === current) return result;
      current = result;
    }
  }
}

function tooComplex(max: number): ExpressionError {
  return new ExpressionError(`expression too complex: more than ${max} evaluation steps`);
}

function tooLong(max: number): ExpressionError {
  return new ExpressionError(`output exceeds the maximum length of ${max} characters`);
}

/** Render a whole template; errors leave with their final position and message. */
export function renderProgram(program: Program, env: Env): string {
  try {
    renderNodes(program.nodes, env);
    return env.out;
  } catch (e) {
    throw finalizeError(e, program.source);
  }
}

/** Evaluate one expression of a program, returning its typed value. */
export function evaluateProgram(expr: Expr, source: Source, env: Env): unknown {
  try {
    return unwrap(ev(expr, env));
  } catch (e) {
    throw finalizeError(e, source);
  }
}

/** How a value prints inside `{{ }}`, with the budget applied to big structures. */
function printValue(v: unknown, env: Env): string {
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object" && (isList(v) || isMap(v))) {
    return toJson(v, { charge: (n) => env.charge(n), maxLength: env.opts.maxOutputLength });
  }
  return toOutputString(v);
}

function renderNodes(nodes: readonly Node[], env: Env): void {
  for (const n of nodes) {
    switch (n.k) {
      case "text":
        env.write(n.text);
        break;
      case "print": {
        const v = ev(n.expr, env);
        if (v !== null && v !== undefined) env.write(printValue(v, env));
        break;
      }
      case "if": {
        let done = false;
        for (const branch of n.branches) {
          let ok: boolean;
          try {
            ok = pebbleBoolean(ev(branch.cond, env), "if statement");
          } catch (e) {
            throw atOffset(e, n.pos);
          }
          if (ok) {
            renderNodes(branch.body, env);
            done = true;
            break;
          }
        }
        if (!done && n.otherwise) renderNodes(n.otherwise, env);
        break;
      }
      case "for":
        renderFor(n, env);
        break;
      case "set":
        env.set(n.name, ev(n.value, env));
        break;
      case "filterBlock": {
        const saved = env.out;
        env.out = "";
        renderNodes(n.body, env);
        let v: unknown = env.out;
        env.out = saved;
        for (const f of n.filters) {
          try {
            v = applyFilter(f.name, v, f.args, env);
          } catch (e) {
            throw atOffset(e, f.pos);
          }
        }
        if (v !== null && v !== undefined) env.write(printValue(v, env));
        break;
      }
    }
  }
}

function renderFor(n: Extract<Node, { k: "for" }>, env: Env): void {
  const iterable = ev(n.iterable, env);
  if (iterable === null || iterable === undefined) return;
  let keys: string[] | undefined;
  let items: unknown[];
  if (isList(iterable)) {
    items = iterable;
  } else if (isMap(iterable)) {
    keys = Object.keys(iterable).filter((k) => getOwn(iterable, k) !== MISSING);
    items = keys.map((k) => getOwn(iterable, k));
  } else {
    throw atOffset(new ExpressionError(`Not an iterable object. Value = [${javaToString(iterable)}]`), n.pos);
  }
  const length = items.length;
  if (length === 0) {
    if (n.otherwise) renderNodes(n.otherwise, env);
    return;
  }
  const scope = new Map<string, unknown>();
  env.scopes.push(scope);
  try {
    for (let i = 0; i < length; i++) {
      env.charge(1);
      scope.set("loop", {
        index: i,
        length,
        first: i === 0,
        last: i === length - 1,
        revindex: length - i - 1,
      });
      const raw = keys ? items[i] : fromData(items[i]);
      const value = raw === MISSING ? null : raw;
      if (keys) {
        const key = keys[i];
        if (n.keyVar !== undefined) {
          scope.set(n.keyVar, key);
          scope.set(n.valueVar, value);
        } else {
          scope.set(n.valueVar, { key, value });
        }
      } else if (n.keyVar !== undefined) {
        scope.set(n.keyVar, i);
        scope.set(n.valueVar, value);
      } else {
        scope.set(n.valueVar, value);
      }
      renderNodes(n.body, env);
    }
  } finally {
    env.scopes.pop();
  }
}

/** Attribute or index access with Pebble's strict-variables semantics. */
function getAttribute(obj: unknown, key: unknown): unknown {
  const name = typeof key === "string" ? key : javaToString(key);
  if (obj === null || obj === undefined) {
    throw new UndefinedVariableError(name, `Attempt to get attribute '${name}' of null`);
  }
  if (isList(obj)) {
    const index = typeof key === "number" ? key : /^[0-9]+$/.test(name) ? Number(name) : Number.NaN;
    if (Number.isInteger(index)) {
      if (index < 0 || index >= obj.length) {
        throw new UndefinedVariableError(name, `Index ${name} out of bounds for a list of ${obj.length}`);
      }
      const v = fromData(obj[index]);
      return v === MISSING ? null : v;
    }
    // Pebble falls back to Java methods of the list: size() and isEmpty().
    if (name === "size") return obj.length;
    if (name === "empty") return obj.length === 0;
    throw new UndefinedVariableError(name);
  }
  if (typeof obj === "string") {
    if (name === "length") return obj.length;
    if (name === "empty") return obj.length === 0;
    throw new UndefinedVariableError(name);
  }
  if (isMap(obj)) {
    const v = getOwn(obj, name);
    if (v === MISSING) throw new UndefinedVariableError(name);
    return v;
  }
  throw new UndefinedVariableError(name);
}

function isSwallowable(e: unknown): boolean {
  return e instanceof UndefinedVariableError && !isFinalized(e);
}

export function ev(e: Expr, env: Env): unknown {
  if (++env.budget.steps > env.budget.maxSteps) throw atOffset(tooComplex(env.budget.maxSteps), e.pos);
  try {
    switch (e.k) {
      case "lit":
        return e.value;
      case "var":
        return env.lookup(e.name);
      case "attr":
        return getAttribute(ev(e.obj, env), e.name);
      case "index": {
        const obj = ev(e.obj, env);
        return getAttribute(obj, unwrap(ev(e.key, env)));
      }
      case "list": {
        const out: unknown[] = [];
        for (const item of e.items) out.push(unwrap(ev(item, env)));
        return out;
      }
      case "map": {
        const out: PlainMap = {};
        for (const [k, v] of e.entries) {
          const key = unwrap(ev(k, env));
          setOwn(out, typeof key === "string" ? key : javaToString(key), unwrap(ev(v, env)));
        }
        return out;
      }
      case "unary": {
        const v = ev(e.arg, env);
        if (e.op === "not") return !pebbleBoolean(v, "not operator");
        return e.op === "-" ? ops.negate(v) : ops.plus(v);
      }
      case "binary":
        return binary(e.op, ev(e.left, env), ev(e.right, env), env);
      case "and":
        return (
          pebbleBoolean(ev(e.left, env), "and operator") && pebbleBoolean(ev(e.right, env), "and operator")
        );
      case "or":
        return (
          pebbleBoolean(ev(e.left, env), "or operator") || pebbleBoolean(ev(e.right, env), "or operator")
        );
      case "coalesce": {
        try {
          const v = ev(e.left, env);
          if (e.undefinedOnly || (v !== null && v !== undefined)) return v;
        } catch (err) {
          if (!isSwallowable(err)) throw err;
        }
        return ev(e.right, env);
      }
      case "ternary":
        return pebbleBoolean(ev(e.cond, env), "ternary") ? ev(e.then, env) : ev(e.otherwise, env);
      case "filter": {
        let input: unknown;
        if (e.name === "default") {
          try {
            input = ev(e.input, env);
          } catch (err) {
            if (!isSwallowable(err)) throw err;
            input = null;
          }
        } else {
          input = ev(e.input, env);
        }
        return applyFilter(e.name, input, e.args, env);
      }
      case "test":
        return applyTest(e, env);
      case "call":
        return callFunction(e, env);
      case "concat": {
        let s = "";
        for (const part of e.parts) {
          const v = ev(part, env);
          if (v !== null && v !== undefined) s += javaToString(v);
          env.checkLength(s.length);
        }
        return s;
      }
    }
  } catch (err) {
    throw atOffset(err, e.pos);
  }
}

function binary(op: Extract<Expr, { k: "binary" }>["op"], l: unknown, r: unknown, env: Env): unknown {
  switch (op) {
    case "+": {
      const v = ops.add(l, r);
      if (typeof v === "string") env.checkLength(v.length);
      else if (isList(v)) env.charge(v.length);
      return v;
    }
    case "-": {
      if (isList(l)) env.charge(l.length * (isList(r) ? r.length + 1 : 1));
      return ops.subtract(l, r);
    }
    case "*":
      return ops.multiply(l, r);
    case "/":
      return ops.divide(l, r);
    case "%":
      return ops.modulus(l, r);
    case "~": {
      const v = ops.concat(l, r);
      env.checkLength(v.length);
      return v;
    }
    case "..":
      return makeRange(unwrap(l), unwrap(r), 1, env);
    case "==":
      return ops.equals(l, r);
    case "!=":
      return !ops.equals(l, r);
    case "<":
    case ">":
    case "<=":
    case ">=":
      return ops.compare(op, l, r);
    case "contains":
      if (isList(l)) env.charge(l.length);
      return ops.contains(l, r);
    case "in":
      if (isList(r)) env.charge(r.length);
      return ops.isIn(l, r);
    case "notIn":
      if (isList(r)) env.charge(r.length);
      return !ops.isIn(l, r);
  }
}

function evalArgs(args: Args, env: Env): { positional: unknown[]; named: Array<[string, unknown]> } {
  const positional: unknown[] = [];
  for (const a of args.positional) positional.push(unwrap(ev(a, env)));
  const named: Array<[string, unknown]> = [];
  for (const a of args.named) named.push([a.name, unwrap(ev(a.value, env))]);
  return { positional, named };
}

function applyFilter(name: string, input: unknown, args: Args, env: Env): unknown {
  const def = FILTERS.get(name);
  if (def === undefined) throw new ExpressionError(`Filter [${name}] does not exist.`);
  const { positional, named } = evalArgs(args, env);
  const bound = bindArgs("filter", name, def.args, positional, named);
  return def.apply(unwrap(input), bound, env);
}

function applyTest(e: Extract<Expr, { k: "test" }>, env: Env): boolean {
  const def = TESTS.get(e.name);
  if (def === undefined) throw new ExpressionError(`Test [${e.name}] does not exist.`);
  const { positional, named } = evalArgs(e.args, env);
  const bound = bindArgs("test", e.name, def.args, positional, named);
  let input: unknown;
  if (e.name === "defined") {
    try {
      input = ev(e.input, env);
    } catch (err) {
      if (!isSwallowable(err)) throw err;
      input = null;
    }
  } else {
    input = ev(e.input, env);
  }
  const r = def.apply(unwrap(input), bound, env);
  return e.negate ? !r : r;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

function memoKey(name: string, positional: unknown[], named: Record<string, unknown>, pos: number): string {
  try {
    return `${name}:${JSON.stringify(positional)}:${JSON.stringify(named)}`;
  } catch {
    return `${name}@${pos}`;
  }
}

/** A value handed back by a caller-supplied function, made safe to use as template data. */
function fromProvider(v: unknown): unknown {
  const d = fromData(v);
  return d === MISSING ? null : d;
}

function callFunction(e: Extract<Expr, { k: "call" }>, env: Env): unknown {
  const name = e.name;
  const custom = env.opts.functions;
  if (custom !== undefined && Object.hasOwn(custom, name) && typeof custom[name] === "function") {
    const fn = custom[name]!;
    const { positional, named: namedPairs } = evalArgs(e.args, env);
    const named: Record<string, unknown> = {};
    for (const [k, v] of namedPairs) setOwn(named, k, v);
    const state = env.asyncState;
    const key = state ? memoKey(name, positional, named, e.pos) : "";
    if (state) {
      const hit = state.memo.get(key);
      if (hit) {
        if (hit.ok) return fromProvider(hit.value);
        throw new ExpressionError(hit.error);
      }
    }
    let result: unknown;
    try {
      result = fn(positional, named, { context: env.root });
    } catch (err) {
      const message = errorMessage(err);
      state?.memo.set(key, { ok: false, error: message });
      throw new ExpressionError(message, { cause: err });
    }
    if (isThenable(result)) {
      if (state) throw new AsyncPending(result, key, name);
      Promise.resolve(result).catch(() => {});
      throw new ExpressionError(`function '${name}' is asynchronous; use renderAsync`);
    }
    state?.memo.set(key, { ok: true, value: result });
    return fromProvider(result);
  }
  const def = FUNCTIONS.get(name);
  if (def !== undefined) {
    const { positional, named } = evalArgs(e.args, env);
    return def.apply(bindArgs("function", name, def.args, positional, named), env);
  }
  if (UNAVAILABLE_FUNCTIONS.has(name)) throw new ExpressionError(`function '${name}' is not available here`);
  throw new ExpressionError(`Function or Macro [${name}] does not exist.`);
}
