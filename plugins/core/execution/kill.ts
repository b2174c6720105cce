import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

const TYPE = "core.execution.Kill";

/**
 * Kestra's Kill task on its own execution: the same end as an Exit with state KILLED (this run and the
 * execution end KILLED, tasks still running are killed, nothing else starts). Killing another execution
 * needs a kill service the task services do not offer, so `executionId` may only name this one.
 */
export const killPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  inline: true,
  title: "Kill the current execution.",
  description: [
    "Ends this task run and the execution KILLED: tasks still running are killed (with the subflows they",
    "wait for), and no further task starts; with `propagateKill` (the default), the subflows started with",
    "`wait: false` are killed too. `executionId` may only be the current execution's id.",
  ].join("\n"),
  schema: z.object({
    executionId: z
      .string()
      .optional()
      .describe("The execution to kill; the current one by default (the only one this task can kill)."),
    propagateKill: z
      .boolean()
      .default(true)
      .describe(
        "Kill the subflow executions it started without waiting too (the ones a running task waits for are killed anyway).",
      ),
  }),
  examples: [
    {
      title: "Stop the execution when there is nothing to process",
      flow: `id: kill_early
namespace: company.team

inputs:
  - id: count
    type: INT
    defaults: 0

tasks:
  - id: kill
    type: io.kestra.plugin.core.execution.Kill
    runIf: "{{ inputs.count == 0 }}"

  - id: work
    type: io.kestra.plugin.core.log.Log
    message: "Processing {{ inputs.count }} items"
`,
    },
  ],
  run: ({ properties, execution }) => {
    if (properties.executionId !== undefined && properties.executionId !== execution.id) {
      throw new Error(
        `${TYPE} can only kill the current execution, not ${properties.executionId}: use the API to kill another one`,
      );
    }
    return { exit: "KILLED", killSubflows: properties.propagateKill };
  },
});
