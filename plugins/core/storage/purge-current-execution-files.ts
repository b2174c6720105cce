import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { executionPrefix, old, requireStorage } from "./files";

const TYPE = "core.storage.PurgeCurrentExecutionFiles";

export const purgeCurrentExecutionFilesPlugin = definePlugin({
  type: TYPE,
  aliases: [old("PurgeExecution"), "io.kestra.plugin.core.storage.PurgeExecution"],
  kind: "runnable",
  title: "Delete every file of the internal storage that the current execution created.",
  description: [
    "Deletes the execution's input files, task output files and trigger files. An execution without files",
    "is not an error. Outputs `uris`, the deleted files.",
    "",
    "`includeChildExecutions` and `includeStates` are not supported in this version of Cadenza: setting",
    "either to true fails the task instead of silently leaving those files behind.",
  ].join("\n"),
  schema: z.object({
    includeChildExecutions: dyn(z.boolean())
      .default(false)
      .describe("Also purge the files of the subflow executions this execution started."),
    includeStates: dyn(z.boolean())
      .default(false)
      .describe("Also purge the state files written by core.state.Set tasks."),
  }),
  outputs: z.object({ uris: z.array(z.string()).describe("The URIs of the deleted files.") }),
  examples: [
    {
      title: "Purge the uploaded file and the task files once they have been used",
      flow: `id: purge_files
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: reverse
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ inputs.file }}"

  - id: purge
    type: io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles
`,
    },
  ],
  async run(ctx) {
    if (ctx.properties.includeChildExecutions) {
      throw new Error(
        `${TYPE} cannot purge child executions in this version of Cadenza yet: it needs a lookup of the subflow executions`,
      );
    }
    if (ctx.properties.includeStates) {
      throw new Error(
        `${TYPE} cannot purge state files in this version of Cadenza yet: it needs the state store`,
      );
    }
    const storage = requireStorage(ctx, TYPE);
    const uris: string[] = [];
    for (const uri of await storage.list(executionPrefix(ctx))) {
      if (await storage.delete(uri)) uris.push(uri);
    }
    ctx.logger.info(`deleted ${uris.length} file(s) of execution ${ctx.execution.id}`);
    return { outputs: { uris } };
  },
});
