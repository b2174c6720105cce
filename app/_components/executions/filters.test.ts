import { describe, expect, it } from "vitest";
import { readParams, toFilter, writeParams } from "./filters";

describe("executions list filters", () => {
  it("reads, writes and sends the kind filter; an unknown kind is dropped (the list's default: all but LOOP)", () => {
    const params = readParams(new URLSearchParams("parentId=abc&kind=LOOP&range=all"));
    expect(params.kind).toBe("LOOP");
    expect(writeParams(params)).toBe("?range=all&parentId=abc&kind=LOOP");
    expect(toFilter(params, 0)).toEqual({ parentId: "abc", kind: "LOOP" });
    const unknown = readParams(new URLSearchParams("kind=SOMETHING"));
    expect(unknown.kind).toBe("");
    expect(toFilter(unknown, 0)).not.toHaveProperty("kind");
  });
});
