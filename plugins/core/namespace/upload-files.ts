import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { namespaceFileUri, normalizeNamespacePath, requireNamespaceStorage } from "./files";

const TYPE = "core.namespace.UploadFiles";

export const uploadFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Upload files to the namespace files of a namespace.",
  description: [
    "`files` uploads the files of the task's working directory that match glob patterns (for use inside",
    "`core.flow.WorkingDirectory`); `filesMap` uploads `kestra://` files under the names given as keys, which",
    "renames or moves them. Files land under `destination` (`/` by default); `conflict` says what to do when",
    "a file already exists. Outputs `files`: the URI of each namespace file written, by its path.",
    "",
    "Outside a WorkingDirectory the task's working directory is empty, so `files` only makes sense inside one.",
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
  async run(ctx) {
    const storage = requireNamespaceStorage(ctx, TYPE);
    const { properties } = ctx;
    const destination = properties.destination.replace(/\/+$/, "");
    const files: Record<string, string> = {};
    const upload = async (name: string, content: () => Promise<Uint8Array>, from: string) => {
      const path = normalizeNamespacePath(name.startsWith("/") ? name : `${destination}/${name}`);
      const target = namespaceFileUri(properties.namespace, path);
      if (await storage.exists(target)) {
        if (properties.conflict === "ERROR") {
          throw new Error(
            `namespace file /${path} already exists in ${properties.namespace} (conflict: ERROR)`,
          );
        }
        if (properties.conflict === "SKIP") {
          ctx.logger.info(`namespace file /${path} already exists: skipped`);
          return;
        }
      }
      files[`/${path}`] = await storage.put(target, await content());
      ctx.logger.debug(`uploaded ${from} to /${path} of ${properties.namespace}`);
    };

    if (properties.files?.length) {
      const runner = ctx.services.processRunner;
      if (!runner)
        throw new Error(`${TYPE}: files needs a working directory, which this engine does not provide`);
      const workspace = await runner.createWorkspace();
      try {
        for (const file of await workspace.collect(properties.files)) {
          await upload(file.path, () => file.read(), file.path);
        }
      } finally {
        await workspace.dispose();
      }
    }

    let map: unknown = properties.filesMap ?? {};
    if (typeof map === "string") {
      try {
        map = JSON.parse(map);
      } catch {
        throw new Error("filesMap must be a map or a JSON string of one");
      }
    }
    if (map === null || typeof map !== "object" || Array.isArray(map))
      throw new Error("filesMap must be a map");
    for (const [name, source] of Object.entries(map as Record<string, unknown>)) {
      if (typeof source !== "string" || !source.startsWith("kestra://")) {
        throw new Error(`filesMap: the value of '${name}' must be a kestra:// URI`);
      }
      if (!(await storage.exists(source))) throw new Error(`file not found in internal storage: ${source}`);
      await upload(name, () => storage.get(source), source);
    }
    return { outputs: { files } };
  },
});
