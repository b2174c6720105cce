import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../../core/unavailable";
import { SCRIPT_RUNNER, scriptOutputs, scriptProperty, scriptShape } from "../common";

const TYPE = "scripts.node.Script";

export const nodeScriptPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run an inline Node.js script.",
  description: [
    "Runs `script` with Node.js in a fresh working directory, after `beforeCommands`. A line",
    '`::{"outputs":{...}}::` on stdout sets outputs (`vars`); files matching `outputFiles` are sent to the',
    "internal storage. An uncaught error or a non-zero exit code fails the task.",
  ].join("\n"),
  schema: z.object({ script: scriptProperty, ...scriptShape("node") }),
  outputs: scriptOutputs,
  examples: [
    {
      title: "Send an output from a Node.js script",
      flow: `id: nodejs_script
namespace: company.team

tasks:
  - id: script
    type: io.kestra.plugin.scripts.node.Script
    script: |
      const total = [1, 2, 3].reduce((a, b) => a + b, 0);
      console.log("::" + JSON.stringify({ outputs: { total } }) + "::");

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Total: {{ outputs.script.vars.total }}"
`,
    },
  ],
  run: notAvailableYet(TYPE, SCRIPT_RUNNER),
});
