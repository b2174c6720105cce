import { describe, expect, it } from "vitest";
import { z } from "zod";
import { coerceToSchema } from "../coerce";

describe("coerceToSchema", () => {
  const message = z.object({ message: z.union([z.string(), z.array(z.string())]) });

  it("prints a map given to a string-or-list property, as Kestra renders it (EmptyVariablesTest)", () => {
    expect(coerceToSchema(message, { message: {} })).toEqual({ message: "{}" });
    expect(coerceToSchema(message, { message: { a: "b" } })).toEqual({ message: '{"a":"b"}' });
  });

  it("keeps a value the union accepts, and coerces a list's items", () => {
    expect(coerceToSchema(message, { message: ["a", "b"] })).toEqual({ message: ["a", "b"] });
    expect(coerceToSchema(message, { message: "text" })).toEqual({ message: "text" });
    expect(coerceToSchema(message, { message: [1, { a: 1 }] })).toEqual({ message: ["1", '{"a":1}'] });
  });
});
