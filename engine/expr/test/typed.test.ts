import { describe, expect, it } from "vitest";
import {
  compile,
  ExpressionError,
  evaluate,
  isTemplate,
  isTruthy,
  renderTree,
  toOutputString,
} from "../index";
import { ctx, options, r, t } from "./helpers";

describe("renderTyped", () => {
  it.each([
    ["{{ 3 }}", 3],
    ["{{ 2.5 }}", 2.5],
    ["{{ 4.0 }}", 4],
    ["{{ true }}", true],
    ["{{ null }}", null],
    ["{{ nothing }}", null],
    ["{{ [1, 2] }}", [1, 2]],
    ["{{ {'a': [1]} }}", { a: [1] }],
    ["{{ inputs.obj.d }}", { e: "deep" }],
    [" {{ inputs.n }} ", 3],
    ["\n{{- inputs.n -}}\n", 3],
    ["{# note #}{{ inputs.n }}", 3],
    ["{{ inputs.name }}", "world"],
    ["a{{ inputs.n }}", "a3"],
    ["{{ inputs.n }}{{ inputs.n }}", "33"],
    ["{{ inputs.n }} b", "3 b"],
    ["{% if true %}{{ 3 }}{% endif %}", "3"],
    ["no braces", "no braces"],
    ["", ""],
    ["{{ outputs.x ?? null }}", null],
    ["{{ inputs.items | length }}", 3],
    ["{{ fromJson('{\"a\": 1}') }}", { a: 1 }],
  ])("%j is %j", (tpl, expected) => {
    expect(t(tpl)).toEqual(expected);
  });
});

describe("renderTree", () => {
  it("renders every string of nested maps and lists with typed semantics", () => {
    const tree = {
      "key_{{ inputs.name }}": "keys are rendered as text, as Kestra's VariableRenderer does",
      "{{ inputs.n }}": "a typed key becomes text",
      message: "Hello {{ inputs.name }}",
      count: "{{ inputs.n }}",
      nested: { list: ["{{ list }}", 7, true, null, { deep: "{{ inputs.obj.a + 1 }}" }] },
      untouched: 42,
    };
    expect(renderTree(tree, ctx(), options)).toEqual({
      key_world: "keys are rendered as text, as Kestra's VariableRenderer does",
      "3": "a typed key becomes text",
      message: "Hello world",
      count: 3,
      nested: { list: [[1, 2, 3], 7, true, null, { deep: 2 }] },
      untouched: 42,
    });
  });

  it("keeps the first value when two keys render to the same text (Kestra's putIfAbsent)", () => {
    expect(renderTree({ "{{ inputs.name }}": 1, world: 2 }, ctx(), options)).toEqual({ world: 1 });
  });

  it("does not mutate its input and copies own keys only", () => {
    const tree = JSON.parse('{"__proto__": "{{ 1 }}", "a": ["{{ 2 }}"]}');
    const out = renderTree(tree, {}, options) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(out.a).toEqual([2]);
    expect(tree.a).toEqual(["{{ 2 }}"]);
  });

  it("returns non-strings as they are", () => {
    const d = new Date();
    expect(renderTree(d, {}, options)).toBe(d);
    expect(renderTree(5, {}, options)).toBe(5);
  });

  it("throws ExpressionError for a failing leaf", () => {
    expect(() => renderTree({ a: ["{{ ko }}"] }, {}, options)).toThrow(ExpressionError);
  });
});

describe("evaluate", () => {
  it.each([
    ["inputs.n == 3", true],
    ["inputs.n + 1", 4],
    ["inputs.items | join('-')", "a-b-c"],
    ["outputs.x ?? 'd'", "d"],
    ["[1, 2][0]", 1],
    ["inputs.f * 2", 5],
    ["nothing", null],
  ])("%j is %j", (expr, expected) => {
    expect(evaluate(expr, ctx(), options)).toEqual(expected);
  });

  it("reports errors with a position in the expression", () => {
    try {
      evaluate("inputs.n +", ctx(), options);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionError);
      expect((e as ExpressionError).column).toBe(11);
    }
  });
});

describe("isTemplate", () => {
  it.each([
    ["{{ x }}", true],
    ["{% if %}", true],
    ["{# only a comment #}", false],
    ["plain", false],
    ["{ x }", false],
  ])("%j -> %s", (s, expected) => {
    expect(isTemplate(s)).toBe(expected);
  });
});

describe("isTruthy (Kestra's TruthUtils)", () => {
  it.each([
    [null, false],
    [undefined, false],
    ["", false],
    ["0", false],
    ["-0", false],
    ["false", false],
    [0, false],
    [-0, false],
    [false, false],
    ["true", true],
    ["1", true],
    ["abc", true],
    ["FALSE", true],
    [" ", true],
    [1, true],
    [true, true],
    [[1], true],
    [[], true],
    [{}, true],
    [0.5, true],
  ])("%j -> %s", (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  it("applies to rendered conditions", () => {
    expect(isTruthy(r("{{ outputs.output_values.values.count != '4' }}"))).toBe(false);
    expect(isTruthy(r("{{ inputs.zero }}"))).toBe(false);
    expect(isTruthy(r("{{ nothing }}"))).toBe(false);
  });
});

describe("toOutputString", () => {
  it.each([
    ["s", "s"],
    [null, ""],
    [undefined, ""],
    [true, "true"],
    [false, "false"],
    [42, "42"],
    [-0, "0"],
    [0.5, "0.5"],
    [1e-7, "1.0E-7"],
    [12345678.9, "1.23456789E7"],
    [1e18, "1000000000000000000"],
    [1e21, "1.0E21"],
    [{ value: "flow-with-outputs" }, '{"value":"flow-with-outputs"}'],
    [[1, "a", null], '[1,"a",null]'],
    [{ a: null, b: [] }, '{"b":[]}'],
    [new Date("2024-01-15T10:30:00Z"), "2024-01-15T10:30:00Z"],
    [new Date("2024-01-15T10:30:00.120Z"), "2024-01-15T10:30:00.120Z"],
  ])("%j prints %j", (value, expected) => {
    expect(toOutputString(value)).toBe(expected);
  });

  it("prints outputs.return exactly like Kestra's conformance expects", () => {
    expect(r("{{ outputs.return }}")).toBe('{"value":"flow-with-outputs"}');
  });
});

describe("compile", () => {
  it("parses once and renders many times", () => {
    const c = compile("Hello {{ name | upper }}");
    expect(c.isSingleExpression).toBe(false);
    expect(c.render({ name: "a" }, options)).toBe("Hello A");
    expect(c.render({ name: "b" }, options)).toBe("Hello B");
    expect(compile(" {{ n }} ").renderTyped({ n: 1 }, options)).toBe(1);
    expect(compile(" {{ n }} ").isSingleExpression).toBe(true);
  });

  it("throws ExpressionError at compile time for syntax errors", () => {
    expect(() => compile("{{ oops")).toThrow(ExpressionError);
  });

  it("supports recursive rendering as an option", () => {
    const c = { a: "{{ b }}", b: "{{ c }}", c: "end" };
    expect(r("{{ a }}", c)).toBe("{{ b }}");
    expect(r("{{ a }}", c, { recursive: true })).toBe("end");
  });
});
