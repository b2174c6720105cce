import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { requireStorage, taskFileUri } from "./files";

const TYPE = "core.storage.Write";

export const writePlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Write content to a file of the internal storage.",
  description: [
    "Writes `content` (rendered, as UTF-8) to a new file of this task run and outputs its `uri`, for the",
    "tasks after it that read files: a small CSV or ION made from outputs, a configuration, a report.",
    "`extension` names the file's kind (`.txt`, `.csv`, `.ion`); without it the file has none.",
  ].join("\n"),
  schema: z.object({
    content: z.string().describe("The file's content."),
    extension: z
      .string()
      .regex(/^\.?[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "expected a file extension such as .txt")
      .optional()
      .describe("The file's extension, e.g. `.txt` (the dot may be left out)."),
  }),
  outputs: z.object({ uri: z.string().describe("The URI of the written file in the internal storage.") }),
  examples: [
    {
      title: "Write a file and log its content",
      flow: `id: write
namespace: company.team

tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: Hello World
    extension: .txt

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.write.uri) }}"
`,
    },
  ],
  async run(ctx) {
    const { content, extension } = ctx.properties;
    const storage = requireStorage(ctx, TYPE);
    const suffix = extension === undefined ? "" : extension.startsWith(".") ? extension : `.${extension}`;
    const uri = await storage.put(taskFileUri(ctx, `${ctx.task.id}${suffix}`), content);
    return { outputs: { uri } };
  },
});
