import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { commandsProperty, legacyShape, oldScript, scriptOutputs, scriptShape } from "../common";
import { renderList, runScript, SCRIPT_RAW_PROPERTIES } from "../run";
import { pythonSetup } from "./language";
import { legacyPythonShape, PYTHON_IMAGE, pythonShape } from "./shared";

const TYPE = "scripts.python.Commands";

export const pythonCommandsPlugin = definePlugin({
  type: TYPE,
  aliases: [oldScript("Python")],
  kind: "runnable",
  title: "Run Python commands, e.g. a script from the namespace files.",
  description: [
    "Runs `commands` (such as `python main.py`) in a fresh working directory, after installing `dependencies`",
    "(with pip, into the working directory) and running `beforeCommands`. Scripts come from `inputFiles` or",
    "`namespaceFiles`. `Kestra.outputs({...})` from `from kestra import Kestra` (provided by the worker) sets",
    "outputs (`vars`); files matching `outputFiles` are sent to the internal storage. A non-zero exit code",
    "fails the task. Python is the worker's `python3` (also reachable as `python`).",
  ].join("\n"),
  rawProperties: SCRIPT_RAW_PROPERTIES,
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
    {
      title: "Run a script file that sends outputs and writes an output file",
      flow: `id: python_outputs
namespace: company.team

tasks:
  - id: report
    type: io.kestra.plugin.scripts.python.Commands
    inputFiles:
      main.py: |
        import json
        from kestra import Kestra

        rows = [{"region": "EU", "total": 120}, {"region": "US", "total": 80}]
        with open("report.json", "w") as f:
            json.dump(rows, f)
        Kestra.outputs({"regions": len(rows)})
    outputFiles:
      - report.json
    commands:
      - python main.py

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.report.vars.regions }} regions in {{ outputs.report.outputFiles['report.json'] }}"
`,
    },
  ],
  run: (ctx) =>
    runScript(ctx, TYPE, {
      setup: (c, workspace) => pythonSetup(c, workspace),
      commands: (_, __, variables) => renderList(ctx, ctx.properties.commands, variables, "commands"),
    }),
});
