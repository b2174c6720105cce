import type { z } from "zod";
import { toOutputString } from "../expr";
import { unwrap } from "./schema";

/**
 * Brings rendered values back to what the schema expects where rendering made them typed: a property that is
 * exactly one expression renders to its value's type (`"{{ 3 }}"` is 3), but a property declared as a string
 * gets the string Kestra would print (`{"a":"b"}` for a map, "" for null), so `Return.format` stays text.
 * A union (Log's `message`: a string or a list of strings) keeps a value it accepts, else takes the first
 * option's coercion that it accepts (a list's list options first) (an empty map given to `message` prints as `{}`, as in Kestra).
 */
export function coerceToSchema(schema: z.ZodType, value: unknown): unknown {
  const s = unwrap(schema);
  const def = s.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "string":
      return typeof value === "string" || value === undefined ? value : toOutputString(value);
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [key, child] of Object.entries(shape))
        if (key in out) out[key] = coerceToSchema(child, out[key]);
      return out;
    }
    case "array":
      return Array.isArray(value)
        ? value.map((item) => coerceToSchema(def.element as z.ZodType, item))
        : value;
    case "record": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          coerceToSchema(def.valueType as z.ZodType, v),
        ]),
      );
    }
    case "pipe":
      return coerceToSchema(def.in as z.ZodType, value);
    case "union": {
      if (value === undefined || s.safeParse(value).success) return value;
      // A list tries the list options first, so its items are coerced rather than the list printed whole.
      const options = [...(def.options as z.ZodType[])].sort(
        (a, b) =>
          Number(unwrap(b).def.type === "array") * Number(Array.isArray(value)) -
          Number(unwrap(a).def.type === "array") * Number(Array.isArray(value)),
      );
      for (const option of options) {
        const coerced = coerceToSchema(option, value);
        if (option.safeParse(coerced).success) return coerced;
      }
      return value;
    }
    default:
      return value;
  }
}
