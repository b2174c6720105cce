import { pauseHandler, pauseSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const pausePlugin = definePlugin({
  type: "core.flow.Pause",
  aliases: [old("Pause")],
  kind: "flowable",
  title: "Pause the execution until it is resumed or a duration elapses.",
  description:
    "Resume from the UI, the API or a Resume task. `onResume` inputs are validated and exposed as `outputs.<id>.onResume`.",
  schema: pauseSchema,
  handler: pauseHandler,
  examples: [
    {
      title: "Wait for an approval",
      flow: `id: approval
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "approved: {{ outputs.wait.onResume.approved }}"
`,
    },
  ],
});
