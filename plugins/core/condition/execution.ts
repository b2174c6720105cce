import { z } from "zod";
import { STATES } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";

/** Conditions on the execution that fires a Flow trigger. Without such an execution they do not hold. */
const old = (name: string) => [
  `io.kestra.core.models.conditions.types.${name}Condition`,
  `io.kestra.plugin.core.condition.${name}Condition`,
];

export const executionStatusPlugin = definePlugin({
  type: "core.condition.ExecutionStatus",
  aliases: old("ExecutionStatus"),
  kind: "condition",
  title: "The upstream execution's state is (or is not) one of a list.",
  schema: z.object({
    in: z.array(z.enum(STATES)).optional().describe("States that match."),
    notIn: z.array(z.enum(STATES)).optional().describe("States that do not match."),
  }),
  test: ({ in: included, notIn }, { execution }) => {
    if (!execution) return false;
    if (included && !included.includes(execution.state as (typeof STATES)[number])) return false;
    if (notIn?.includes(execution.state as (typeof STATES)[number])) return false;
    return true;
  },
});

export const executionFlowPlugin = definePlugin({
  type: "core.condition.ExecutionFlow",
  aliases: [...old("ExecutionFlow"), ...old("Flow"), "io.kestra.plugin.core.condition.FlowCondition"].filter(
    (name, index, all) => all.indexOf(name) === index,
  ),
  kind: "condition",
  title: "The upstream execution belongs to a given flow.",
  schema: z.object({ namespace: z.string(), flowId: z.string() }),
  test: ({ namespace, flowId }, { execution }) =>
    execution?.namespace === namespace && execution.flowId === flowId,
});

export const executionNamespacePlugin = definePlugin({
  type: "core.condition.ExecutionNamespace",
  aliases: [...old("ExecutionNamespace"), ...old("FlowNamespace")],
  kind: "condition",
  title: "The upstream execution's namespace equals, starts or ends with a value.",
  schema: z.object({
    namespace: z.string(),
    comparison: z.enum(["EQUALS", "PREFIX", "SUFFIX"]).optional(),
    prefix: z.boolean().default(false).describe("Deprecated: use comparison: PREFIX."),
  }),
  test: ({ namespace, comparison, prefix }, { execution }) => {
    if (!execution) return false;
    const mode = comparison ?? (prefix ? "PREFIX" : "EQUALS");
    if (mode === "PREFIX")
      return (
        execution.namespace === namespace ||
        execution.namespace.startsWith(`${namespace}.`) ||
        execution.namespace.startsWith(namespace)
      );
    if (mode === "SUFFIX") return execution.namespace.endsWith(namespace);
    return execution.namespace === namespace;
  },
});

export const executionLabelsPlugin = definePlugin({
  type: "core.condition.ExecutionLabels",
  aliases: old("ExecutionLabels"),
  kind: "condition",
  title: "The upstream execution carries all the given labels.",
  schema: z.object({
    labels: z.union([
      z.record(z.string(), z.string()),
      z.array(z.object({ key: z.string(), value: z.string() })),
    ]),
  }),
  test: ({ labels }, { execution }) => {
    if (!execution) return false;
    const wanted = Array.isArray(labels)
      ? labels
      : Object.entries(labels).map(([key, value]) => ({ key, value }));
    return wanted.every((w) => execution.labels.some((l) => l.key === w.key && l.value === w.value));
  },
});

export const executionOutputsPlugin = definePlugin({
  type: "core.condition.ExecutionOutputs",
  aliases: old("ExecutionOutputs"),
  kind: "condition",
  title: "An expression over the upstream execution's outputs is true.",
  schema: z.object({ expression: z.string() }),
  test: async ({ expression }, { execution, render }) => {
    if (!execution?.outputs) return false;
    const result = await render(expression);
    return result === true || result === "true";
  },
});

export const hasRetryAttemptPlugin = definePlugin({
  type: "core.condition.HasRetryAttempt",
  aliases: old("HasRetryAttempt"),
  kind: "condition",
  title: "The upstream execution had a task retried.",
  schema: z.object({ in: z.array(z.enum(STATES)).optional(), notIn: z.array(z.enum(STATES)).optional() }),
  test: (_properties, { execution }) => execution?.retried === true,
});
