import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputValidationError } from "@/engine/executor";
import { harness, runOf } from "@/engine/executor/test/harness";
import { flowPath } from "./corpus";

/** The inputs.yaml api case: every input type parses and validates; bad values create no execution. */
describe("conformance: inputs.yaml", () => {
  const valid = {
    string: "myString",
    enum: "ENUM_VALUE",
    int: "42",
    float: "42.42",
    instant: "2019-10-06T18:27:49Z",
    file: "kestra:///io/kestra/tests/inputs/executions/x/inputs/file/application.yml",
    secret: "a-secret",
    array: "[1, 2, 3]",
    "nested.string": "a string",
    "nested.more.int": "123",
    validatedString: "A123",
    validatedInt: "12",
    validatedDate: "2023-06-01",
    validatedDateTime: "2023-06-01T00:00:00Z",
    validatedDuration: "PT15S",
    validatedFloat: "0.42",
    validatedTime: "11:27:49",
    json: '{"a":"b"}',
    uri: "https://kestra.io",
  };

  it("runs with every input type parsed to its type, defaults filled in", async () => {
    const h = harness();
    const flow = h.load(readFileSync(flowPath("inputs.yaml"), "utf8"));
    const execution = await h.run(flow, valid);
    expect(execution.state.current).toBe("SUCCESS");
    expect(execution.inputs).toMatchObject({
      string: "myString",
      int: 42,
      float: 42.42,
      instant: "2019-10-06T18:27:49Z",
      instantDefaults: "2013-08-09T14:19:00Z",
      array: [1, 2, 3],
      json: { a: "b" },
      nested: { string: "a string", more: { int: 123 } },
      yaml: {
        property: "something",
        list: [
          { key: "key1", value: "value1" },
          { key: "key2", value: "value2" },
        ],
      },
      empty: "",
      optional: null,
    });
    expect(runOf(execution, "jsonOutput").outputs?.value).toBe('{"a":"b"}');
    expect(execution.taskRunList.filter((r) => r.taskId === "log").map((r) => r.value)).toEqual([
      "1",
      "2",
      "3",
    ]);
  });

  it.each([
    ["int", "not-a-number", "'not-a-number' is not an integer"],
    [
      "instant",
      "2019-10-06",
      "'2019-10-06' is not a date-time (ISO-8601 with a zone, e.g. 2024-01-31T10:00:00Z)",
    ],
    ["validatedString", "B123", "does not match the pattern 'A\\d+'"],
    ["validatedInt", "21", "must be less than or equal to 20"],
    ["validatedDate", "2024-01-01", "must be before 2023-12-31"],
    ["validatedDateTime", "2022-12-31T00:00:00Z", "must be after 2023-01-01T00:00:00Z"],
    ["validatedDuration", "PT5S", "must be at least PT10S"],
    ["validatedFloat", "0.6", "must be less than or equal to 0.5"],
    ["validatedTime", "12:00:00", "must be before 11:59:59"],
    ["enum", "NOPE", "'NOPE' is not one of ENUM_VALUE, OTHER_ONE"],
    ["array", '[1, "x"]', "item 1: 'x' is not an integer"],
    ["string", undefined, "missing required input"],
  ])("refuses %s = %j (%s) and creates no execution", async (input, value, message) => {
    const h = harness();
    const flow = h.load(readFileSync(flowPath("inputs.yaml"), "utf8"));
    const inputs: Record<string, unknown> = { ...valid, [input]: value };
    const error = await h.engine.start(flow, { inputs }).catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).errors).toEqual([{ input, message }]);
    expect(h.engine.executions.size).toBe(0);
  });
});
