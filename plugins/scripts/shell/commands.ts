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

const TYPE = "scripts.shell.Commands";

export const shellCommandsPlugin = definePlugin({
  type: TYPE,
  aliases: [oldScript("Bash")],
  kind: "runnable",
  title: "Run shell commands.",
  description: [
    "Runs `commands` with the `interpreter` (`/bin/sh -c` by default) in a fresh working directory, after",
    "`beforeCommands`. `inputFiles` and `namespaceFiles` are written there first; files matching `outputFiles`",
    'are sent to the internal storage afterwards. A line `::{"outputs":{...}}::` on stdout sets outputs (`vars`).',
    "A non-zero exit code fails the task.",
  ].join("\n"),
  schema: z.object({ commands: commandsProperty, ...scriptShape("ubuntu"), ...legacyShape }),
  outputs: scriptOutputs,
  examples: [
    {
      title: "Run a command and keep the file it writes",
      flow: `id: shell_commands
namespace: company.team

tasks:
  - id: commands
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    outputFiles:
      - first.txt
    commands:
      - 'echo "The current execution is: {{ execution.id }}"'
      - echo "1" >> first.txt
`,
    },
  ],
  run: notAvailableYet(TYPE, SCRIPT_RUNNER),
});
