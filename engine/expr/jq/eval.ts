/** Evaluation of the jq subset: every expression yields a list of outputs (jq's generators). */
import { ExpressionError } from "../errors";
import { compileRegex, type UserRegex } from "../regex";
import { isMap, type PlainMap, setOwn } from "../values";
import { jqError } from "./lexer";
import type { JqNode } from "./parser";

/** A jq runtime error: the only kind `?` and `//` swallow (budget errors must get through). */
export class JqRuntimeError extends ExpressionError {}

export interface JqContext {
  charge(n: number): void;
  checkLength(n: number): void;
}

type Vars = ReadonlyMap<string, unknown>;

function fail(message: string): JqRuntimeError {
  return new JqRuntimeError(`jq: error: ${message}`);
}

function jqType(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return "number";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "array";
  return "object";
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false;
}

const TYPE_ORDER: Record<string, number> = { null: 0, boolean: 1, number: 3, string: 4, array: 5, object: 6 };

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
export function jqCompare(a: unknown, b: unknown): number {
  const ta = jqType(a);
  const tb = jqType(b);
  if (ta !== tb) return (TYPE_ORDER[ta] ?? 0) - (TYPE_ORDER[tb] ?? 0);
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return Number(a) - Number(b);
    case "number":
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case "string":
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case "array": {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = jqCompare(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default: {
      const x = a as PlainMap;
      const y = b as PlainMap;
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      const c = jqCompare(kx, ky);
      if (c !== 0) return c;
      for (const k of kx) {
        const d = jqCompare(x[k], y[k]);
        if (d !== 0) return d;
      }
      return 0;
    }
  }
}

function sortValues(values: unknown[]): unknown[] {
  return [...values].sort(jqCompare);
}

function keysOf(v: unknown, sorted: boolean): unknown[] {
  if (Array.isArray(v)) return v.map((_, i) => i);
  if (isMap(v)) {
    const keys = Object.keys(v);
    return sorted ? keys.sort() : keys;
  }
  throw fail(`${jqType(v)} has no keys`);
}

function length(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "boolean") throw fail("boolean has no length");
  if (typeof v === "number") return Math.abs(v);
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  return Object.keys(v as PlainMap).length;
}

function addValues(a: unknown, b: unknown, ctx: JqContext): unknown {
  if (a === null || a === undefined) return b;
  if (b === null || b === undefined) return a;
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") {
    ctx.checkLength(a.length + b.length);
    return a + b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    ctx.charge(a.length + b.length);
    return [...a, ...b];
  }
  if (isMap(a) && isMap(b)) {
    const out: PlainMap = {};
    for (const k of Object.keys(a)) setOwn(out, k, a[k]);
    for (const k of Object.keys(b)) setOwn(out, k, b[k]);
    return out;
  }
  throw fail(`${jqType(a)} and ${jqType(b)} cannot be added`);
}

function deepMerge(a: PlainMap, b: PlainMap): PlainMap {
  const out: PlainMap = {};
  for (const k of Object.keys(a)) setOwn(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const x = out[k];
    const y = b[k];
    setOwn(out, k, isMap(x) && isMap(y) && Object.hasOwn(out, k) ? deepMerge(x, y) : y);
  }
  return out;
}

function arith(op: string, a: unknown, b: unknown, ctx: JqContext): unknown {
  switch (op) {
    case "+":
      return addValues(a, b, ctx);
    case "-":
      if (typeof a === "number" && typeof b === "number") return a - b;
      if (Array.isArray(a) && Array.isArray(b)) {
        ctx.charge(a.length * (b.length + 1));
        return a.filter((x) => !b.some((y) => jqCompare(x, y) === 0));
      }
      throw fail(`${jqType(a)} and ${jqType(b)} cannot be subtracted`);
    case "*":
      if (typeof a === "number" && typeof b === "number") return a * b;
      if (isMap(a) && isMap(b)) return deepMerge(a, b);
      if (typeof a === "string" && typeof b === "number") {
        if (b <= 0) return null;
        ctx.checkLength(a.length * b);
        return a.repeat(Math.ceil(b));
      }
      throw fail(`${jqType(a)} and ${jqType(b)} cannot be multiplied`);
    case "/":
      if (typeof a === "number" && typeof b === "number") {
        if (b === 0) throw fail(`${a} and ${b} cannot be divided because the divisor is zero`);
        return a / b;
      }
      if (typeof a === "string" && typeof b === "string") return a.split(b);
      throw fail(`${jqType(a)} and ${jqType(b)} cannot be divided`);
    case "%":
      if (typeof a === "number" && typeof b === "number") {
        const d = Math.trunc(b);
        if (d === 0) throw fail(`${a} and ${b} cannot be divided because the divisor is zero`);
        return Math.trunc(a) % d;
      }
      throw fail(`${jqType(a)} and ${jqType(b)} cannot be divided`);
    case "==":
      return jqCompare(a, b) === 0;
    case "!=":
      return jqCompare(a, b) !== 0;
    case "<":
      return jqCompare(a, b) < 0;
    case "<=":
      return jqCompare(a, b) <= 0;
    case ">":
      return jqCompare(a, b) > 0;
    case ">=":
      return jqCompare(a, b) >= 0;
  }
  throw jqError(`unknown operator ${op}`);
}

function index(target: unknown, idx: unknown): unknown {
  if (target === null || target === undefined) return null;
  if (typeof idx === "string") {
    if (isMap(target)) return Object.hasOwn(target, idx) ? (target[idx] ?? null) : null;
    throw fail(`Cannot index ${jqType(target)} with "${idx}"`);
  }
  if (typeof idx === "number") {
    if (Array.isArray(target)) {
      const i = Math.floor(idx < 0 ? target.length + idx : idx);
      return i >= 0 && i < target.length ? (target[i] ?? null) : null;
    }
    throw fail(`Cannot index ${jqType(target)} with number`);
  }
  throw fail(`Cannot index ${jqType(target)} with ${jqType(idx)}`);
}

function slice(target: unknown, from: unknown, to: unknown): unknown {
  if (target === null || target === undefined) return null;
  if (typeof target !== "string" && !Array.isArray(target))
    throw fail(`Cannot index ${jqType(target)} with object`);
  const len = target.length;
  const norm = (v: unknown, dflt: number) => {
    if (v === null || v === undefined) return dflt;
    if (typeof v !== "number") throw fail("Start and end indices of an array slice must be numbers");
    const i = Math.floor(v < 0 ? len + v : v);
    return Math.max(0, Math.min(len, i));
  };
  const a = norm(from, 0);
  const b = norm(to, len);
  return target.slice(a, Math.max(a, b));
}

function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isMap(v)) return Object.keys(v).map((k) => v[k]);
  throw fail(`Cannot iterate over ${jqType(v)}`);
}

function recurseAll(v: unknown, out: unknown[], ctx: JqContext, depth: number): void {
  if (depth > 200) throw fail("value is nested too deeply");
  ctx.charge(1);
  out.push(v);
  if (Array.isArray(v)) for (const x of v) recurseAll(x, out, ctx, depth + 1);
  else if (isMap(v)) for (const k of Object.keys(v)) recurseAll(v[k], out, ctx, depth + 1);
}

function toJqString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v ?? null);
}

export class JqEvaluator {
  constructor(private readonly ctx: JqContext) {}

  run(node: JqNode, input: unknown, vars: Vars): unknown[] {
    this.ctx.charge(1);
    switch (node.k) {
      case "identity":
        return [input];
      case "recurse": {
        const out: unknown[] = [];
        recurseAll(input, out, this.ctx, 0);
        return out;
      }
      case "literal":
        return [node.value];
      case "field":
        return this.each(node.target, input, vars, node.optional, (t) => [index(t, node.name)]);
      case "index": {
        const idxs = this.run(node.index, input, vars);
        return this.each(node.target, input, vars, node.optional, (t) => idxs.map((i) => index(t, i)));
      }
      case "slice": {
        const froms = node.from ? this.run(node.from, input, vars) : [null];
        const tos = node.to ? this.run(node.to, input, vars) : [null];
        return this.each(node.target, input, vars, node.optional, (t) =>
          tos.flatMap((b) => froms.map((a) => slice(t, a, b))),
        );
      }
      case "iterate":
        return this.each(node.target, input, vars, node.optional, (t) => {
          const items = iterate(t);
          this.ctx.charge(items.length);
          return items;
        });
      case "try":
        try {
          return this.run(node.body, input, vars);
        } catch (e) {
          if (e instanceof JqRuntimeError) return [];
          throw e;
        }
      case "pipe": {
        const out: unknown[] = [];
        for (const v of this.run(node.left, input, vars)) out.push(...this.run(node.right, v, vars));
        return out;
      }
      case "comma":
        return [...this.run(node.left, input, vars), ...this.run(node.right, input, vars)];
      case "binary": {
        const rights = this.run(node.right, input, vars);
        const lefts = this.run(node.left, input, vars);
        const out: unknown[] = [];
        for (const r of rights) for (const l of lefts) out.push(arith(node.op, l, r, this.ctx));
        return out;
      }
      case "and": {
        const out: unknown[] = [];
        for (const l of this.run(node.left, input, vars)) {
          if (!truthy(l)) out.push(false);
          else for (const r of this.run(node.right, input, vars)) out.push(truthy(r));
        }
        return out;
      }
      case "or": {
        const out: unknown[] = [];
        for (const l of this.run(node.left, input, vars)) {
          if (truthy(l)) out.push(true);
          else for (const r of this.run(node.right, input, vars)) out.push(truthy(r));
        }
        return out;
      }
      case "alt": {
        let lefts: unknown[] = [];
        try {
          lefts = this.run(node.left, input, vars).filter(truthy);
        } catch (e) {
          if (!(e instanceof JqRuntimeError)) throw e;
        }
        return lefts.length > 0 ? lefts : this.run(node.right, input, vars);
      }
      case "neg":
        return this.run(node.arg, input, vars).map((v) => {
          if (typeof v !== "number") throw fail(`${jqType(v)} cannot be negated`);
          return -v;
        });
      case "array":
        return [node.body ? this.run(node.body, input, vars) : []];
      case "object":
        return this.object(node.entries, input, vars);
      case "var": {
        if (node.name === "ENV" || node.name === "__loc__") return [{}];
        if (!vars.has(node.name)) throw jqError(`$${node.name} is not defined`);
        return [vars.get(node.name)];
      }
      case "bind": {
        const out: unknown[] = [];
        for (const v of this.run(node.source, input, vars)) {
          const inner = new Map(vars);
          inner.set(node.name, v);
          out.push(...this.run(node.body, input, inner));
        }
        return out;
      }
      case "reduce": {
        let acc: unknown = this.run(node.init, input, vars).at(-1) ?? null;
        for (const v of this.run(node.source, input, vars)) {
          const inner = new Map(vars);
          inner.set(node.name, v);
          acc = this.run(node.update, acc, inner).at(-1) ?? null;
        }
        return [acc];
      }
      case "if": {
        const out: unknown[] = [];
        for (const c of this.run(node.cond, input, vars)) {
          if (truthy(c)) out.push(...this.run(node.then, input, vars));
          else if (node.otherwise) out.push(...this.run(node.otherwise, input, vars));
          else out.push(input);
        }
        return out;
      }
      case "call":
        return this.call(node.name, node.args, input, vars);
    }
  }

  private each(
    target: JqNode,
    input: unknown,
    vars: Vars,
    optional: boolean,
    f: (t: unknown) => unknown[],
  ): unknown[] {
    const out: unknown[] = [];
    for (const t of this.run(target, input, vars)) {
      try {
        out.push(...f(t));
      } catch (e) {
        if (!(optional && e instanceof JqRuntimeError)) throw e;
      }
    }
    return out;
  }

  private object(entries: Array<{ key: JqNode; value: JqNode }>, input: unknown, vars: Vars): unknown[] {
    let results: PlainMap[] = [{}];
    for (const entry of entries) {
      const next: PlainMap[] = [];
      for (const k of this.run(entry.key, input, vars)) {
        if (typeof k !== "string") throw fail(`Object keys must be strings`);
        for (const v of this.run(entry.value, input, vars)) {
          for (const partial of results) {
            const o: PlainMap = { ...partial };
            setOwn(o, k, v);
            next.push(o);
          }
        }
      }
      this.ctx.charge(next.length);
      results = next;
    }
    return results;
  }

  private one(node: JqNode | undefined, input: unknown, vars: Vars): unknown {
    if (!node) throw jqError("missing argument");
    return this.run(node, input, vars)[0] ?? null;
  }

  private call(name: string, args: JqNode[], input: unknown, vars: Vars): unknown[] {
    const arity = args.length;
    const a0 = args[0];
    const a1 = args[1];
    switch (`${name}/${arity}`) {
      case "empty/0":
        return [];
      case "not/0":
        return [!truthy(input)];
      case "length/0":
        return [length(input)];
      case "utf8bytelength/0":
        if (typeof input !== "string") throw fail(`${jqType(input)} only strings have UTF-8 byte length`);
        return [new TextEncoder().encode(input).length];
      case "keys/0":
        return [keysOf(input, true)];
      case "keys_unsorted/0":
        return [keysOf(input, false)];
      case "values/0":
        return input === null ? [] : [input];
      case "type/0":
        return [jqType(input)];
      case "add/0": {
        let acc: unknown = null;
        for (const v of iterate(input)) acc = addValues(acc, v, this.ctx);
        return [acc];
      }
      case "any/0":
        return [iterate(input).some(truthy)];
      case "all/0":
        return [iterate(input).every(truthy)];
      case "flatten/0":
      case "flatten/1": {
        const depth = a0 ? Number(this.one(a0, input, vars)) : 1e9;
        if (depth < 0) throw fail("flatten depth must not be negative");
        const flat = (v: unknown[], d: number): unknown[] =>
          v.flatMap((x) => (Array.isArray(x) && d > 0 ? flat(x, d - 1) : [x]));
        if (!Array.isArray(input)) throw fail(`Cannot iterate over ${jqType(input)}`);
        return [flat(input, depth)];
      }
      case "floor/0":
      case "ceil/0":
      case "round/0":
      case "sqrt/0":
      case "fabs/0":
      case "abs/0": {
        if (typeof input !== "number") throw fail(`${jqType(input)} number required`);
        const fn = {
          floor: Math.floor,
          ceil: Math.ceil,
          round: Math.round,
          sqrt: Math.sqrt,
          fabs: Math.abs,
          abs: Math.abs,
        }[name as "floor"];
        return [fn(input)];
      }
      case "tostring/0":
        return [toJqString(input)];
      case "tonumber/0": {
        if (typeof input === "number") return [input];
        if (typeof input === "string" && input.trim() !== "" && Number.isFinite(Number(input)))
          return [Number(input)];
        throw fail(`Cannot parse '${toJqString(input)}' as a number`);
      }
      case "tojson/0":
        return [JSON.stringify(input ?? null)];
      case "fromjson/0": {
        if (typeof input !== "string") throw fail(`${jqType(input)} cannot be parsed as JSON`);
        try {
          return [JSON.parse(input)];
        } catch {
          throw fail(`${input} cannot be parsed as JSON`);
        }
      }
      case "ascii_downcase/0":
      case "ascii_upcase/0": {
        if (typeof input !== "string") throw fail(`${jqType(input)} cannot be case-converted`);
        return [
          name === "ascii_downcase"
            ? input.replace(/[A-Z]/g, (c) => c.toLowerCase())
            : input.replace(/[a-z]/g, (c) => c.toUpperCase()),
        ];
      }
      case "sort/0":
        if (!Array.isArray(input)) throw fail(`${jqType(input)} cannot be sorted, as it is not an array`);
        this.ctx.charge(input.length);
        return [sortValues(input)];
      case "unique/0":
        if (!Array.isArray(input)) throw fail(`${jqType(input)} cannot be sorted, as it is not an array`);
        return [sortValues(input).filter((v, i, arr) => i === 0 || jqCompare(arr[i - 1], v) !== 0)];
      case "reverse/0":
        if (typeof input === "string") return [[...input].reverse().join("")];
        if (input === null) return [[]];
        if (!Array.isArray(input)) throw fail(`Cannot reverse ${jqType(input)}`);
        return [[...input].reverse()];
      case "min/0":
      case "max/0": {
        if (!Array.isArray(input)) throw fail(`${jqType(input)} cannot be iterated`);
        if (input.length === 0) return [null];
        const sorted = sortValues(input);
        return [name === "min" ? sorted[0] : sorted[sorted.length - 1]];
      }
      case "first/0":
        return [index(input, 0)];
      case "last/0":
        return [index(input, -1)];
      case "to_entries/0": {
        if (!isMap(input)) throw fail(`${jqType(input)} has no keys`);
        return [Object.keys(input).map((k) => ({ key: k, value: input[k] }))];
      }
      case "from_entries/0": {
        if (!Array.isArray(input)) throw fail(`Cannot iterate over ${jqType(input)}`);
        const out: PlainMap = {};
        for (const e of input) {
          if (!isMap(e)) throw fail("Cannot index entry");
          const key = e.key ?? e.k ?? e.name ?? e.Name ?? e.Key ?? e.K;
          if (key === null || key === undefined || typeof key === "object")
            throw fail("Cannot use null as object key");
          setOwn(out, String(key), Object.hasOwn(e, "value") ? e.value : (e.v ?? e.Value ?? null));
        }
        return [out];
      }
      case "recurse/0": {
        const out: unknown[] = [];
        recurseAll(input, out, this.ctx, 0);
        return out;
      }
      case "debug/0":
        return [input];
      case "error/0":
        throw fail(toJqString(input));
      case "error/1":
        throw fail(toJqString(this.one(a0, input, vars)));
      case "select/1":
        return this.run(a0!, input, vars).some(truthy) ? [input] : [];
      case "map/1":
        return [iterate(input).flatMap((v) => this.run(a0!, v, vars))];
      case "map_values/1": {
        if (Array.isArray(input)) return [input.flatMap((v) => this.run(a0!, v, vars).slice(0, 1))];
        if (!isMap(input)) throw fail(`Cannot iterate over ${jqType(input)}`);
        const out: PlainMap = {};
        for (const k of Object.keys(input)) {
          const r = this.run(a0!, input[k], vars);
          if (r.length > 0) setOwn(out, k, r[0]);
        }
        return [out];
      }
      case "with_entries/1": {
        if (!isMap(input)) throw fail(`${jqType(input)} has no keys`);
        const entries = Object.keys(input).map((k) => ({ key: k, value: input[k] }));
        const mapped = entries.flatMap((e) => this.run(a0!, e, vars));
        return this.call("from_entries", [], mapped, vars);
      }
      case "has/1":
        return this.run(a0!, input, vars).map((k) => {
          if (isMap(input) && typeof k === "string") return Object.hasOwn(input, k);
          if (Array.isArray(input) && typeof k === "number") return k >= 0 && k < input.length;
          throw fail(`Cannot check whether ${jqType(input)} has a ${jqType(k)} key`);
        });
      case "contains/1":
        return this.run(a0!, input, vars).map((b) => containsValue(input, b));
      case "inside/1":
        return this.run(a0!, input, vars).map((b) => containsValue(b, input));
      case "startswith/1":
      case "endswith/1":
      case "ltrimstr/1":
      case "rtrimstr/1":
        return this.run(a0!, input, vars).map((s) => {
          if (name === "ltrimstr" || name === "rtrimstr") {
            if (typeof input !== "string" || typeof s !== "string") return input;
            if (name === "ltrimstr") return input.startsWith(s) ? input.slice(s.length) : input;
            return input.endsWith(s) && s.length > 0 ? input.slice(0, -s.length) : input;
          }
          if (typeof input !== "string" || typeof s !== "string")
            throw fail(`${name}() requires string inputs`);
          return name === "startswith" ? input.startsWith(s) : input.endsWith(s);
        });
      case "split/1":
        return this.run(a0!, input, vars).map((s) => {
          if (typeof input !== "string" || typeof s !== "string")
            throw fail("split input and separator must be strings");
          return input.split(s);
        });
      case "join/1":
        return this.run(a0!, input, vars).map((sep) => {
          const items = iterate(input).map((v) =>
            v === null ? "" : typeof v === "object" ? badJoin(v) : String(v),
          );
          const joined = items.join(typeof sep === "string" ? sep : "");
          this.ctx.checkLength(joined.length);
          return joined;
        });
      case "test/1":
        return this.run(a0!, input, vars).map((re) => {
          if (typeof input !== "string" || typeof re !== "string") throw fail("test() requires strings");
          return compileRegex(re).test(input);
        });
      case "sub/2":
      case "gsub/2": {
        if (typeof input !== "string")
          throw fail(`${jqType(input)} cannot be matched, as it is not a string`);
        const re = this.one(a0, input, vars);
        const rep = this.one(a1, input, vars);
        if (typeof re !== "string" || typeof rep !== "string") throw fail(`${name}() requires strings`);
        const out = replaceWith(input, compileRegex(re), rep, name === "gsub");
        this.ctx.checkLength(out.length);
        return [out];
      }
      case "sort_by/1":
      case "group_by/1":
      case "unique_by/1":
      case "min_by/1":
      case "max_by/1": {
        if (!Array.isArray(input)) throw fail(`Cannot index ${jqType(input)}`);
        this.ctx.charge(input.length);
        const keyed = input.map((v) => ({ v, key: this.run(a0!, v, vars) }));
        keyed.sort((x, y) => jqCompare(x.key, y.key));
        if (name === "sort_by") return [keyed.map((e) => e.v)];
        if (name === "min_by") return [keyed[0]?.v ?? null];
        if (name === "max_by") return [keyed[keyed.length - 1]?.v ?? null];
        const groups: unknown[][] = [];
        let lastKey: unknown;
        for (const e of keyed) {
          if (groups.length === 0 || jqCompare(lastKey, e.key) !== 0) groups.push([e.v]);
          else groups[groups.length - 1]!.push(e.v);
          lastKey = e.key;
        }
        return [name === "group_by" ? groups : groups.map((g) => g[0])];
      }
      case "first/1":
        return this.run(a0!, input, vars).slice(0, 1);
      case "last/1":
        return this.run(a0!, input, vars).slice(-1);
      case "limit/2": {
        const n = Number(this.one(a0, input, vars));
        return n <= 0 ? [] : this.run(a1!, input, vars).slice(0, n);
      }
      case "any/1":
        return [iterate(input).some((v) => this.run(a0!, v, vars).some(truthy))];
      case "all/1":
        return [iterate(input).every((v) => this.run(a0!, v, vars).every(truthy))];
      case "range/1":
      case "range/2": {
        const from = arity === 2 ? Number(this.one(a0, input, vars)) : 0;
        const to = Number(this.one(arity === 2 ? a1 : a0, input, vars));
        if (!Number.isFinite(from) || !Number.isFinite(to)) throw fail("Range bounds must be numeric");
        const n = Math.max(0, Math.ceil(to - from));
        this.ctx.charge(n);
        return Array.from({ length: n }, (_, i) => from + i);
      }
      case "tostream/0":
      case "paths/0":
      case "input/0":
      case "inputs/0":
        break;
    }
    throw jqError(`${name}/${arity} is not supported (see the list of supported jq builtins)`);
  }
}

function badJoin(v: unknown): never {
  throw fail(`Cannot join with ${jqType(v)}`);
}

function containsValue(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((x) => a.some((y) => containsValue(y, x)));
  if (isMap(a) && isMap(b)) {
    return Object.keys(b).every((k) => Object.hasOwn(a, k) && containsValue(a[k], b[k]));
  }
  if (jqType(a) !== jqType(b))
    throw fail(`${jqType(a)} and ${jqType(b)} cannot have their containment checked`);
  return jqCompare(a, b) === 0;
}

/** jq's sub/gsub with a literal replacement: the first match, or every match. */
function replaceWith(input: string, re: UserRegex, rep: string, global: boolean): string {
  let out = "";
  let from = 0;
  for (const m of re.all(input)) {
    out += input.slice(from, m.index) + rep;
    from = m.end;
    if (!global) break;
  }
  return out + input.slice(from);
}
