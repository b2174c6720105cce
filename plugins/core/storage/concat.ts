import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { checkUri, old, readFile, requireStorage, taskFileUri } from "./files";

const TYPE = "core.storage.Concat";

/** `files` after rendering: a list of URIs, or a JSON string holding one. */
function fileList(files: string | string[]): string[] {
  if (Array.isArray(files)) return files;
  let parsed: unknown;
  try {
    parsed = JSON.parse(files);
  } catch {
    throw new Error("files must be a list of kestra:// URIs or a JSON string of such a list");
  }
  if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== "string")) {
    throw new Error("files must be a list of kestra:// URIs or a JSON string of such a list");
  }
  return parsed as string[];
}

export const concatPlugin = definePlugin({
  type: TYPE,
  aliases: [old("Concat")],
  kind: "runnable",
  title: "Concatenate files of the internal storage into one file.",
  description: [
    "Reads the `kestra://` URIs of `files` (a list, or a JSON string of a list, e.g. the result of a `jq`",
    "filter) in order and writes them one after the other into a new file. When `separator` is set it is",
    "written after each file (the last one included). Outputs `uri`, the new file, named with `extension`.",
  ].join("\n"),
  schema: z.object({
    files: z
      .union([z.array(z.string()), z.string()])
      .describe("The files to concatenate: `kestra://` URIs, as a list or as a JSON string of a list."),
    separator: z.string().optional().describe("Written after each file; no separator by default."),
    extension: z.string().default(".tmp").describe("The extension of the created file."),
  }),
  outputs: z.object({ uri: z.string().describe("The URI of the concatenated file.") }),
  examples: [
    {
      title: "Concatenate two uploaded files with a line break after each",
      flow: `id: concat_example
namespace: company.team

inputs:
  - id: first
    type: FILE
  - id: second
    type: FILE

tasks:
  - id: concat
    type: io.kestra.plugin.core.storage.Concat
    files:
      - "{{ inputs.first }}"
      - "{{ inputs.second }}"
    separator: "\\n"
    extension: .txt
`,
    },
    {
      title: "Concatenate every file a previous task split",
      flow: `id: concat_split_parts
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: split
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    rows: 100

  - id: concat
    type: io.kestra.plugin.core.storage.Concat
    files: "{{ outputs.split.uris }}"
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const storage = requireStorage(ctx, TYPE);
    const uris = fileList(properties.files).map((uri, index) => checkUri(uri, `files[${index}]`));
    const separator =
      properties.separator === undefined ? undefined : new TextEncoder().encode(properties.separator);
    const chunks: Uint8Array[] = [];
    for (const [index, uri] of uris.entries()) {
      chunks.push(await readFile(storage, uri, `files[${index}]`));
      if (separator) chunks.push(separator);
    }
    const size = chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
    const content = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      content.set(chunk, offset);
      offset += chunk.byteLength;
    }
    const extension =
      properties.extension.startsWith(".") || properties.extension === ""
        ? properties.extension
        : `.${properties.extension}`;
    const uri = await storage.put(taskFileUri(ctx, `${ctx.task.id}${extension}`), content);
    return { outputs: { uri } };
  },
});
