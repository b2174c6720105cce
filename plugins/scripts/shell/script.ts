import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { scriptOutputs, scriptProperty, scriptShape } from "../common";
import { interpreterOf, runScript, SCRIPT_RAW_PROPERTIES, scriptFileName, shellQuote } from "../run";

const TYPE = "scripts.shell.Script";

export const shellScriptPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run an inline shell script.",
  description: [
    "Writes `script` to a file of a fresh working directory and runs it with the interpreter's shell, after",
    "`beforeCommands`. Files matching `outputFiles` are sent to the internal storage; a line",
    '`::{"outputs":{...}}::` on stdout sets outputs (`vars`). A non-zero exit code fails the task.',
  ].join("\n"),
  rawProperties: SCRIPT_RAW_PROPERTIES,
  schema: z.object({ script: scriptProperty, ...scriptShape("ubuntu") }),
  outputs: scriptOutputs,
  examples: [
    {
      title: "An inline shell script that writes an output file",
      flow: `id: shell_script
namespace: company.team

tasks:
  - id: hello
    type: io.kestra.plugin.scripts.shell.Script
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    outputFiles:
      - hello.txt
    script: |
      echo "Hello from {{ flow.id }}" > hello.txt
      echo '::{"outputs":{"greeted":true}}::'
`,
    },
  ],
  run: (ctx) =>
    runScript(ctx, TYPE, {
      async commands(_, workspace, variables) {
        const file = scriptFileName(".sh");
        await workspace.writeFile(file, String(await ctx.render(ctx.properties.script, variables)));
        const [program] = interpreterOf(ctx.properties);
        const shell = program && /(^|\/)(ba|da|z|k|a|mk)?sh$/.test(program) ? program : "/bin/sh";
        return [`${shellQuote(shell)} ${shellQuote(file)}`];
      },
    }),
});
