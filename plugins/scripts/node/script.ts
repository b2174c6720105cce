import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { scriptOutputs, scriptProperty, scriptShape } from "../common";
import { runScript, SCRIPT_RAW_PROPERTIES, scriptFileName, shellQuote } from "../run";

const TYPE = "scripts.node.Script";

export const nodeScriptPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run an inline Node.js script.",
  description: [
    "Runs `script` with Node.js (`node <file>`) in a fresh working directory, after `beforeCommands`. A line",
    '`::{"outputs":{...}}::` on stdout, or `Kestra.outputs({...})` from `@kestra-io/libs`, sets outputs',
    "(`vars`); files matching `outputFiles` are sent to the internal storage. An uncaught error or a non-zero",
    "exit code fails the task.",
  ].join("\n"),
  rawProperties: SCRIPT_RAW_PROPERTIES,
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
  run: (ctx) =>
    runScript(ctx, TYPE, {
      async commands(_, workspace, variables) {
        const file = scriptFileName(".js");
        await workspace.writeFile(file, String(await ctx.render(ctx.properties.script, variables)));
        return [`node ${shellQuote(file)}`];
      },
    }),
});
