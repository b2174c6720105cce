import { describe, expect, it } from "vitest";
import { decimalFormat } from "../decimal-format";
import { err, r, t } from "./helpers";

describe("number filters", () => {
  it.each([
    ["{{ -7 | abs }}", "7"],
    ["{{ -2.5 | abs }}", "2.5"],
    ["{{ '12' | number }}", "12"],
    ["{{ '12.3' | number }}", "12.3"],
    ["{{ '12.0' | number }}", "12.0"],
    ["{{ '0x1F' | number }}", "31"],
    ["{{ '12' | number('DOUBLE') }}", "12.0"],
    ["{{ '12' | number('INT') + 1 }}", "13"],
    ["{{ '10' | number / 4 }}", "2"],
    ["{{ '10' | number('FLOAT') / 4 }}", "2.5"],
    ["{{ '12.3' | number | className }}", "java.lang.Double"],
    ["{{ 'x' | className }}", "java.lang.String"],
    ["{{ [1] | className }}", "java.util.ArrayList"],
    ["{{ 123 | string }}", "123"],
    ["{{ '1.50' | string }}", "1.50"],
    ["{{ '1e3' | string }}", "1E+3"],
    ["{{ '007' | string }}", "7"],
    ["{{ 3.141592653 | numberFormat('#.##') }}", "3.14"],
    ["{{ 1234567.891 | numberFormat('#,##0.00') }}", "1,234,567.89"],
    ["{{ 0.5 | numberFormat('#.##') }}", ".5"],
    ["{{ 0.5 | numberFormat('0.00') }}", "0.50"],
    ["{{ 0.256 | numberFormat('0.0%') }}", "25.6%"],
    ["{{ 42 | numberFormat('000000') }}", "000042"],
    ["{{ -3.5 | numberFormat('#') }}", "-4"],
    ["{{ 2.5 | numberformat('#') }}", "2"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("returns typed numbers", () => {
    expect(t("{{ '42' | number }}")).toBe(42);
    expect(t("{{ '4.5' | number('DOUBLE') }}")).toBe(4.5);
  });

  it.each([
    [0.125, "#.##", ".12"],
    [0.135, "#.##", ".14"],
    [2.5, "0", "2"],
    [3.5, "0", "4"],
    [1e21, "#,###", "1,000,000,000,000,000,000,000"],
    [0, "#.##", "0"],
    [-0.001, "#.##", "0"],
    [1234.5, "'USD' #,##0.00", "USD 1,234.50"],
  ])("decimalFormat(%d, %j) is %j (HALF_EVEN)", (value, pattern, expected) => {
    expect(decimalFormat(value, pattern)).toBe(expected);
  });

  it.each([
    ["{{ 12 | number }}", "'number' filter can only be applied to String"],
    ["{{ 'abc' | number }}", "is not a valid number"],
    ["{{ '1.5' | number('INT') }}", 'For input string: "1.5"'],
    ["{{ '1' | number('BYTE') }}", "Unknown number type"],
    ["{{ 'x' | abs }}", "expects a number"],
    ["{{ 'x' | string }}", "'string' filter expects a valid number"],
    ["{{ 1 | numberFormat('0.0E0') }}", "Exponent patterns are not supported"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl).message).toContain(message);
  });
});
