import { describe, expect, it } from "vitest";
import { ExpressionError, render, renderTyped } from "../index";
import { err, options } from "./helpers";

describe("evaluation budget", () => {
  it("fails fast on a huge range without allocating it", () => {
    const start = Date.now();
    const e = err("{% for i in range(0, 1000000000) %}x{% endfor %}");
    expect(e.message).toContain("cannot produce more than 1000000 elements");
    expect(Date.now() - start).toBeLessThan(500);
  });

  it("stops loops that exceed the step budget", () => {
    const e = err("{% for i in range(0, 900000) %}{{ i }}{% endfor %}");
    expect(e.message).toContain("expression too complex");
  });

  it("stops nested loops", () => {
    const tpl = "{% for a in range(1, 1000) %}{% for b in range(1, 1000) %}.{% endfor %}{% endfor %}";
    expect(err(tpl).message).toContain("expression too complex");
  });

  it("honours a custom maxSteps", () => {
    expect(() => render("{{ 1 + 1 + 1 + 1 }}", {}, { ...options, maxSteps: 3 })).toThrow(
      "expression too complex",
    );
    expect(render("{{ 1 + 1 }}", {}, { ...options, maxSteps: 10 })).toBe("2");
  });

  it("shares the budget with render()", () => {
    const c = { t: "{% for i in range(0, 50) %}.{% endfor %}" };
    expect(() =>
      render("{% for i in range(0, 50) %}{{ render(t) }}{% endfor %}", c, { ...options, maxSteps: 1000 }),
    ).toThrow("expression too complex");
  });

  it("charges large list operations", () => {
    const big = Array.from({ length: 200_000 }, (_, i) => i);
    expect(() =>
      render(
        "{{ l | sort | sort | sort | sort | sort | sort }}",
        { l: big },
        { ...options, maxSteps: 500_000 },
      ),
    ).toThrow("expression too complex");
  });
});

describe("output size", () => {
  it("stops runaway string doubling", () => {
    const tpl =
      "{% set s = 'xxxxxxxxxx' %}{% for i in range(1, 40) %}{% set s = s ~ s %}{% endfor %}{{ s | length }}";
    expect(err(tpl).message).toContain("exceeds the maximum length");
  });

  it("stops huge outputs", () => {
    expect(() =>
      render("{% for i in range(1, 100) %}0123456789{% endfor %}", {}, { ...options, maxOutputLength: 500 }),
    ).toThrow("exceeds the maximum length of 500");
  });

  it("bounds indent, join and replace", () => {
    const o = { ...options, maxOutputLength: 1000 };
    expect(() => render("{{ 'a\nb' | indent(100000) }}", {}, o)).toThrow(ExpressionError);
    expect(() => render("{{ range(1, 900) | join('-----') }}", {}, o)).toThrow(ExpressionError);
    expect(() =>
      render(
        "{{ 'aaaaaaaaaa' | replace({'a': 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'}) }}",
        {},
        o,
      ),
    ).toThrow(ExpressionError);
    expect(() => render("{{ x | jq('. * 100000') }}", { x: '"ab"' }, o)).toThrow(ExpressionError);
  });

  it("bounds replacements and splits on big inputs before building them", () => {
    const big = { s: "a".repeat(200_000) };
    expect(() =>
      render("{{ s | replace({'a': 'bbbbbbbbbb'}) }}", big, { ...options, maxOutputLength: 1_000_000 }),
    ).toThrow("exceeds the maximum length");
    expect(() =>
      render("{{ s | replace({'a': 'bbbbbbbbbb'}, regexp=true) }}", big, {
        ...options,
        maxOutputLength: 1_000_000,
      }),
    ).toThrow("exceeds the maximum length");
    expect(() => render("{{ s | split('') | length }}", big, { ...options, maxSteps: 100_000 })).toThrow(
      "expression too complex",
    );
  });

  it("bounds the JSON printing of big structures", () => {
    const big = { l: Array.from({ length: 100 }, () => "0123456789") };
    expect(() => render("{{ l }}", big, { ...options, maxOutputLength: 200 })).toThrow(
      "exceeds the maximum length",
    );
  });
});

describe("tenant input cannot reach JavaScript", () => {
  const c = JSON.parse(
    '{"x": {"a": 1}, "s": "str", "l": [1], "evil": {"__proto__": {"polluted": 1}, "constructor": "own"}}',
  );

  it.each([
    "{{ x.constructor }}",
    "{{ x['constructor'] }}",
    "{{ x.__proto__ }}",
    "{{ x['__proto__'] }}",
    "{{ ''.constructor }}",
    "{{ s.constructor }}",
    "{{ l.constructor }}",
    "{{ l['length'] }}",
    "{{ l.map }}",
    "{{ x.toString }}",
    "{{ x.hasOwnProperty }}",
    "{{ constructor }}",
    "{{ __proto__ }}",
    "{{ toString }}",
    "{{ globalThis }}",
    "{{ process }}",
    "{{ x.a.constructor }}",
    "{{ s.length.constructor }}",
    "{{ {}.constructor }}",
    "{{ [].constructor }}",
    "{{ evil.__proto__.polluted.constructor }}",
  ])("%j is an undefined-variable error", (tpl) => {
    const e = err(tpl, c);
    expect(e.message).toContain("Missing variable");
  });

  it("reads own properties named like built-ins as plain data", () => {
    expect(render("{{ evil.constructor }} {{ evil['__proto__'].polluted }}", c, options)).toBe("own 1");
  });

  it("cannot call methods or globals", () => {
    expect(() => render("{{ x.toString() }}", c, options)).toThrow("Method calls are not supported");
    expect(() => render("{{ constructor('x') }}", c, options)).toThrow("does not exist");
    expect(() => render("{{ eval('1') }}", c, options)).toThrow("does not exist");
    expect(() => render("{{ (x)('a') }}", c, options)).toThrow(ExpressionError);
  });

  it("builds map literals without touching prototypes", () => {
    const v = renderTyped("{{ {'__proto__': {'polluted': true}, 'constructor': 1} }}", {}, options) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const merged = renderTyped(
      '{{ {} | merge(fromJson(\'{"__proto__": {"polluted": 1}}\')) }}',
      {},
      options,
    ) as object;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("ignores functions placed in the context", () => {
    const withFn = { f: () => "called", o: { g: () => "called" }, l: [() => 1] };
    expect(err("{{ f }}", withFn).message).toContain("Missing variable: 'f'");
    expect(err("{{ o.g }}", withFn).message).toContain("Missing variable: 'g'");
    expect(render("{{ l[0] }}|{{ o }}", withFn, options)).toBe("|{}");
  });

  it("runs patterns that backtrack exponentially in JavaScript in linear time (RE2)", () => {
    // Each of these took seconds to hours with RegExp; RE2 answers at once.
    const s = `${"a".repeat(40)}!`;
    expect(render("{{ s | replace({'(a+)+$': 'x'}, regexp=true) }}", { s }, options)).toBe(s);
    expect(render("{{ s | split('(a|aa)*b') }}", { s: "aaa" }, options)).toBe('["aaa"]');
    const thirty = "a".repeat(30);
    expect(render(`{{ '${thirty}' | replace({'(.*a){12}b': 'x'}, regexp=true) }}`, {}, options)).toBe(thirty);
    const long = "a".repeat(20_000);
    expect(render("{{ s | replace({'(.*a){12}b': 'x'}, regexp=true) }}", { s: long }, options)).toBe(long);
  });
});
