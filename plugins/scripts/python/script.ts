import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { scriptOutputs, scriptProperty, scriptShape } from "../common";
import { runScript, SCRIPT_RAW_PROPERTIES, scriptFileName, shellQuote } from "../run";
import { pythonSetup } from "./language";
import { PYTHON_IMAGE, pythonShape } from "./shared";

const TYPE = "scripts.python.Script";

export const pythonScriptPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run an inline Python script.",
  description: [
    "Runs `script` with Python (`python <file>`) in a fresh working directory, after installing `dependencies`",
    "and running `beforeCommands`. `Kestra.outputs({...})` from the `kestra` module sets outputs (`vars`);",
    "files matching `outputFiles` are sent to the internal storage. An exception or a non-zero exit code fails",
    "the task.",
  ].join("\n"),
  rawProperties: SCRIPT_RAW_PROPERTIES,
  schema: z.object({ script: scriptProperty, ...scriptShape(PYTHON_IMAGE), ...pythonShape }),
  outputs: scriptOutputs,
  examples: [
    {
      title: "Compute a total with pandas and send it as an output",
      flow: `id: python_script
namespace: company.team

tasks:
  - id: total
    type: io.kestra.plugin.scripts.python.Script
    dependencies:
      - pandas
      - kestra
    script: |
      import pandas as pd
      from kestra import Kestra

      df = pd.read_csv("https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv")
      Kestra.outputs({"total": float(df["total"].sum())})

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Total: {{ outputs.total.vars.total }}"
`,
    },
    {
      title: "Send outputs and a metric with the standard library only",
      flow: `id: python_script_outputs
namespace: company.team

inputs:
  - id: numbers
    type: STRING
    defaults: "3,4,5"

tasks:
  - id: stats
    type: io.kestra.plugin.scripts.python.Script
    script: |
      from kestra import Kestra

      numbers = [int(n) for n in "{{ inputs.numbers }}".split(",")]
      Kestra.outputs({"sum": sum(numbers), "max": max(numbers)})
      Kestra.counter("numbers", len(numbers))

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "sum={{ outputs.stats.vars.sum }} max={{ outputs.stats.vars.max }}"
`,
    },
  ],
  run: (ctx) =>
    runScript(ctx, TYPE, {
      setup: (c, workspace) => pythonSetup(c, workspace),
      async commands(_, workspace, variables) {
        const file = scriptFileName(".py");
        await workspace.writeFile(file, String(await ctx.render(ctx.properties.script, variables)));
        return [`python ${shellQuote(file)}`];
      },
    }),
});
