import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";
import { old } from "./files";

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
  run: notAvailableYet(TYPE, "a working directory on the worker shared with core.flow.WorkingDirectory"),
});
