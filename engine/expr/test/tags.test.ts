import { describe, expect, it } from "vitest";
import { err, r } from "./helpers";

describe("if / elseif / else", () => {
  it.each([
    ["{% if true %}a{% endif %}", "a"],
    ["{% if false %}a{% endif %}", ""],
    ["{% if false %}a{% else %}b{% endif %}", "b"],
    ["{% if inputs.n == 1 %}one{% elseif inputs.n == 3 %}three{% else %}other{% endif %}", "three"],
    ["{% if inputs.n == 1 %}one{% elseif inputs.n == 2 %}two{% endif %}", ""],
    [
      "{% if inputs.items is empty %}none{% elseif inputs.items.size == 1 %}one{% else %}many{% endif %}",
      "many",
    ],
    ["{% if 1 %}num{% endif %}", "num"],
    ["{% if 0 %}num{% else %}zero{% endif %}", "zero"],
    ["{% if 'false' %}string is true in Pebble{% endif %}", "string is true in Pebble"],
    ["{% if '' %}x{% else %}empty string{% endif %}", "empty string"],
    ["{% if inputs.flag and not inputs.no %}ok{% endif %}", "ok"],
    ["{% if true %}{% if false %}a{% else %}b{% endif %}{% endif %}", "b"],
    ["{% if ko is defined %}{{ ko }}{% else %}safe{% endif %}", "safe"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("rejects a null condition (strict variables)", () => {
    const e = err("x\n{% if nothing %}a{% endif %}");
    expect(e.message).toContain("null value given to if statement");
    expect(e.line).toBe(2);
  });

  it("rejects a list condition", () => {
    expect(err("{% if [1] %}a{% endif %}").message).toContain(
      'Expected Boolean, String, Number in "if" statement',
    );
  });

  it("fails on an undefined condition", () => {
    expect(err("{% if ko %}a{% endif %}").message).toContain("Missing variable: 'ko'");
  });
});

describe("for loops", () => {
  it.each([
    ["{% for x in inputs.items %}{{ x }}{% endfor %}", "abc"],
    ["{% for x in inputs.items %}{{ loop.index }}{% endfor %}", "012"],
    ["{% for x in inputs.items %}{{ loop.length }}{% endfor %}", "333"],
    ["{% for x in inputs.items %}{{ loop.revindex }}{% endfor %}", "210"],
    ["{% for x in inputs.items %}{{ loop.first }}{% endfor %}", "truefalsefalse"],
    ["{% for x in inputs.items %}{{ loop.last }}{% endfor %}", "falsefalsetrue"],
    ["{% for x in inputs.items %}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}", "a, b, c"],
    ["{% for x in [] %}{{ x }}{% else %}empty{% endfor %}", "empty"],
    ["{% for x in nothing %}{{ x }}{% else %}empty{% endfor %}", ""],
    ["{% for e in {'a': 1, 'b': 2} %}{{ e.key }}={{ e.value }};{% endfor %}", "a=1;b=2;"],
    ["{% for k, v in {'a': 1, 'b': 2} %}{{ k }}={{ v }};{% endfor %}", "a=1;b=2;"],
    ["{% for i, v in ['x', 'y'] %}{{ i }}:{{ v }} {% endfor %}", "0:x 1:y "],
    ["{% for i in range(1, 3) %}{{ i }}{% endfor %}", "123"],
    ["{% for i in range(0, 10, 5) %}{{ i }},{% endfor %}", "0,5,10,"],
    ["{% for row in [[1, 2], [3]] %}[{% for c in row %}{{ c }}{% endfor %}]{% endfor %}", "[12][3]"],
    [
      "{% for x in inputs.items %}{% for y in list %}{{ loop.index }}{% endfor %}|{{ loop.index }} {% endfor %}",
      "012|0 012|1 012|2 ",
    ],
    ["{% for x in ['a'] %}{{ x }}{% endfor %}{{ x ?? 'gone' }}", "agone"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("rejects iterating over a string", () => {
    expect(err("{% for c in 'abc' %}{{ c }}{% endfor %}").message).toContain("Not an iterable object");
  });
});

describe("set", () => {
  it.each([
    ["{% set x = 5 %}{{ x * 2 }}", "10"],
    ["{% set s = 'a' ~ inputs.name %}{{ s }}", "aworld"],
    ["{% set inputs = 'shadowed' %}{{ inputs }}", "shadowed"],
    ["{% set total = 0 %}{% for i in list %}{% set total = total + i %}{% endfor %}{{ total }}", "6"],
    ["{% for i in list %}{% set last = i %}{% endfor %}{{ last ?? 'scoped' }}", "scoped"],
    ["{% set m = {'a': [1, 2]} %}{{ m.a[1] }}", "2"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("never writes into the caller's context", () => {
    const c = { inputs: { name: "n" } };
    r("{% set inputs = 1 %}{% set extra = 2 %}", c);
    expect(c).toEqual({ inputs: { name: "n" } });
  });
});

describe("filter tag", () => {
  it.each([
    ["{% filter upper %}hello {{ inputs.name }}{% endfilter %}", "HELLO WORLD"],
    ["{% filter lower | title %}hello WORLD{% endfilter %}", "Hello World"],
    ["{% filter replace({'a': 'o'}) %}banana{% endfilter %}", "bonono"],
    ["{% filter indent(2) %}a\nb{% endfilter %}", "a\n  b"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});
