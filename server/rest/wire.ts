// A REST route's path parameters and query string, derived from its operation's input: the operation's
// input is the one definition of a field, and this is its form on the wire. Written twice (a route's
// schema beside the operation's), a field drifted: the REST `revision` once accepted numbers past
// PostgreSQL's int4 that the operation had to be fixed for apart, and a filter added to one was ignored
// by the other. A path segment or a query value is text, so:
// - a number is a coerced number with the same checks (min, max, int);
// - a boolean accepts true/false/1/0 (booleanText);
// - an array accepts one value or the parameter repeated, each item converted the same way;
// - optional, default and nullable wrappers are kept; strings, enums and dates are as the input has them.
// The route's parsed parameters still go through the operation's input schema (handler -> adapter), so the
// wire form only converts text: it cannot accept what the operation refuses.
// A route overrides a field only where its wire genuinely differs (labels as `key:value` text), with why
// (`wireOverride`); test/architecture.test.ts refuses a field written by hand that the input already has.
import { z } from "zod";
import { booleanText, labelText, repeated } from "../services/schemas";

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

function defOf(schema: z.ZodType): Def {
  return schema._zod.def as Def;
}

/** A copy of `schema` with some of its definition changed; descriptions carry over (zod's `parent`). */
function cloneWith(schema: z.ZodType, change: Record<string, unknown>): z.ZodType {
  const def = defOf(schema);
  const next = Object.create(Object.getPrototypeOf(def), Object.getOwnPropertyDescriptors(def));
  Object.assign(next, change);
  return z.core.clone(schema, next, { parent: true }) as z.ZodType;
}

/** One value or several (a query parameter repeated): always a list, or undefined when absent. */
const asList = (value: unknown) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * The wire form of one input field (see the header). Throws, naming `where`, for a field text cannot carry
 * (an object, a record, bytes): such a field comes from the body, and the route says so with `input`.
 */
export function wireField(schema: z.ZodType, where: string): z.ZodType {
  const def = defOf(schema);
  switch (def.type) {
    case "string":
    case "enum":
    case "literal":
    case "template_literal":
    case "date":
    case "transform":
      return def.type === "date" && !def.coerce ? cloneWith(schema, { coerce: true }) : schema;
    case "number":
    case "bigint":
      return def.coerce ? schema : cloneWith(schema, { coerce: true });
    case "boolean":
      return booleanText;
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
    case "catch": {
      const inner = def.innerType as z.ZodType;
      const wired = wireField(inner, where);
      return wired === inner ? schema : cloneWith(schema, { innerType: wired });
    }
    case "pipe": {
      const from = def.in as z.ZodType;
      const wired = wireField(from, where);
      return wired === from ? schema : cloneWith(schema, { in: wired });
    }
    case "union": {
      const options = def.options as z.ZodType[];
      const wired = options.map((option) => wireField(option, where));
      return wired.every((option, index) => option === options[index])
        ? schema
        : cloneWith(schema, { options: wired });
    }
    case "array": {
      const element = def.element as z.ZodType;
      const wired = wireField(element, where);
      const list = wired === element ? schema : cloneWith(schema, { element: wired });
      return z.preprocess(asList, list);
    }
    default:
      throw new Error(`${where}: its schema (${def.type}) cannot be carried as text; take it from the body`);
  }
}

/** The `{name}` parameters of a route path, in order. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
}

/** The fields of an operation's input (an object schema; another shape has none to derive from). */
export function inputShape(input: z.ZodType | undefined): Record<string, z.ZodType> {
  const def = input ? defOf(input) : undefined;
  return def?.type === "object" ? (def.shape as Record<string, z.ZodType>) : {};
}

/** A field whose wire form differs from the operation's input, and why (the architecture test reads it). */
export interface WireOverride {
  schema: z.ZodType;
  why: string;
}

export function wireOverride(schema: z.ZodType, why: string): WireOverride {
  return { schema, why };
}

/** Labels as Kestra's query carries them: `key:value` text, repeatable (the input has `{ key, value }`). */
export const labelsAsText = wireOverride(
  repeated(labelText).meta({ description: "Labels as key:value, repeatable." }),
  "Kestra's query carries each label as key:value text; the input has { key, value } objects",
);

/** Which of a route's fields were written by hand, and the overrides with their reasons. */
export interface WireDeclaration {
  /** Fields of the route's own `params` / `query` schemas (a name the input lacks: Kestra's `newStatus`). */
  declared: { params: string[]; query: string[] };
  overrides: Record<string, string>;
}

export interface WireSpec {
  where: string;
  path: string;
  input: z.ZodType | undefined;
  params?: z.ZodType;
  query?: z.ZodType;
  overrides?: Record<string, WireOverride>;
  /**
   * The input fields the query carries. Default: every field not in the path, for a route whose input is
   * its parameters (no body, no `input` mapping); none for the others.
   */
  inQuery?: readonly string[];
  parametersOnly: boolean;
}

/** The route's params and query schemas, made from its operation's input (see the header). */
export function routeWire(spec: WireSpec): {
  params?: z.ZodObject;
  query?: z.ZodObject;
  wire: WireDeclaration;
} {
  const fields = inputShape(spec.input);
  const overrides = spec.overrides ?? {};
  const ownParams = inputShape(spec.params);
  const ownQuery = inputShape(spec.query);
  const inPath = pathParameters(spec.path);
  const pick = (name: string, kind: string): z.ZodType => {
    const override = overrides[name];
    if (override) return override.schema;
    const field = fields[name];
    if (!field)
      throw new Error(
        `${spec.where}: ${kind} ${name} is not a field of the operation's input; declare it in the route's ${kind === "path parameter" ? "params" : "query"}`,
      );
    return wireField(field, `${spec.where}: ${kind} ${name}`);
  };

  const params: Record<string, z.ZodType> = {};
  for (const name of inPath) params[name] = ownParams[name] ?? pick(name, "path parameter");

  const carried = spec.inQuery ?? (spec.parametersOnly ? Object.keys(fields) : []);
  const query: Record<string, z.ZodType> = {};
  for (const name of carried)
    if (!inPath.includes(name)) query[name] = ownQuery[name] ?? pick(name, "query parameter");
  Object.assign(query, ownQuery);
  for (const name of Object.keys(overrides))
    if (!inPath.includes(name)) query[name] = pick(name, "query parameter");

  return {
    ...(inPath.length > 0 ? { params: z.object(params) } : {}),
    ...(Object.keys(query).length > 0 ? { query: z.object(query) } : {}),
    wire: {
      declared: { params: Object.keys(ownParams), query: Object.keys(ownQuery) },
      overrides: Object.fromEntries(Object.entries(overrides).map(([name, { why }]) => [name, why])),
    },
  };
}
