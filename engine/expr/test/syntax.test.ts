import { describe, expect, it } from "vitest";
import { err, r } from "./helpers";

describe("delimiters, comments and text", () => {
  it.each([
    ["plain text", "plain text"],
    ["", ""],
    ["a { b } c", "a { b } c"],
    ["{{ 'x' }}", "x"],
    ["{{'x'}}", "x"],
    ["a{# comment #}b", "ab"],
    ["a{# {{ ko }} #}b", "ab"],
    ["{{ inputs.name }} and {{ inputs.n }}", "world and 3"],
    ["{{ '}}' }}", "}}"],
    ["{{ {'a': {'b': 1}} }}", '{"a":{"b":1}}'],
    ["{{ {'a':{'b':1}}}}", '{"a":{"b":1}}'],
    ['{{ "a" }}}', "a}"],
    ["multi\nline {{ inputs.n }}\ntext", "multi\nline 3\ntext"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});

describe("whitespace control", () => {
  it.each([
    ["a  {{- 'x' }}  b", "ax  b"],
    ["a  {{ 'x' -}}  b", "a  xb"],
    ["a \n {{- 'x' -}} \n b", "axb"],
    ["a {%- if true %} x {% endif -%} b", "a x b"],
    ["a\n{%- if true -%}\nx\n{%- endif -%}\nb", "axb"],
    ["a  {#- note -#}  b", "ab"],
    ["a  {# note -#}  b", "a  b"],
    ["a  {#- note #}  b", "a  b"],
    ["{{ 5 -}} x", "5x"],
    ["{{ 5-1 }}", "4"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("handles Kestra's errorLogs loop template", () => {
    const tpl =
      "{%- for log in logs -%}\n- task: {{ log.taskId }}, message: {{ log.message }}\n{%- endfor -%}";
    const logs = [
      { taskId: "t1", message: "boom" },
      { taskId: "t2", message: "bang" },
    ];
    expect(r(tpl, { logs })).toBe("- task: t1, message: boom- task: t2, message: bang");
  });

  it("keeps newlines without trim markers (Kestra disables newline trimming)", () => {
    expect(r("{% if true %}\nx\n{% endif %}\n")).toBe("\nx\n\n");
  });
});

describe("verbatim and raw", () => {
  it.each([
    ["{% raw %}{{ ko }}{% endraw %}", "{{ ko }}"],
    ["{% verbatim %}{% if %}{{ x }}{% endverbatim %}", "{% if %}{{ x }}"],
    ["a {% raw -%}  {{ x }}  {%- endraw %} b", "a {{ x }} b"],
    ["{% raw %}\n{{ multi }}\nline{% endraw %}", "\n{{ multi }}\nline"],
    ["{% raw %}x{% endraw -%}   y", "xy"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});

describe("literals", () => {
  it.each([
    ["{{ 42 }}", "42"],
    ["{{ 42L }}", "42"],
    ["{{ 3.5 }}", "3.5"],
    ["{{ 2.0 }}", "2.0"],
    ["{{ true }}", "true"],
    ["{{ TRUE }}", "true"],
    ["{{ false }}", "false"],
    ["{{ FALSE }}", "false"],
    ["{{ null }}", ""],
    ["{{ none }}", ""],
    ["{{ NULL }}", ""],
    ["{{ 'single' }}", "single"],
    ['{{ "double" }}', "double"],
    ["{{ 'it\\'s' }}", "it's"],
    ['{{ "say \\"hi\\"" }}', 'say "hi"'],
    ["{{ 'back\\\\slash' }}", "back\\slash"],
    ["{{ 'no\\nescape' }}", "no\\nescape"],
    ["{{ '' }}", ""],
    ["{{ [1, 2, 3] }}", "[1,2,3]"],
    ["{{ [] }}", "[]"],
    ["{{ ['a', [true, null]] }}", '["a",[true,null]]'],
    ["{{ {'a': 1, \"b\": 'x'} }}", '{"a":1,"b":"x"}'],
    ["{{ {} }}", "{}"],
    ["{{ {'a': null} }}", "{}"],
    ["{{ {1: 'one'} }}", '{"1":"one"}'],
    ["{{ [1, 2][1] }}", "2"],
    ["{{ {'k': 'v'}.k }}", "v"],
    ["{{ {'k': 'v'}['k'] }}", "v"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});

describe("string interpolation", () => {
  it.each([
    ['{{ "Hello #{inputs.name}!" }}', "Hello world!"],
    ['{{ "#{inputs.n + 1} items" }}', "4 items"],
    ['{{ "a#{\'b\'}c#{"d"}e" }}', "abcde"],
    ['{{ "nested #{ "in #{inputs.name}" }" }}', "nested in world"],
    ["{{ \"#{ {'a': 1}.a }\" }}", "1"],
    ['{{ "# not interpolated" }}', "# not interpolated"],
    ["{{ 'single #{inputs.name}' }}", "single #{inputs.name}"],
    ['{{ "null: #{nothing}." }}', "null: ."],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});

describe("precedence (Pebble's operator table)", () => {
  it.each([
    ["{{ 2 + 3 * 4 }}", "14"],
    ["{{ (2 + 3) * 4 }}", "20"],
    ["{{ 10 - 2 - 3 }}", "5"],
    ["{{ 2 * 3 % 4 }}", "2"],
    ["{{ 1 + 2 == 3 }}", "true"],
    ["{{ 1 == 1 and 2 == 2 }}", "true"],
    ["{{ true or false and false }}", "true"],
    ["{{ not false == true }}", "true"],
    ["{{ -2 * 3 }}", "-6"],
    ["{{ - 2 + 5 }}", "3"],
    ["{{ 'a' ~ 'b' | upper }}", "AB"],
    ["{{ 1 + 2 | abs }}", "3"],
    ["{{ -5 | abs }}", "5"],
    ["{{ inputs.items | length > 2 }}", "true"],
    ["{{ nothing ?? 'x' | upper }}", "X"],
    ["{{ 1..3 | length }}", "3"],
    ["{{ true ? 1 : 2 + 10 }}", "1"],
    ["{{ false ? 1 : 2 + 10 }}", "12"],
    ["{{ 1 == 2 ? 'a' : 3 == 3 ? 'b' : 'c' }}", "b"],
    ["{{ (true ? 'x' : 'y') ~ 'z' }}", "xz"],
    ["{{ 2 is even and 3 is odd }}", "true"],
    ["{{ (3 is not even) and (2 is odd or 3 is even) }}", "false"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});

describe("syntax errors carry a position", () => {
  it.each([
    ["{{ inputs.name ", 1, 1, 'Unclosed "{{"'],
    ["line1\nline2 {{ a + }}", 2, 14, "Unexpected token"],
    ["{% if true %}x", 1, 1, 'expected "elseif" or "else" or "endif"'],
    ["{{ (1 + 2 }}", 1, 4, 'Unclosed ")"'],
    ["{{ 1 ) }}", 1, 6, 'Unexpected ")"'],
    ["a\n\n  {% bogus %}", 3, 6, 'Unexpected tag name "bogus"'],
    ["{{ 'abc }}", 1, 4, 'Unclosed "\'"'],
    ["{# never closed", 1, 1, "Unclosed comment"],
    ["{% for x %}{% endfor %}", 1, 10, 'expected "in"'],
    ["{{ a.b(1) }}", 1, 6, "Method calls are not supported"],
    ["{{ f(a=1, 2) }}", 1, 11, "Positional arguments must be declared before any named arguments."],
    ["{% set true = 1 %}", 1, 8, "Can not assign a value to true"],
    ["{{ }}", 1, 4, "Unexpected token"],
    ["{{ 1 2 }}", 1, 6, "Unexpected token"],
    ["{% endif %}", 1, 4, 'Unexpected tag name "endif"'],
    ["{% macro m() %}{% endmacro %}", 1, 4, 'The "macro" tag is not supported'],
    ["{{ a ! b }}", 1, 6, "Unexpected character [!]"],
    ["{{ a && b }}", 1, 6, "Unexpected character [&]"],
  ])("%j fails at line %i column %i", (tpl, line, column, message) => {
    const e = err(tpl);
    expect(e.line).toBe(line);
    expect(e.column).toBe(column);
    expect(e.message).toContain(message);
    expect(e.template).toBe(tpl);
  });

  it("fails on deeply nested input without overflowing the stack", () => {
    expect(err(`{{ ${"(".repeat(5000)}1${")".repeat(5000)} }}`).message).toContain("nested too deeply");
  });
});
