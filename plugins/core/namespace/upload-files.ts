import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

const TYPE = "core.namespace.UploadFiles";

export const uploadFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Upload files to the namespace files of a namespace.",
  description: [
    "`files` uploads the files of the task's working directory that match glob patterns (for use inside",
    "`core.flow.WorkingDirectory`); `filesMap` uploads `kestra://` files under the names given as keys, which",
    "renames or moves them. Files land under `destination` (`/` by default); `conflict` says what to do when",
    "a file already exists.",
  ].join("\n"),
  schema: z.object({
    namespace: z.string().describe("The namespace to upload the files to."),
    files: z
      .array(z.string())
      .optional()
      .describe(
        "Glob patterns (Apache Ant style, e.g. `glob:**/dbt/**`) of files of the working directory to upload.",
      ),
    filesMap: z
      .union([z.record(z.string(), z.string()), z.string()])
      .optional()
      .describe(
        "A map of destination file name to `kestra://` URI, or a JSON string of one (e.g. the `outputFiles` of another task).",
      ),
    destination: z.string().default("/").describe("The folder of the namespace files the files go to."),
    conflict: z
      .enum(["OVERWRITE", "ERROR", "SKIP"])
      .default("OVERWRITE")
      .describe("When a file already exists: `OVERWRITE` it, fail with an `ERROR`, or `SKIP` the upload."),
  }),
  outputs: z.object({ files: z.record(z.string(), z.string()).optional() }),
  validate(properties, ctx) {
    if (properties.files === undefined && properties.filesMap === undefined) {
      ctx.error([], "set files or filesMap to say what to upload");
    }
  },
  examples: [
    {
      title: "Upload an uploaded Python script as the namespace file /scripts/main.py",
      flow: `id: upload_script
namespace: company.team

inputs:
  - id: script
    type: FILE

tasks:
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: "{{ flow.namespace }}"
    filesMap:
      /scripts/main.py: "{{ inputs.script }}"
    conflict: OVERWRITE
`,
    },
  ],
  run: notAvailableYet(TYPE, "namespace files storage"),
});
