import { describe, expect, it } from "vitest";
import { EXPRESSION_FUNCTIONS } from "@/engine/expr";
import { RUNTIME_FUNCTION_NAMES } from "@/worker/expression-functions";
import { editorCatalog } from "./editor-catalog";

describe("the editor catalog's functions", () => {
  it("are the pure ones and every one a run adds, as the worker declares them (subflow, isPublicHoliday...)", () => {
    const { functions } = editorCatalog();
    expect(functions).toEqual([...new Set([...EXPRESSION_FUNCTIONS, ...RUNTIME_FUNCTION_NAMES])].sort());
    expect(functions).toContain("subflow");
    expect(functions).toContain("isPublicHoliday");
  });
});
