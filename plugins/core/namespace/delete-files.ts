import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { globMatcher } from "../storage/glob";
import { listNamespaceFiles, requireNamespaceStorage } from "./files";

const TYPE = "core.namespace.DeleteFiles";

export const deleteFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Delete namespace files.",
  description:
    "Deletes the namespace files matching `files` (glob patterns or paths). Outputs `files`: the paths deleted. Folders exist only through their files, so a folder left empty disappears with its last file.",
  schema: z.object({
    namespace: z.string().describe("The namespace to delete the files from."),
    files: z
      .union([z.string(), z.array(z.string()).min(1)])
      .describe("A glob pattern or path, or a list of them, e.g. `**.upl`."),
    deleteParentFolder: dyn(z.boolean())
      .default(false)
      .describe("Also delete the folders that are left empty."),
  }),
  outputs: z.object({ files: z.array(z.string()).describe("The namespace paths of the deleted files.") }),
  examples: [
    {
      title: "Delete the `.upl` files of the `tutorial` namespace",
      flow: `id: delete_files
namespace: company.team

tasks:
  - id: delete
    type: io.kestra.plugin.core.namespace.DeleteFiles
    namespace: tutorial
    files:
      - "**.upl"
`,
    },
  ],
  async run(ctx) {
    const storage = requireNamespaceStorage(ctx, TYPE);
    const { properties } = ctx;
    const matches = globMatcher(typeof properties.files === "string" ? [properties.files] : properties.files);
    const deleted: string[] = [];
    for (const file of await listNamespaceFiles(storage, properties.namespace)) {
      if (matches(file.path) && (await storage.delete(file.uri))) deleted.push(`/${file.path}`);
    }
    ctx.logger.info(`deleted ${deleted.length} namespace file(s) of ${properties.namespace}`);
    return { outputs: { files: deleted } };
  },
});
