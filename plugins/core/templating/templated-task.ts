import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

const TYPE = "core.templating.TemplatedTask";

export const templatedTaskPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.templating.TemplatedTask"],
  kind: "runnable",
  title: "Run a runnable task whose whole definition is rendered from a template.",
  description: [
    "`spec` is the YAML of a runnable task (its `type` and properties, without `id`), rendered when the task",
    "runs, so that even property names can come from inputs, variables or outputs. The rendered task runs in",
    "place of this one and its outputs become this task's outputs.",
  ].join("\n"),
  rawProperties: ["spec"],
  schema: z.object({
    spec: z.string().min(1).describe("The YAML of the task to run: a template rendered when the task runs."),
  }),
  examples: [
    {
      title: "Choose the message and the level of a log from inputs",
      flow: `id: templated_task
namespace: company.team

inputs:
  - id: level
    type: SELECT
    values: [INFO, WARN]
    defaults: INFO

tasks:
  - id: templated
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: |
      type: io.kestra.plugin.core.log.Log
      level: {{ inputs.level }}
      message: Rendered at {{ now() }}
`,
    },
  ],
  run: notAvailableYet(TYPE, "the worker to render the spec into a task and run that task's plugin"),
});
