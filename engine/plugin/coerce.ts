import type { z } from "zod";
import { toOutputString } from "../expr";
import { unwrap } from "./schema";

/**
 * Brings rendered values back to what the schema expects where rendering made them typed: a property that is
 * exactly one expression renders to its value's type (`"{{ 3 }}"` is 3), but a property declared as a string
 * gets the string Kestra would print (`{"a":"b"}` for a map, "" for null), so `Return.format` stays text.
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
    default:
      return value;
  }
}
