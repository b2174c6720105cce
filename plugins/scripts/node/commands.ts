import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../../core/unavailable";
import {
  commandsProperty,
  legacyShape,
  oldScript,
  SCRIPT_RUNNER,
  scriptOutputs,
  scriptShape,
} from "../common";

const TYPE = "scripts.node.Commands";

export const nodeCommandsPlugin = definePlugin({
  type: TYPE,
  aliases: [oldScript("Node")],
  kind: "runnable",
  title: "Run Node.js commands.",
  description: [
    "Runs `commands` (such as `node main.js`) in a fresh working directory, after `beforeCommands`",
    "(e.g. `npm install`). Scripts come from `inputFiles` or `namespaceFiles`; a line",
    '`::{"outputs":{...}}::` on stdout sets outputs (`vars`); files matching `outputFiles` are sent to the',
    "internal storage. A non-zero exit code fails the task.",
  ].join("\n"),
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
  ],
  run: notAvailableYet(TYPE, SCRIPT_RUNNER),
});
