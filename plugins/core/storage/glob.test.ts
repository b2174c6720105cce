import { describe, expect, it } from "vitest";
import { globMatcher, globToRegExp } from "./glob";

describe("Java-style globs", () => {
  it.each([
    ["*.txt", "a.txt", true],
    ["*.txt", "dir/a.txt", false],
    ["**.txt", "a.txt", true],
    ["**.txt", "x/y/a.txt", true],
    ["**/*.txt", "x/a.txt", true],
    ["**/*.txt", "a.txt", false],
    ["dir/**", "dir/a/b", true],
    ["dir/**", "dir", false],
    ["?.csv", "a.csv", true],
    ["?.csv", "ab.csv", false],
    ["{a,b}.py", "b.py", true],
    ["{a,b}.py", "c.py", false],
    ["[a-c]x", "bx", true],
    ["[!a-c]x", "dx", true],
    ["[!a-c]x", "ax", false],
    ["*", ".hidden", true],
    ["glob:**/dbt/**", "x/dbt/y.sql", true],
    ["/scripts/main.py", "scripts/main.py", true],
    ["a+b(1).txt", "a+b(1).txt", true],
    ["\\*.txt", "*.txt", true],
    ["\\*.txt", "a.txt", false],
    ["a[/b]c", "a/c", false],
    ["a[!-0]c", "a/c", false],
    ["a[.-0]c", "a/c", false],
    ["a[.-0]c", "a0c", true],
    ["[]]x", "]x", true],
  ])("%s on %s is %s", (pattern, path, expected) => {
    expect(globMatcher([pattern])(path)).toBe(expected);
  });

  it("refuses broken patterns", () => {
    expect(() => globToRegExp("{a,b")).toThrow("{ without }");
    expect(() => globToRegExp("[abc")).toThrow("[ without ]");
  });

  it("matches in linear time: `**a**a...b` does not backtrack", () => {
    const pattern = `${"**a".repeat(20)}**b`;
    expect(globMatcher([pattern])("a".repeat(5_000))).toBe(false);
  });

  it("matches nothing without patterns", () => {
    expect(globMatcher([])("a")).toBe(false);
  });
});
