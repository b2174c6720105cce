import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

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
      .describe("The URI of each downloaded file, by its namespace path."),
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
  run: notAvailableYet(TYPE, "namespace files storage"),
});
