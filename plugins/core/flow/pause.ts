import { pauseHandler, pauseSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const pausePlugin = definePlugin({
  type: "core.flow.Pause",
  aliases: [old("Pause")],
  kind: "flowable",
  title: "Pause the execution until it is resumed or a duration elapses.",
  description:
    "Resume from the UI, the API or a Resume task. `onResume` inputs are validated and exposed as `outputs.<id>.onResume`. " +
    "`onPause` runs a task (a notification) as soon as the execution pauses. When `pauseDuration` elapses, `behavior` " +
    "decides: resume, end the Pause WARNING or FAILED, or CANCEL the execution.",
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
    {
      title: "Announce the wait, and cancel the execution when nobody resumes it within a day",
      flow: `id: approval_with_deadline
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: P1D
    behavior: CANCEL
    onPause:
      id: announce
      type: io.kestra.plugin.core.log.Log
      message: "Execution {{ execution.id }} waits for an approval until tomorrow"
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: approved
`,
    },
  ],
});
