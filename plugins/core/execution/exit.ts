import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

export const exitPlugin = definePlugin({
  type: "core.execution.Exit",
  kind: "runnable",
  inline: true,
  title: "End the execution now, in a given state.",
  description:
    "No further task starts. With KILLED, tasks still running are killed; otherwise they finish first.",
  schema: z.object({
    state: z.enum(["SUCCESS", "WARNING", "KILLED", "FAILED", "CANCELED", "CANCELLED"]).default("SUCCESS"),
  }),
  examples: [
    {
      title: "Stop early in WARNING when there is nothing to do",
      flow: `id: exit_early
namespace: company.team

inputs:
  - id: count
    type: INT
    defaults: 0

tasks:
  - id: nothing_to_do
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.count == 0 }}"
    then:
      - id: exit
        type: io.kestra.plugin.core.execution.Exit
        state: WARNING

  - id: work
    type: io.kestra.plugin.core.log.Log
    message: "Processing {{ inputs.count }} items"
`,
    },
  ],
  run: ({ properties }) => ({ exit: properties.state === "CANCELED" ? "CANCELLED" : properties.state }),
});
