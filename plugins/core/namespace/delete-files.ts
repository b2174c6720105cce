import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

const TYPE = "core.namespace.DeleteFiles";

export const deleteFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Delete namespace files.",
  description: "Deletes the namespace files matching `files` (glob patterns or paths).",
  schema: z.object({
    namespace: z.string().describe("The namespace to delete the files from."),
    files: z
      .union([z.string(), z.array(z.string()).min(1)])
      .describe("A glob pattern or path, or a list of them, e.g. `**.upl`."),
    deleteParentFolder: dyn(z.boolean())
      .default(false)
      .describe("Also delete the folders that are left empty."),
  }),
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
  run: notAvailableYet(TYPE, "namespace files storage"),
});
