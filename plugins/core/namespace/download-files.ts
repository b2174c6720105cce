import { z } from "zod";
import { definePlugin, taskRunStoragePrefix } from "@/engine/plugin";
import { globMatcher } from "../storage/glob";
import { listNamespaceFiles, normalizeNamespacePath, requireNamespaceStorage } from "./files";

const TYPE = "core.namespace.DownloadFiles";

export const downloadFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Copy namespace files into the internal storage of the execution.",
  description:
    "Copies the namespace files matching `files` (glob patterns or paths) to the execution's internal storage. Outputs `files`: the URI of each copied file by its path.",
  schema: z.object({
    namespace: z.string().describe("The namespace to download the files from."),
    files: z
      .union([z.string(), z.array(z.string()).min(1)])
      .describe("A glob pattern or path, or a list of them, e.g. `**.sql` or `/scripts/main.py`."),
    destination: z.string().default("").describe("A folder prefix for the copied files."),
  }),
  outputs: z.object({
    files: z
      .record(z.string(), z.string())
      .describe("The URI of each downloaded file, by its namespace path (`/scripts/main.py`)."),
  }),
  examples: [
    {
      title: "Download every SQL file of the `tutorial` namespace",
      flow: `id: download_files
namespace: company.team

tasks:
  - id: download
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: tutorial
    files:
      - "**.sql"
`,
    },
  ],
  async run(ctx) {
    const storage = requireNamespaceStorage(ctx, TYPE);
    const { properties } = ctx;
    const patterns = typeof properties.files === "string" ? [properties.files] : properties.files;
    const matches = globMatcher(patterns);
    const base = taskRunStoragePrefix(ctx.execution, ctx.task.id, ctx.taskRun.id);
    const destination = properties.destination.replace(/^\/+|\/+$/g, "");
    const files: Record<string, string> = {};
    for (const file of await listNamespaceFiles(storage, properties.namespace)) {
      if (!matches(file.path)) continue;
      const relative = normalizeNamespacePath(destination ? `${destination}/${file.path}` : file.path);
      const target =
        base +
        relative
          .split("/")
          .map((s) => encodeURIComponent(s).replace(/%20/g, "+"))
          .join("/");
      files[`/${file.path}`] = await storage.put(target, await storage.get(file.uri));
    }
    ctx.logger.info(`downloaded ${Object.keys(files).length} namespace file(s) of ${properties.namespace}`);
    return { outputs: { files } };
  },
});
