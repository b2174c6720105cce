import { z } from "zod";
import { isTruthy } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";

export const failPlugin = definePlugin({
  type: "core.execution.Fail",
  aliases: ["io.kestra.core.tasks.executions.Fail"],
  kind: "runnable",
  inline: true,
  title: "Fail the task, optionally only when a condition holds.",
  schema: z.object({
    condition: z.unknown().optional().describe("When set, fail only if it renders truthy."),
    errorMessage: z.string().default("Task failure").describe("The error message."),
  }),
  examples: [
    {
      title: "Fail on a bad input",
      flow: `id: guard
namespace: company.team
inputs:
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.count < 0 }}"
    errorMessage: count must not be negative
`,
    },
  ],
  run({ properties }) {
    if (properties.condition !== undefined && !isTruthy(properties.condition)) return undefined;
    throw new Error(properties.errorMessage);
  },
});
