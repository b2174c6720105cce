import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

export const setVariablesPlugin = definePlugin({
  type: "core.execution.SetVariables",
  kind: "runnable",
  inline: true,
  title: "Set flow variables (`vars.*`) for the rest of the execution.",
  schema: z.object({
    variables: z.record(z.string(), z.unknown()).describe("Variables to set (rendered)."),
    overwrite: z.boolean().default(true).describe("When false, setting a variable that exists fails."),
  }),
  examples: [
    {
      title: "Set a variable from a task's output and use it later",
      flow: `id: set_variables
namespace: company.team

variables:
  environment: dev

tasks:
  - id: compute
    type: io.kestra.plugin.core.debug.Return
    format: "{{ 6 * 7 }}"

  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      answer: "{{ outputs.compute.value }}"
      environment: prod

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.answer }} in {{ vars.environment }}"
`,
    },
  ],
  run({ properties, variables }) {
    const current = (variables.vars ?? {}) as Record<string, unknown>;
    if (!properties.overwrite) {
      const existing = Object.keys(properties.variables).filter((k) => Object.hasOwn(current, k));
      if (existing.length)
        throw new Error(`variable(s) already set: ${existing.join(", ")} (overwrite is false)`);
    }
    return { setVariables: properties.variables };
  },
});

export const unsetVariablesPlugin = definePlugin({
  type: "core.execution.UnsetVariables",
  kind: "runnable",
  inline: true,
  title: "Remove flow variables set at run time.",
  schema: z.object({
    variables: z.array(z.string()).describe("Names of the variables to remove."),
    ignoreMissing: z
      .boolean()
      .default(false)
      .describe("When false, removing a variable that is not set fails."),
  }),
  examples: [
    {
      title: "Remove a variable set earlier in the execution",
      flow: `id: unset_variables
namespace: company.team

tasks:
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      token: temporary

  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables:
      - token
    ignoreMissing: true
`,
    },
  ],
  run({ properties, variables }) {
    const current = (variables.vars ?? {}) as Record<string, unknown>;
    const missing = properties.variables.filter((k) => !Object.hasOwn(current, k));
    if (missing.length && !properties.ignoreMissing)
      throw new Error(`variable(s) not set: ${missing.join(", ")}`);
    return { unsetVariables: properties.variables };
  },
});
