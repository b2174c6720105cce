import { describe, expect, it } from "vitest";
import { ExpressionError } from "../index";
import { ctx, err, r, t } from "./helpers";

describe("strict variables", () => {
  it.each([
    ["{{ ko }}", "Missing variable: 'ko' on '{{ ko }}' at line 1"],
    ["{{ outputs.notexists }}", "Missing variable: 'notexists'"],
    ["{{ outputs.notexists == 2 }}", "Missing variable: 'notexists'"],
    ["{{ outputs.t1.nope }}", "Missing variable: 'nope'"],
    ["{{ nothing.field }}", "Missing variable: 'field'"],
    ["{{ outputs.nullish.value.x }}", "Missing variable: 'x'"],
    ["{{ list[3] }}", "Missing variable: '3'"],
    ["{{ list[-1] }}", "Missing variable: '-1'"],
    ["{{ inputs.name.length.x }}", "Missing variable: 'x'"],
    ["{{ inputs.obj['zz'] }}", "Missing variable: 'zz'"],
    ["text\n{{ missing }}", "at line 2"],
  ])("%j fails with %j", (tpl, message) => {
    const e = err(tpl);
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.message).toContain(message);
  });

  it("reports the position of the missing name", () => {
    const e = err("ab\ncd {{ inputs.name ~ outputs.zz }}");
    expect(e.line).toBe(2);
    expect(e.column).toBe(29);
  });

  it("reads keys with dashes through subscripts", () => {
    expect(r("{{ outputs['error-t1'].value }} {{ inputs['from-parent'] }}")).toBe("err fp");
  });

  it("treats a dash in a dotted name as subtraction (like Pebble)", () => {
    expect(err("{{ outputs.error-t1.value }}").message).toContain("Missing variable: 'error'");
  });

  it.each([
    ["{{ inputs.items.size }}", "3"],
    ["{{ inputs.items.empty }}", "false"],
    ["{{ inputs.name.length }}", "5"],
    ["{{ list[0] }}", "1"],
    ["{{ list['1'] }}", "2"],
    ["{{ inputs.obj.c[1] }}", "2"],
    ["{{ inputs.obj['d']['e'] }}", "deep"],
  ])("%j renders %j (Pebble's list/string members)", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("does not fall back to size() on maps", () => {
    expect(err("{{ inputs.obj.size }}").message).toContain("Missing variable: 'size'");
  });
});

describe("?? and ???", () => {
  it.each([
    ["{{ outputs.x ?? 'd' }}", "d"],
    ["{{ outputs.x.value ?? 'd' }}", "d"],
    ["{{ ko ?? 'd' }}", "d"],
    ["{{ nothing ?? 'd' }}", "d"],
    ["{{ outputs.nullish.value ?? 'd' }}", "d"],
    ["{{ inputs.name ?? 'd' }}", "world"],
    ["{{ inputs.zero ?? 'd' }}", "0"],
    ["{{ inputs.empty ?? 'd' }}", ""],
    ["{{ inputs.no ?? 'd' }}", "false"],
    ["{{ a ?? b ?? 'last' }}", "last"],
    ["{{ outputs.default.value ?? outputs['error-t1'].value }}", "err"],
    ["{{ missing ??? 'd' }}", "d"],
    ["{{ outputs.x.y ??? 'd' }}", "d"],
    ["{{ nothing ??? 'd' }}", ""],
    ["{{ outputs.nullish.value ??? 'd' }}", ""],
    ["{{ inputs.n ??? 'd' }}", "3"],
    ["{{ (nothing ??? 'd') == null }}", "true"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("keeps the typed null of ??? on a defined null", () => {
    expect(t("{{ nothing ??? 'd' }}")).toBeNull();
    expect(t("{{ outputs.x ?? null }}")).toBeNull();
  });

  it("raises when every operand is undefined (Kestra's `?? raise` idiom)", () => {
    expect(err("{{ foo ?? bar ?? raise }}").message).toContain("Missing variable: 'raise'");
  });

  it("does not swallow errors that are not about undefined variables", () => {
    expect(err("{{ (1 / 0) ?? 'd' }}").message).toContain("/ by zero");
    expect(err("{{ ('a' * 2) ??? 'd' }}").message).toContain("invalid operands");
  });
});

describe("default filter and defined tests", () => {
  it.each([
    ["{{ ko | default('d') }}", "d"],
    ["{{ outputs.x.y | default('d') }}", "d"],
    ["{{ nothing | default('d') }}", "d"],
    ["{{ inputs.empty | default('d') }}", "d"],
    ["{{ '   ' | default('d') }}", "d"],
    ["{{ [] | default('d') }}", "d"],
    ["{{ {} | default('d') }}", "d"],
    ["{{ inputs.zero | default('d') }}", "0"],
    ["{{ inputs.no | default('d') }}", "false"],
    ["{{ inputs.name | default('d') }}", "world"],
    ["{{ ko is defined }}", "false"],
    ["{{ ko is not defined }}", "true"],
    ["{{ inputs.name is defined }}", "true"],
    ["{{ outputs.x.y.z is defined }}", "false"],
    ["{{ nothing is defined }}", "false"],
    ["{{ inputs.zero is defined }}", "true"],
    ["{% if missing is not defined %}absent{% endif %}", "absent"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("keeps other tests strict", () => {
    expect(err("{{ ko is null }}").message).toContain("Missing variable: 'ko'");
    expect(err("{{ ko is empty }}").message).toContain("Missing variable: 'ko'");
  });
});

describe("messages are ExpressionError only", () => {
  it("never throws anything else for runtime failures", () => {
    for (const tpl of ["{{ 1 / 0 }}", "{{ ko }}", "{{ [1] | date }}", "{{ 'x' | number }}", "{{ f() }}"]) {
      expect(() => r(tpl, ctx())).toThrow(ExpressionError);
    }
  });
});
