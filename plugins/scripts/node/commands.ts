import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { commandsProperty, legacyShape, oldScript, scriptOutputs, scriptShape } from "../common";
import { renderList, runScript, SCRIPT_RAW_PROPERTIES } from "../run";

const TYPE = "scripts.node.Commands";

export const nodeCommandsPlugin = definePlugin({
  type: TYPE,
  aliases: [oldScript("Node")],
  kind: "runnable",
  title: "Run Node.js commands.",
  description: [
    "Runs `commands` (such as `node main.js`) in a fresh working directory, after `beforeCommands`",
    "(e.g. `npm install`). Scripts come from `inputFiles` or `namespaceFiles`; `Kestra.outputs({...})` from",
    '`require("@kestra-io/libs")` (provided by the worker) or a line `::{"outputs":{...}}::` on stdout sets',
    "outputs (`vars`); files matching `outputFiles` are sent to the internal storage. A non-zero exit code",
    "fails the task. Node.js is the worker's own `node`.",
  ].join("\n"),
  rawProperties: SCRIPT_RAW_PROPERTIES,
  schema: z.object({
    commands: commandsProperty,
    ...scriptShape("node"),
    ...legacyShape,
    args: z
      .array(z.string())
      .optional()
      .describe("Deprecated (io.kestra.core.tasks.scripts.Node): script arguments."),
  }),
  outputs: scriptOutputs,
  examples: [
    {
      title: "Install an npm package, write a script and run it",
      flow: `id: nodejs_commands
namespace: company.team

tasks:
  - id: commands
    type: io.kestra.plugin.scripts.node.Commands
    inputFiles:
      main.js: |
        const colors = require("colors");
        console.log(colors.red("Hello"));
    beforeCommands:
      - npm install colors
    commands:
      - node main.js
`,
    },
    {
      title: "Run a script file and send outputs and a metric with the Kestra library",
      flow: `id: nodejs_outputs
namespace: company.team

tasks:
  - id: stats
    type: io.kestra.plugin.scripts.node.Commands
    inputFiles:
      main.js: |
        const Kestra = require("@kestra-io/libs");
        const orders = [12.5, 30, 7.25];
        Kestra.outputs({ count: orders.length, total: orders.reduce((a, b) => a + b, 0) });
        Kestra.counter("orders", orders.length, { source: "inline" });
    commands:
      - node main.js

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.stats.vars.count }} orders, {{ outputs.stats.vars.total }} in total"
`,
    },
  ],
  run: (ctx) =>
    runScript(ctx, TYPE, {
      commands: (_, __, variables) => renderList(ctx, ctx.properties.commands, variables, "commands"),
    }),
});
