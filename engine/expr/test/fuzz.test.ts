/**
 * Property tests: random templates from the grammar, random junk and hostile contexts. Whatever
 * the input, rendering returns or throws an ExpressionError (never another error, never an
 * "internal error"), never changes the context, never hands back a function or a prototype.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FILTERS } from "../filters/index";
import { FUNCTIONS } from "../functions/index";
import { ExpressionError, evaluate, render, renderTree, renderTyped } from "../index";
import { TESTS } from "../tests";

const RUNS = 2000;
const limits = { maxSteps: 20_000, maxOutputLength: 50_000, now: () => new Date(0), random: () => 0.25 };

const NAMES = [
  "x",
  "s",
  "n",
  "l",
  "m",
  "evil",
  "nothing",
  "ko",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "loop",
];
const ATTRS = [
  "a",
  "b",
  "value",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "length",
  "size",
  "0",
  "polluted",
];
const FILTER_NAMES = [...FILTERS.keys(), "nope"];
const FUNCTION_NAMES = [...FUNCTIONS.keys(), "kv", "secret", "eval", "constructor"];
const TEST_NAMES = [...TESTS.keys(), "nope"];
const BINARY = [
  "+",
  "-",
  "*",
  "/",
  "%",
  "~",
  "==",
  "!=",
  "<",
  ">",
  "<=",
  ">=",
  "and",
  "or",
  "??",
  "???",
  "contains",
  "in",
  "isIn",
  "notIn",
  "..",
  "equals",
];

const literal = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => Math.abs(d).toFixed(2)),
  fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/\\/g, "").replace(/'/g, "")}'`),
  fc.string({ maxLength: 8 }).map((s) => `"${s.replace(/\\/g, "").replace(/"/g, "")}"`),
  fc.constantFrom(
    "true",
    "false",
    "null",
    "none",
    "'2024-01-15T10:30:00Z'",
    "'yyyy-MM-dd'",
    "'.a'",
    "'{\"a\": 1}'",
  ),
);

const { expr } = fc.letrec<{ expr: string; args: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    fc.constantFrom(...NAMES),
    fc
      .tuple(tie("expr"), fc.constantFrom(...ATTRS))
      .map(([e, a]) => (/^[0-9]/.test(a) ? `${e}[${a}]` : `${e}.${a}`)),
    fc.tuple(tie("expr"), tie("expr")).map(([e, k]) => `${e}[${k}]`),
    fc.tuple(tie("expr"), fc.constantFrom(...BINARY), tie("expr")).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom("not ", "-", "+"), tie("expr")).map(([op, e]) => `${op}(${e})`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc
      .tuple(tie("expr"), fc.constantFrom(...FILTER_NAMES), fc.option(tie("args")))
      .map(([e, f, a]) => `(${e} | ${f}${a === null ? "" : `(${a})`})`),
    fc
      .tuple(tie("expr"), fc.boolean(), fc.constantFrom(...TEST_NAMES))
      .map(([e, neg, name]) => `(${e} is ${neg ? "not " : ""}${name})`),
    fc.tuple(fc.constantFrom(...FUNCTION_NAMES), tie("args")).map(([f, a]) => `${f}(${a})`),
    fc.array(tie("expr"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    fc
      .array(fc.tuple(tie("expr"), tie("expr")), { maxLength: 2 })
      .map((entries) => `{${entries.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
    tie("expr").map((e) => `"a#{${e}}b"`),
  ),
  args: fc.oneof(
    fc.array(tie("expr"), { maxLength: 3 }).map((a) => a.join(", ")),
    fc
      .tuple(fc.constantFrom("format", "timeZone", "type", "recursive", "x"), tie("expr"))
      .map(([n, v]) => `${n}=${v}`),
  ),
}));

const text = fc.constantFrom("", " ", "\n", "text ", " - ", "{", "}", "%", "#");

const node: fc.Arbitrary<string> = fc.oneof(
  text,
  expr.map((e) => `{{ ${e} }}`),
  fc.tuple(fc.boolean(), expr, fc.boolean()).map(([l, e, r]) => `{{${l ? "-" : ""} ${e} ${r ? "-" : ""}}}`),
  fc.tuple(expr, text, expr).map(([c, t, e]) => `{% if ${c} %}${t}{{ ${e} }}{% else %}x{% endif %}`),
  fc
    .tuple(expr, expr)
    .map(([c, e]) => `{% for v in ${c} %}{{ ${e} }}{{ loop.index }}{% else %}empty{% endfor %}`),
  fc.tuple(fc.constantFrom("x", "y", "s"), expr).map(([n, e]) => `{% set ${n} = ${e} %}`),
  fc.constantFrom("{# c #}", "{#- c -#}", "{% raw %}{{ x }}{% endraw %}"),
);

const template = fc.array(node, { maxLength: 5 }).map((parts) => parts.join(""));

const junk = fc.string({
  unit: fc.constantFrom(..."{}%#-~|.'\"()[]?:!=<>+*/abcxsl0123 \n\\".split("")),
  maxLength: 40,
});

const hostile = () =>
  JSON.parse(
    '{"__proto__": {"polluted": "yes", "a": 1}, "constructor": {"prototype": {"polluted": 1}}, "prototype": "p", "toString": "ts", "value": [1, {"__proto__": 2}]}',
  );

const context = fc
  .record({
    x: fc.jsonValue({ maxDepth: 3 }),
    s: fc.string({ maxLength: 10 }),
    n: fc.integer(),
    l: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
    m: fc.dictionary(
      fc.constantFrom("a", "b", "value", "__proto__", "constructor"),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  })
  .map((c) => ({ ...c, evil: hostile(), nothing: null }));

function reachesForbidden(v: unknown, depth = 0): boolean {
  if (typeof v === "function") return true;
  if (v === Object.prototype || v === Function.prototype || v === Array.prototype) return true;
  if (depth > 50 || v === null || typeof v !== "object") return false;
  for (const k of Object.keys(v)) {
    if (reachesForbidden((v as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

function check(run: () => unknown, ctx: Record<string, unknown>): void {
  const before = JSON.stringify(ctx);
  try {
    const out = run();
    expect(reachesForbidden(out)).toBe(false);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    expect(e.message.startsWith("internal error")).toBe(false);
  }
  expect(JSON.stringify(ctx)).toBe(before);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe("fuzzing", () => {
  it("grammar-built templates only ever fail with ExpressionError", () => {
    fc.assert(
      fc.property(template, context, (tpl, ctx) => {
        check(() => render(tpl, ctx, limits), ctx);
        check(() => renderTyped(tpl, ctx, limits), ctx);
      }),
      { numRuns: RUNS, seed: 42 },
    );
  });

  it("grammar-built expressions only ever fail with ExpressionError", () => {
    fc.assert(
      fc.property(expr, context, (e, ctx) => {
        check(() => evaluate(e, ctx, limits), ctx);
      }),
      { numRuns: RUNS / 2, seed: 7 },
    );
  });

  it("random junk only ever fails with ExpressionError", () => {
    fc.assert(
      fc.property(junk, context, (tpl, ctx) => {
        check(() => render(tpl, ctx, limits), ctx);
        check(() => renderTree({ a: [tpl] }, ctx, limits), ctx);
      }),
      { numRuns: RUNS / 2, seed: 1 },
    );
  });

  it("arbitrary unicode only ever fails with ExpressionError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: "binary" }), (tpl) => {
        check(() => render(`{{ ${tpl} }}`, {}, limits), {});
        check(() => render(tpl, {}, limits), {});
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
