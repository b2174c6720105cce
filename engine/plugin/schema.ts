import { z } from "zod";
import type { Task } from "../flow/model";
import { parseDuration } from "../util/duration";

/**
 * Schema building blocks shared by every plugin. Each plugin's properties are one zod schema; these helpers
 * encode the conventions of Kestra's flow language so that validation, the editor's JSON Schema and the docs
 * all come from that one schema.
 */

const TEMPLATE = /\{\{|\{%/;

/** Schemas whose values may be written as expressions rendered at run time (see isDynamic). */
const dynamicSchemas = new WeakSet<z.ZodType>();

/** A string that contains a Pebble expression, rendered at run time. */
export const expression = z.string().regex(TEMPLATE, "expected an expression like {{ ... }}");

/** True when a raw property value will be rendered (it holds `{{` or `{%`). */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && TEMPLATE.test(value);
}

/**
 * A dynamic property: its value may be written literally or as an expression that renders to it.
 * Strings that look like numbers or booleans are coerced, as Kestra's Jackson mapping does after rendering,
 * so `rows: "{{ inputs.batch }}"` validates before rendering and yields a number after.
 * The static type stays the inner one: plugins always see rendered, coerced values.
 */
export function dyn<T extends z.ZodType>(inner: T): T {
  const kind = unwrap(inner).def.type;
  const options: z.ZodType[] = [inner];
  if (kind === "number" || kind === "int") {
    options.push(
      z
        .string()
        .regex(/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/)
        .transform(Number)
        .pipe(inner as unknown as z.ZodType<number, number>),
    );
  } else if (kind === "boolean") {
    options.push(
      z
        .string()
        .regex(/^\s*(true|false)\s*$/i)
        .transform((s) => s.trim().toLowerCase() === "true"),
    );
  }
  if (kind !== "string") {
    const what =
      kind === "number" || kind === "int" ? "a number" : kind === "boolean" ? "true or false" : `a ${kind}`;
    options.push(z.string().regex(TEMPLATE, `expected ${what} or an expression like {{ ... }}`));
  }
  const schema = options.length === 1 ? inner : z.union(options as [z.ZodType, z.ZodType]);
  dynamicSchemas.add(schema);
  return schema as unknown as T;
}

/** True for a schema made with dyn(): its value may be an expression rendered at run time. */
export function isDynamic(schema: z.ZodType): boolean {
  return dynamicSchemas.has(unwrap(schema)) || dynamicSchemas.has(schema);
}

/** An ISO-8601 duration such as `PT30S`; kept as written (the executor converts it). */
export const duration = z
  .string()
  .refine((s) => TEMPLATE.test(s) || parseDuration(s) !== undefined, {
    message: "expected an ISO-8601 duration such as PT30S, PT5M or P1D",
  })
  .meta({ format: "duration", examples: ["PT30S", "PT5M", "PT1H", "P1D"] });
dynamicSchemas.add(duration);

/** Markers for the schemas that hold nested tasks / conditions: the loader validates those recursively. */
const slotKinds = new WeakMap<z.ZodType, "task" | "condition">();

/*
 * The reference schemas accept anything: the flow loader validates each nested item against its own plugin
 * (and reports "expected a task" itself), so a parent's schema must not report the same problem again.
 * In the JSON Schema export they are replaced by the union of the plugins' schemas.
 */
const taskRefSchema = z
  .any()
  .meta({ id: "Task", description: "A task: `id`, `type` and the properties of that type." });
slotKinds.set(taskRefSchema, "task");

/**
 * A reference to a nested task, validated against that task's own plugin by the flow loader; after loading
 * it holds a validated Task, hence its output type.
 */
export const taskRef = taskRefSchema as unknown as z.ZodType<
  Task,
  { id: string; type: string; [key: string]: unknown }
>;

/** A reference to a condition, validated against its plugin by the flow loader. */
export const conditionRef = z
  .any()
  .meta({ id: "Condition", description: "A condition: `type` and the properties of that type." });
slotKinds.set(conditionRef, "condition");

/** A list of nested tasks (`tasks`, `errors`, `finally`, `then`...). */
export function taskList(description: string, options: { min?: number } = {}) {
  const list = z.array(taskRef);
  return (options.min ? list.min(options.min, `at least ${options.min} task is required`) : list).describe(
    description,
  );
}

/** A list of conditions. */
export function conditionList(description: string) {
  return z.array(conditionRef).describe(description);
}

export function slotKind(schema: z.ZodType): "task" | "condition" | undefined {
  return slotKinds.get(schema);
}

/** Removes optional / default / nullable wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = current.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (
      (def.type === "optional" ||
        def.type === "default" ||
        def.type === "prefault" ||
        def.type === "nullable" ||
        def.type === "readonly" ||
        def.type === "catch") &&
      def.innerType
    ) {
      current = def.innerType;
    } else {
      return current;
    }
  }
}

/** Labels as Kestra accepts them: a map of string to string, or a list of `{key, value}`. */
export const labels = z
  .union([
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)),
    z.array(
      z.strictObject({
        key: z.string(),
        value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
      }),
    ),
  ])
  .describe("Labels: a map of key to value, or a list of {key, value}.");

/** Log levels, lowest first. */
export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
export const logLevel = z.enum(LOG_LEVELS);
