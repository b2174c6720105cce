import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../../core/unavailable";
import { SCRIPT_RUNNER, scriptOutputs, scriptProperty, scriptShape } from "../common";
import { PYTHON_IMAGE, pythonShape } from "./shared";

const TYPE = "scripts.python.Script";

export const pythonScriptPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run an inline Python script.",
  description: [
    "Runs `script` with Python in a fresh working directory, after installing `dependencies` and running",
    "`beforeCommands`. `Kestra.outputs({...})` from the `kestra` package sets outputs (`vars`); files matching",
    "`outputFiles` are sent to the internal storage. An exception or a non-zero exit code fails the task.",
  ].join("\n"),
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
  ],
  run: notAvailableYet(TYPE, SCRIPT_RUNNER),
});
