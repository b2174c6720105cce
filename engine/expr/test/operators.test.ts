import { describe, expect, it } from "vitest";
import { err, r, t } from "./helpers";

describe("arithmetic (Long stays Long, Double wins)", () => {
  it.each([
    ["{{ 1 + 2 }}", "3"],
    ["{{ 10 / 4 }}", "2"],
    ["{{ 10 / 4.0 }}", "2.5"],
    ["{{ 10.0 / 4 }}", "2.5"],
    ["{{ -7 / 2 }}", "-3"],
    ["{{ 7 % 3 }}", "1"],
    ["{{ -7 % 3 }}", "-1"],
    ["{{ 7.5 % 2 }}", "1.5"],
    ["{{ 2.5 * 2 }}", "5.0"],
    ["{{ 0.1 + 0.2 }}", "0.30000000000000004"],
    ["{{ 3 - 5 }}", "-2"],
    ["{{ inputs.f * 2 }}", "5.0"],
    ["{{ inputs.n * inputs.n }}", "9"],
    ["{{ 1 / 3.0 }}", "0.3333333333333333"],
    ["{{ 0.00001 }}", "1.0E-5"],
    ["{{ 100000000.5 }}", "1.000000005E8"],
    ["{{ 0.00001 * 1 }}", "1.0E-5"],
    ["{{ 1 / 0.0 }}", "Infinity"],
    ["{{ -inputs.n }}", "-3"],
    ["{{ +inputs.n }}", "3"],
    ["{{ outputs.waitfor.iterationCount + 1 }}", "3"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("keeps the Double-ness of a variable set from a double", () => {
    expect(r("{% set x = 4.0 %}{{ 10 / x }}")).toBe("2.5");
  });

  it("returns plain numbers from typed rendering", () => {
    expect(t("{{ 2.5 * 2 }}")).toBe(5);
    expect(t("{{ 10 / 4 }}")).toBe(2);
  });

  it.each([
    ["{{ 1 / 0 }}", "/ by zero"],
    ["{{ 1 % 0 }}", "/ by zero"],
    ["{{ 'a' * 2 }}", "invalid operands for mathematical operation [MULTIPLICATION]"],
    ["{{ true + 1 }}", "invalid operands for mathematical operation [ADD]"],
    ["{{ null - 1 }}", "invalid operands for mathematical operation [SUBTRACT]"],
    ["{{ -'a' }}", "invalid operands for mathematical operation [MULTIPLICATION]"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl).message).toContain(message);
  });
});

describe("+ and ~ on strings and lists", () => {
  it.each([
    ["{{ 'a' + 'b' }}", "ab"],
    ["{{ 'a' + 1 }}", "a1"],
    ["{{ 1 + 'a' }}", "1a"],
    ["{{ 'a' + null }}", "anull"],
    ["{{ 'x' + 2.0 }}", "x2.0"],
    ["{{ 'v' + [1, 2] }}", "v[1, 2]"],
    ["{{ 'a' ~ 'b' }}", "ab"],
    ["{{ 'a' ~ null ~ 'b' }}", "ab"],
    ["{{ 1 ~ 2 }}", "12"],
    ["{{ 'x' ~ true }}", "xtrue"],
    ["{{ 'm' ~ {'a': 1} }}", "m{a=1}"],
    ["{{ [1, 2] + 3 }}", "[1,2,3]"],
    ["{{ [1, 2] + [3, 4] }}", "[1,2,3,4]"],
    ["{{ [1, 2, 3, 2] - 2 }}", "[1,3,2]"],
    ["{{ [1, 2, 3] - [1, 3] }}", "[2]"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("does not mutate a list from the context", () => {
    const c = { l: [1, 2] };
    expect(r("{{ l + 3 }}{{ l }}", c)).toBe("[1,2,3][1,2]");
    expect(c.l).toEqual([1, 2]);
  });
});

describe("comparisons", () => {
  it.each([
    ["{{ 1 == 1 }}", "true"],
    ["{{ 1 == 1.0 }}", "true"],
    ["{{ 1 equals 1 }}", "true"],
    ["{{ 'a' == 'a' }}", "true"],
    ["{{ '1' == 1 }}", "false"],
    ["{{ null == null }}", "true"],
    ["{{ nothing == null }}", "true"],
    ["{{ [1, 2] == [1, 2] }}", "true"],
    ["{{ {'a': 1} == {'a': 1} }}", "true"],
    ["{{ {'a': 1} == {'a': 2} }}", "false"],
    ["{{ 1 != 2 }}", "true"],
    ["{{ true != false }}", "true"],
    ["{{ 2 > 1 }}", "true"],
    ["{{ 2 >= 2 }}", "true"],
    ["{{ 1 < 1.5 }}", "true"],
    ["{{ 3 <= 2 }}", "false"],
    ["{{ 'b' > 'a' }}", "true"],
    ["{{ 'apple' < 'banana' }}", "true"],
    ["{{ 'B' < 'a' }}", "true"],
    ["{{ null > 1 }}", "false"],
    ["{{ 1 < null }}", "false"],
    ["{{ inputs.failed == false }}", "false"],
    ["{{ outputs.output_values.values.count != '4' }}", "false"],
    ["{{ taskrun.attemptsCount == 3 }}", "true"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, { ...ctxWithFailed() })).toBe(expected);
  });

  it.each([["{{ 'a' > 1 }}"], ["{{ true < false }}"], ["{{ [1] > [0] }}"]])("%j is a type error", (tpl) => {
    expect(err(tpl).message).toContain("Could not perform");
  });
});

function ctxWithFailed() {
  return {
    inputs: { failed: true },
    outputs: { output_values: { values: { count: "4" } } },
    taskrun: { attemptsCount: 3 },
    nothing: null,
  };
}

describe("logic", () => {
  it.each([
    ["{{ true and true }}", "true"],
    ["{{ true and false }}", "false"],
    ["{{ false or true }}", "true"],
    ["{{ not true }}", "false"],
    ["{{ not inputs.no }}", "true"],
    ["{{ false and ko }}", "false"],
    ["{{ true or ko }}", "true"],
    ["{{ 1 and 'x' }}", "true"],
    ["{{ 0 or '' }}", "false"],
    ["{{ 'false' and true }}", "true"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it.each([
    ["{{ nothing and true }}", "null value used in and operator"],
    ["{{ false or nothing }}", "null value used in or operator"],
    ["{{ not nothing }}", "null value used in not operator"],
    ["{{ [1] and true }}", "Wrong operand(s) type"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl).message).toContain(message);
  });
});

describe("contains, in, isIn, notIn", () => {
  it.each([
    ["{{ [1, 2, 3] contains 2 }}", "true"],
    ["{{ [1, 2, 3] contains 4 }}", "false"],
    ["{{ ['apple', 'pear', 'banana', 'peach'] contains ['apple', 'peach'] }}", "true"],
    ["{{ ['apple'] contains ['apple', 'kiwi'] }}", "false"],
    ["{{ {'apple': 'red', 'banana': 'yellow'} contains 'banana' }}", "true"],
    ["{{ {'apple': 'red'} contains 'red' }}", "false"],
    ["{{ 'hello world' contains 'o w' }}", "true"],
    ["{{ nothing contains 'x' }}", "false"],
    ["{{ 'SUCCESS' isIn ['SUCCESS', 'KILLED'] }}", "true"],
    ["{{ 'FAILED' isIn ['SUCCESS', 'KILLED'] }}", "false"],
    ["{{ 'b' in ['a', 'b'] }}", "true"],
    ["{{ 1 in ['1', '2'] }}", "true"],
    ["{{ 'k' in {'k': 'v'} }}", "true"],
    ["{{ 'v' in {'k': 'v'} }}", "true"],
    ["{{ null in [null] }}", "false"],
    ["{{ 'x' notIn ['a'] }}", "true"],
    ["{{ 'a' not in ['a'] }}", "false"],
    ["{{ 'a' in 'abc' }}", "false"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("rejects contains on a number", () => {
    expect(err("{{ 5 contains 1 }}").message).toContain("Contains operator can only be used on Collections");
  });
});

describe("ranges", () => {
  it.each([
    ["{{ 1..5 }}", "[1,2,3,4,5]"],
    ["{{ 3..1 }}", "[]"],
    ["{{ 'a'..'e' }}", '["a","b","c","d","e"]'],
    ["{% for i in 0..2 %}{{ i }}{% endfor %}", "012"],
    ["{{ range(5, 1, -2) }}", "[5,3,1]"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });
});

describe("ternary", () => {
  it.each([
    ["{{ true ? 'yes' : 'no' }}", "yes"],
    ["{{ false ? 'yes' : 'no' }}", "no"],
    ["{{ nothing ? 'yes' : 'no' }}", "no"],
    ["{{ 0 ? 'yes' : 'no' }}", "no"],
    ["{{ 2 ? 'yes' : 'no' }}", "yes"],
    ["{{ '' ? 'yes' : 'no' }}", "no"],
    ["{{ 'false' ? 'yes' : 'no' }}", "yes"],
    ["{{ parent.taskrun.value == 'value 1' ? 'ok' : ko }}", "ok"],
    ["{{ taskrun.attemptsCount == 1 ? ko : 'ok' }}", "ok"],
  ])("%j renders %j (the branch not taken is never evaluated)", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("evaluates the taken branch strictly", () => {
    expect(err("{{ taskrun.attemptsCount == 1 ? 'ok' : ko }}").message).toContain("Missing variable: 'ko'");
  });

  it("rejects a list as condition", () => {
    expect(err("{{ [1] ? 1 : 2 }}").message).toContain("Wrong operand(s) type");
  });
});
