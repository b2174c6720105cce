import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { commandsProperty, legacyShape, oldScript, scriptOutputs, scriptShape } from "../common";
import { renderList, runScript, SCRIPT_RAW_PROPERTIES } from "../run";

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
    "A non-zero exit code fails the task; with `failFast` (the default) the first failing command does.",
    "",
    "Scripts run as local processes of the worker (the `io.kestra.plugin.core.runner.Process` task runner),",
    "with a clean environment and, when the worker runs as root, as an unprivileged user.",
  ].join("\n"),
  rawProperties: SCRIPT_RAW_PROPERTIES,
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
    {
      title: "Process an uploaded file and send a count as an output",
      flow: `id: shell_count_lines
namespace: company.team

inputs:
  - id: data
    type: FILE

tasks:
  - id: count
    type: io.kestra.plugin.scripts.shell.Commands
    inputFiles:
      data.csv: "{{ inputs.data }}"
    commands:
      - lines=$(wc -l < data.csv)
      - echo "::{\\"outputs\\":{\\"lines\\":$lines}}::"

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "The file has {{ outputs.count.vars.lines }} lines"
`,
    },
  ],
  run: (ctx) =>
    runScript(ctx, TYPE, {
      commands: (_, __, variables) => renderList(ctx, ctx.properties.commands, variables, "commands"),
    }),
});
