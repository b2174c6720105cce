import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { old, requireStorage, taskFileUri } from "./files";

const TYPE = "core.storage.LocalFiles";

export const localFilesPlugin = definePlugin({
  type: TYPE,
  aliases: [old("LocalFiles")],
  kind: "runnable",
  deprecated:
    "use the inputFiles and outputFiles properties of script tasks or of core.flow.WorkingDirectory",
  title:
    "Create files in, or send files from, the working directory of a WorkingDirectory task (deprecated).",
  description: [
    "Deprecated by Kestra in 0.17: `inputFiles` and `outputFiles` of script tasks and of",
    "`core.flow.WorkingDirectory` replace it. `inputs` writes files (contents or `kestra://` URIs) into the",
    "working directory; `outputs` sends the files matching glob patterns to the internal storage and outputs",
    "their URIs as `uris`.",
    "",
    "Inside a `core.flow.WorkingDirectory` the files are those the other tasks see; elsewhere the task has a",
    "directory of its own, and `outputs` sends those of the files it created that match.",
  ].join("\n"),
  schema: z.object({
    inputs: z
      .union([z.record(z.string(), z.string()), z.string()])
      .optional()
      .describe(
        "Files to create: a map of file name to content or `kestra://` URI, or a JSON string of one.",
      ),
    outputs: z
      .array(z.string())
      .optional()
      .describe(
        "Glob patterns, relative to the working directory, of the files to send to the internal storage.",
      ),
  }),
  outputs: z.object({
    uris: z.record(z.string(), z.string()).describe("The URIs of the files sent, by file name."),
  }),
  async run(ctx) {
    const storage = requireStorage(ctx, TYPE);
    const runner = ctx.services.processRunner;
    if (!runner) throw new Error(`${TYPE} needs a working directory, which this engine does not provide`);
    let inputs: unknown = ctx.properties.inputs ?? {};
    if (typeof inputs === "string") {
      try {
        inputs = JSON.parse(inputs);
      } catch {
        throw new Error("inputs must be a map or a JSON string of one");
      }
    }
    if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs))
      throw new Error("inputs must be a map");
    const workspace = await runner.createWorkspace();
    try {
      for (const [name, content] of Object.entries(inputs as Record<string, unknown>)) {
        const text = typeof content === "string" ? content : JSON.stringify(content);
        await workspace.writeFile(name, text.startsWith("kestra://") ? await storage.get(text) : text);
      }
      const uris: Record<string, string> = {};
      for (const file of await workspace.collect(ctx.properties.outputs ?? [])) {
        uris[file.path] = await storage.put(taskFileUri(ctx, file.path), await file.read());
      }
      return { outputs: { uris } };
    } finally {
      await workspace.dispose();
    }
  },
  examples: [
    {
      title: "Create a file from an expression and send it to the internal storage",
      flow: `id: local_files
namespace: company.team

tasks:
  - id: files
    type: io.kestra.plugin.core.storage.LocalFiles
    inputs:
      report.csv: |
        id,total
        1,{{ 40 + 2 }}
    outputs:
      - "*.csv"

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.files.uris['report.csv']) }}"
`,
    },
  ],
});
