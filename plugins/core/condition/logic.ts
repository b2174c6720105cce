import { z } from "zod";
import { conditionList, definePlugin } from "@/engine/plugin";

export const expressionPlugin = definePlugin({
  type: "core.condition.Expression",
  aliases: [
    "io.kestra.plugin.core.condition.ExpressionCondition",
    "io.kestra.core.models.conditions.types.VariableCondition",
    "io.kestra.plugin.core.condition.VariableCondition",
  ],
  kind: "condition",
  title: "An expression is true.",
  schema: z.object({ expression: z.string().describe("Rendered; holds when it is true.") }),
  test: async ({ expression }, { render }) => {
    const result = await render(expression);
    return result === true || result === "true";
  },
});

export const notPlugin = definePlugin({
  type: "core.condition.Not",
  aliases: [
    "io.kestra.core.models.conditions.types.NotCondition",
    "io.kestra.plugin.core.condition.NotCondition",
  ],
  kind: "condition",
  title: "None of the nested conditions holds.",
  schema: z.object({ conditions: conditionList("Conditions that must all be false.").min(1) }),
  test: async ({ conditions }, context) => (await context.test(conditions)).every((held) => !held),
});

export const orPlugin = definePlugin({
  type: "core.condition.Or",
  aliases: [
    "io.kestra.core.models.conditions.types.OrCondition",
    "io.kestra.plugin.core.condition.OrCondition",
  ],
  kind: "condition",
  title: "At least one of the nested conditions holds.",
  schema: z.object({ conditions: conditionList("Conditions of which one must be true.").min(1) }),
  test: async ({ conditions }, context) => (await context.test(conditions)).some(Boolean),
});

export const multiplePlugin = definePlugin({
  type: "core.condition.MultipleCondition",
  aliases: ["io.kestra.core.models.conditions.types.MultipleCondition"],
  kind: "condition",
  title: "Deprecated: several flows must have ended within a window (use Flow trigger preconditions).",
  deprecated: "use preconditions on the Flow trigger",
  schema: z.object({
    id: z.string().optional(),
    window: z.string().optional(),
    windowAdvance: z.string().optional(),
    timeWindow: z.record(z.string(), z.unknown()).optional(),
    resetOnSuccess: z.boolean().default(true),
    conditions: z.record(z.string(), z.looseObject({ type: z.string() })),
  }),
});
