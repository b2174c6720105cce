import { z } from "zod";
import { isTruthy } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";

export const assertPlugin = definePlugin({
  type: "core.execution.Assert",
  kind: "runnable",
  title: "Fail the task when any of a list of conditions is false.",
  description: [
    "Renders each of `conditions`; a condition holds unless it renders to `false`, `0`, `-0` or an empty",
    "string. Every failed condition (or one that cannot be rendered) is logged as an error, and the task",
    "fails with `N assertion(s) failed!` followed by `errorMessage` when one is set. Records the counters",
    "`success` and `failed`.",
  ].join("\n"),
  rawProperties: ["conditions", "errorMessage"],
  schema: z.object({
    conditions: z
      .array(z.string())
      .min(1, "at least one condition is required")
      .describe("The conditions, each an expression rendered when the task runs."),
    errorMessage: z.string().optional().describe("Added to the failure message (rendered only on failure)."),
  }),
  examples: [
    {
      title: "Check an input before going on",
      flow: `id: assert_inputs
namespace: company.team

inputs:
  - id: param
    type: STRING
    defaults: ok

tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ inputs.param == 'ok' }}"
      - "{{ inputs.param | length > 1 }}"
    errorMessage: "Unexpected input: {{ inputs.param }}"

  - id: go_on
    type: io.kestra.plugin.core.log.Log
    message: All checks passed
`,
    },
  ],
  async run(ctx) {
    const { conditions, errorMessage } = ctx.properties;
    let failed = 0;
    let success = 0;
    for (const condition of conditions) {
      try {
        const rendered = await ctx.render(condition);
        if (isTruthy(rendered)) {
          success++;
        } else {
          ctx.logger.error(`Assertion \`${condition}\` failed!`);
          failed++;
        }
      } catch (error) {
        ctx.logger.error(`Assertion \`${condition}\` failed, failed to render: ${(error as Error).message}`);
        failed++;
      }
    }
    ctx.metric({ name: "success", type: "counter", value: success });
    ctx.metric({ name: "failed", type: "counter", value: failed });
    if (failed > 0) {
      let message = `${failed} assertion${failed > 1 ? "s" : ""} failed!`;
      if (errorMessage !== undefined) {
        try {
          message += `\n${String(await ctx.render(errorMessage))}`;
        } catch (error) {
          message += `\n(errorMessage could not be rendered: ${(error as Error).message})`;
        }
      }
      throw new Error(message);
    }
    return undefined;
  },
});
