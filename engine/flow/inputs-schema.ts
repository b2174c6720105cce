import { z } from "zod";

/** Input ids may contain dots: `nested.string` is read as `inputs.nested.string`. */
export const INPUT_ID = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

export const INPUT_TYPES = [
  "STRING",
  "ENUM",
  "SELECT",
  "MULTISELECT",
  "INT",
  "FLOAT",
  "BOOLEAN",
  "BOOL",
  "DATETIME",
  "DATE",
  "TIME",
  "DURATION",
  "FILE",
  "JSON",
  "YAML",
  "URI",
  "EMAIL",
  "SECRET",
  "ARRAY",
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** Item types an ARRAY or MULTISELECT input may hold. */
const ITEM_TYPES = [
  "STRING",
  "INT",
  "FLOAT",
  "BOOLEAN",
  "BOOL",
  "DATETIME",
  "DATE",
  "TIME",
  "DURATION",
  "JSON",
  "URI",
  "EMAIL",
] as const;

const common = {
  id: z
    .string()
    .regex(INPUT_ID, "input id must start with a letter or digit (dots allowed for nesting)")
    .optional(),
  name: z.string().regex(INPUT_ID).optional().describe("Deprecated alias of id."),
  description: z.string().optional(),
  displayName: z.string().optional(),
  required: z.boolean().default(true).describe("A required input without defaults must be given at launch."),
  defaults: z.unknown().optional().describe("Value used when none is given (may be an expression)."),
  prefill: z.unknown().optional().describe("Suggested value shown in the launch form (not a default)."),
  dependsOn: z
    .strictObject({
      inputs: z.array(z.string()).default([]),
      condition: z.string().optional(),
    })
    .optional()
    .describe("Show and validate this input only when the condition over other inputs holds."),
};

const minMaxNumber = { min: z.number().optional(), max: z.number().optional() };
const afterBefore = { after: z.string().optional(), before: z.string().optional() };
const scalarValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
/** Choices: plain values, or `{ label, value }` (Kestra 2.0) where the form shows the label and the input holds the value. */
const valuesList = z.array(z.union([scalarValue, z.strictObject({ label: z.string(), value: scalarValue })]));

/** The value of a choice (a plain value, or the `value` of `{ label, value }`). */
export function choiceValue(choice: string | { label: string; value: string }): string {
  return typeof choice === "string" ? choice : choice.value;
}

/** Why a JSON Schema cannot be used for validation, or undefined when it can. */
function jsonSchemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    z.fromJSONSchema(schema as never);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Validates a value against an input's JSON Schema: the first problem, or undefined when it conforms. */
export function jsonSchemaViolation(schema: Record<string, unknown>, value: unknown): string | undefined {
  const result = z.fromJSONSchema(schema as never).safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  return `does not match its jsonSchema${at}: ${issue?.message ?? "invalid"}`;
}

function input<T extends InputType, S extends z.ZodRawShape>(type: T, shape: S, description: string) {
  return z.strictObject({ type: z.literal(type), ...common, ...shape }).describe(description);
}

export const inputSchema = z
  .discriminatedUnion("type", [
    input(
      "STRING",
      { validator: z.string().optional().describe("Regular expression the whole value must match.") },
      "A string.",
    ),
    input("ENUM", { values: valuesList.min(1) }, "Deprecated: use SELECT."),
    input(
      "SELECT",
      {
        values: valuesList.optional(),
        expression: z.string().optional().describe("Expression rendering the list of values."),
        allowCustomValue: z.boolean().default(false),
        isRadio: z.boolean().default(false),
      },
      "One value out of a list.",
    ),
    input(
      "MULTISELECT",
      {
        values: valuesList.optional(),
        options: valuesList.optional().describe("Deprecated alias of values."),
        expression: z.string().optional(),
        itemType: z.enum(ITEM_TYPES).default("STRING"),
        allowCustomValue: z.boolean().default(false),
      },
      "Several values out of a list.",
    ),
    input("INT", { min: z.number().int().optional(), max: z.number().int().optional() }, "An integer."),
    input("FLOAT", minMaxNumber, "A number."),
    input("BOOLEAN", {}, "true or false."),
    input("BOOL", {}, "true or false."),
    input("DATETIME", afterBefore, "An ISO-8601 instant, e.g. 2024-01-31T10:00:00Z."),
    input("DATE", afterBefore, "An ISO-8601 date, e.g. 2024-01-31."),
    input("TIME", afterBefore, "A time of day, e.g. 10:30:00."),
    input(
      "DURATION",
      { min: z.string().optional(), max: z.string().optional() },
      "An ISO-8601 duration, e.g. PT5M.",
    ),
    input(
      "FILE",
      {
        extension: z.string().optional().describe("Extension given to the stored file (default .upl)."),
        allowedFileExtensions: z.array(z.string()).optional(),
      },
      "A file, uploaded to internal storage; the input holds its kestra:// URI.",
    ),
    input(
      "JSON",
      {
        jsonSchema: z
          .record(z.string(), z.unknown())
          .optional()
          .describe("JSON Schema the value must satisfy (Kestra 2.0)."),
      },
      "A JSON document, parsed.",
    ),
    input("YAML", {}, "A YAML document, parsed."),
    input("URI", {}, "A URI."),
    input("EMAIL", {}, "An email address."),
    input("SECRET", { validator: z.string().optional() }, "A secret string, masked in logs."),
    input("ARRAY", { itemType: z.enum(ITEM_TYPES) }, "A list of items of one type."),
  ])
  .superRefine((value, ctx) => {
    if (!value.id && !value.name)
      ctx.addIssue({ code: "custom", message: "an input needs an id", path: ["id"] });
    if (value.id && value.name)
      ctx.addIssue({ code: "custom", message: "set id or name, not both", path: ["name"] });
    if (value.defaults !== undefined && value.prefill !== undefined)
      ctx.addIssue({
        code: "custom",
        message:
          "an input cannot have both defaults and prefill: defaults is the value, prefill only a suggestion",
        path: ["prefill"],
      });
    if (value.type === "JSON" && value.jsonSchema) {
      const problem = jsonSchemaProblem(value.jsonSchema);
      if (problem)
        ctx.addIssue({ code: "custom", message: `invalid jsonSchema: ${problem}`, path: ["jsonSchema"] });
    }
  })
  .transform(({ name, ...rest }) => ({ ...rest, id: (rest.id ?? name) as string }));

export type Input = z.output<typeof inputSchema>;

export const flowOutputSchema = z
  .strictObject({
    id: z.string().regex(INPUT_ID, "output id must start with a letter or digit"),
    type: z.enum(INPUT_TYPES).default("STRING"),
    value: z.unknown().describe("Expression rendered when the execution ends."),
    description: z.string().optional(),
    displayName: z.string().optional(),
    required: z.boolean().optional(),
  })
  .describe("A flow output, rendered at the end of the execution.");

export type FlowOutput = z.output<typeof flowOutputSchema>;
