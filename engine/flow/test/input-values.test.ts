import { describe, expect, it } from "vitest";
import { coerceInputValue } from "../input-values";
import { type Input, inputSchema } from "../inputs-schema";

const input = (spec: Record<string, unknown>): Input => inputSchema.parse({ id: "x", ...spec });
const ok = (spec: Record<string, unknown>, value: unknown) => {
  const result = coerceInputValue(input(spec), value);
  if (!result.ok) throw new Error(result.message);
  return result.value;
};
const error = (spec: Record<string, unknown>, value: unknown) => {
  const result = coerceInputValue(input(spec), value);
  return result.ok ? undefined : result.message;
};

describe("input values", () => {
  it.each([
    [{ type: "STRING" }, 12, "12"],
    [{ type: "STRING" }, { a: 1 }, '{"a":1}'],
    [{ type: "INT" }, "42", 42],
    [{ type: "INT" }, " -7 ", -7],
    [{ type: "FLOAT" }, "0.25", 0.25],
    [{ type: "BOOLEAN" }, "TRUE", true],
    [{ type: "BOOL" }, "false", false],
    [{ type: "DATETIME" }, "2013-08-09T14:19:00Z", "2013-08-09T14:19:00Z"],
    [{ type: "DATETIME" }, "2013-08-09T16:19:00+02:00", "2013-08-09T14:19:00Z"],
    [{ type: "DATETIME" }, "2013-08-09T14:19:00.123Z", "2013-08-09T14:19:00.123Z"],
    [{ type: "DATE" }, "2024-02-29", "2024-02-29"],
    [{ type: "TIME" }, "10:30", "10:30"],
    [{ type: "DURATION" }, "pt5m", "PT5M"],
    [{ type: "JSON" }, '{"a":[1,2]}', { a: [1, 2] }],
    [{ type: "YAML" }, "a: 1\nb: [x]", { a: 1, b: ["x"] }],
    [{ type: "URI" }, "https://example.com/a?b=c", "https://example.com/a?b=c"],
    [{ type: "EMAIL" }, "ada@example.com", "ada@example.com"],
    [{ type: "SECRET" }, "s3cr3t", "s3cr3t"],
    [{ type: "ARRAY", itemType: "INT" }, "[1, 2, 3]", [1, 2, 3]],
    [{ type: "ARRAY", itemType: "STRING" }, "a, b", ["a", "b"]],
    [{ type: "SELECT", values: ["A", "B"] }, "B", "B"],
    [{ type: "SELECT", values: ["A"], allowCustomValue: true }, "Z", "Z"],
    [{ type: "MULTISELECT", values: ["A", "B", "C"] }, '["A","C"]', ["A", "C"]],
    [{ type: "ENUM", values: ["ENUM_VALUE", "OTHER_ONE"] }, "OTHER_ONE", "OTHER_ONE"],
    [{ type: "FILE" }, "kestra:///a/b/file.txt", "kestra:///a/b/file.txt"],
    [{ type: "INT", min: 10, max: 20 }, "10", 10],
    [{ type: "STRING", validator: "A\\d+" }, "A123", "A123"],
  ])("%j accepts %j as %j", (spec, value, expected) => {
    expect(ok(spec, value)).toEqual(expected);
  });

  it.each([
    [{ type: "INT" }, "1.5", "'1.5' is not an integer"],
    [{ type: "INT" }, "abc", "'abc' is not an integer"],
    [{ type: "FLOAT" }, "x", "'x' is not a number"],
    [{ type: "BOOLEAN" }, "yes", "'yes' is not a boolean (true or false)"],
    [
      { type: "DATETIME" },
      "2013-08-09",
      "'2013-08-09' is not a date-time (ISO-8601 with a zone, e.g. 2024-01-31T10:00:00Z)",
    ],
    [{ type: "DATE" }, "2023-02-29", "'2023-02-29' is not a date (YYYY-MM-DD)"],
    [{ type: "TIME" }, "25:00", "'25:00' is not a time (HH:mm:ss)"],
    [{ type: "DURATION" }, "5 minutes", "'5 minutes' is not an ISO-8601 duration (e.g. PT5M)"],
    [{ type: "JSON" }, "{oops", expect.stringMatching(/^invalid JSON/)],
    [{ type: "URI" }, "not a uri", "'not a uri' is not a URI"],
    [{ type: "EMAIL" }, "nobody", "'nobody' is not an email address"],
    [{ type: "ARRAY", itemType: "INT" }, '[1, "x"]', "item 1: 'x' is not an integer"],
    [{ type: "SELECT", values: ["A", "B"] }, "C", "'C' is not one of A, B"],
    [{ type: "MULTISELECT", values: ["A"] }, '["A","Q"]', "'Q' is not one of A"],
    [{ type: "FILE" }, "/etc/passwd", "expected an uploaded file (a storage URI)"],
    [{ type: "INT", min: 10, max: 20 }, "21", "must be less than or equal to 20"],
    [{ type: "FLOAT", min: 0.1, max: 0.5 }, "0.05", "must be greater than or equal to 0.1"],
    [{ type: "STRING", validator: "A\\d+" }, "B1", "does not match the pattern 'A\\d+'"],
    [{ type: "STRING", validator: "A\\d+" }, "A1x", "does not match the pattern 'A\\d+'"],
    [{ type: "DATE", after: "2023-01-01", before: "2023-12-31" }, "2024-01-01", "must be before 2023-12-31"],
    [
      { type: "DATETIME", after: "2023-01-01T00:00:00Z" },
      "2022-12-31T23:59:59Z",
      "must be after 2023-01-01T00:00:00Z",
    ],
    [{ type: "TIME", after: "01:00:00", before: "11:59:59" }, "12:00:00", "must be before 11:59:59"],
    [{ type: "DURATION", min: "PT10S", max: "PT20S" }, "PT30S", "must be at most PT20S"],
  ])("%j refuses %j: %s", (spec, value, message) => {
    expect(error(spec, value)).toEqual(message);
  });
});

describe("SELECT and MULTISELECT choices as { label, value } (Kestra 2.0)", () => {
  it("checks the value, not the label", () => {
    const select = inputSchema.parse({
      id: "env",
      type: "SELECT",
      values: [{ label: "Production", value: "prod" }, "dev"],
    });
    expect(coerceInputValue(select, "prod")).toEqual({ ok: true, value: "prod" });
    expect(coerceInputValue(select, "dev")).toEqual({ ok: true, value: "dev" });
    expect(coerceInputValue(select, "Production")).toEqual({
      ok: false,
      message: "'Production' is not one of prod, dev",
    });
    const multi = inputSchema.parse({
      id: "envs",
      type: "MULTISELECT",
      values: [
        { label: "Production", value: "prod" },
        { label: "Staging", value: "stage" },
      ],
    });
    expect(coerceInputValue(multi, ["stage", "prod"])).toEqual({ ok: true, value: ["stage", "prod"] });
  });
});
