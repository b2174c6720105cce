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
import { legacyPythonShape, PYTHON_IMAGE, pythonShape } from "./shared";

const TYPE = "scripts.python.Commands";

export const pythonCommandsPlugin = definePlugin({
  type: TYPE,
  aliases: [oldScript("Python")],
  kind: "runnable",
  title: "Run Python commands, e.g. a script from the namespace files.",
  description: [
    "Runs `commands` (such as `python main.py`) in a fresh working directory, after installing `dependencies`",
    "and running `beforeCommands`. Scripts come from `inputFiles` or `namespaceFiles`. The `kestra` Python",
    "package's `Kestra.outputs({...})` sets outputs (`vars`); files matching `outputFiles` are sent to the",
    "internal storage. A non-zero exit code fails the task.",
  ].join("\n"),
  schema: z.object({
    commands: commandsProperty,
    ...scriptShape(PYTHON_IMAGE),
    ...pythonShape,
    ...legacyShape,
    ...legacyPythonShape,
  }),
  outputs: scriptOutputs,
  examples: [
    {
      title: "Run a Python script stored as a namespace file",
      flow: `id: python_commands
namespace: company.team

tasks:
  - id: python
    type: io.kestra.plugin.scripts.python.Commands
    namespaceFiles:
      enabled: true
      include:
        - etl_script.py
    dependencies:
      - requests
    commands:
      - python etl_script.py --num 21
`,
    },
  ],
  run: notAvailableYet(TYPE, SCRIPT_RUNNER),
});
