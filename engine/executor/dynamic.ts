import type { z } from "zod";
import type { Task } from "../flow/model";
import { isDynamic, isExpression, unwrap } from "../plugin/schema";

/**
 * Renders the dynamic properties (made with dyn(): numbers, booleans, counts...) of a flowable task that are
 * written as expressions, and converts them to their type with the property's schema. Called once when the
 * run starts; the handler then sees `concurrent: 2`, not `"{{ inputs.width }}"`. Returns only what changed.
 */
export async function renderDynamicProperties(
  schema: z.ZodObject,
  task: Task,
  render: (template: string) => Promise<unknown>,
): Promise<Record<string, unknown>> {
  const rendered: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const value = await renderValue(property, task[key], render, key);
    if (value !== task[key]) rendered[key] = value;
  }
  return rendered;
}

async function renderValue(
  schema: z.ZodType,
  value: unknown,
  render: (template: string) => Promise<unknown>,
  path: string,
): Promise<unknown> {
  if (isExpression(value) && isDynamic(schema)) {
    const result = schema.safeParse(await render(value));
    if (!result.success) {
      throw new Error(
        `${path}: '${value}' rendered to a value of the wrong type (${result.error.issues[0]?.message ?? "invalid"})`,
      );
    }
    return result.data;
  }
  const inner = unwrap(schema);
  if (inner.def.type === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    let changed = false;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, child] of Object.entries((inner as z.ZodObject).shape as Record<string, z.ZodType>)) {
      const next = await renderValue(child, out[key], render, `${path}.${key}`);
      if (next !== out[key]) {
        out[key] = next;
        changed = true;
      }
    }
    return changed ? out : value;
  }
  return value;
}
