import { describe, expect, it } from "vitest";
import { cloneData } from "./clone-data";

describe("cloneData", () => {
  it("copies objects and arrays deeply, keeping undefined values and primitives", () => {
    const source = { a: [1, { b: "x", c: undefined }], d: null, e: true, f: { g: [[2]] } };
    const copy = cloneData(source);
    expect(copy).toStrictEqual(source);
    expect(copy).not.toBe(source);
    expect(copy.a).not.toBe(source.a);
    expect(copy.a[1]).not.toBe(source.a[1]);
    expect(copy.f.g[0]).not.toBe(source.f.g[0]);
    expect("c" in (copy.a[1] as object)).toBe(true);
  });

  it("copies what is not plain data (a Date, a Map) as structuredClone does", () => {
    const date = new Date("2026-12-08T00:00:00Z");
    const source = { when: date, seen: new Map([["k", 1]]) };
    const copy = cloneData(source);
    expect(copy.when).toBeInstanceOf(Date);
    expect(copy.when).not.toBe(date);
    expect(copy.when.getTime()).toBe(date.getTime());
    expect(copy.seen.get("k")).toBe(1);
  });

  it("leaves the source unchanged when the copy changes", () => {
    const source = { runs: [{ state: { current: "RUNNING" } }] };
    const copy = cloneData(source);
    (copy.runs[0] as { state: { current: string } }).state.current = "SUCCESS";
    expect(source.runs[0]?.state.current).toBe("RUNNING");
  });
});
