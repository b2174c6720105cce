import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { extensionOf, lines, old, readFile, requireStorage, storageUri, taskFileUri } from "./files";

const TYPE = "core.storage.Reverse";

interface Codec {
  decode(data: Uint8Array): string;
  encode(text: string): Uint8Array;
}

const utf8: Codec = {
  decode: (data) => new TextDecoder("utf-8").decode(data),
  encode: (text) => new TextEncoder().encode(text),
};

const latin1: Codec = {
  decode: (data) => Array.from(data, (byte) => String.fromCharCode(byte)).join(""),
  encode: (text) =>
    Uint8Array.from(text, (char) => {
      const code = char.charCodeAt(0);
      if (code > 0xff) throw new Error(`character '${char}' cannot be written in ISO-8859-1`);
      return code;
    }),
};

const utf16 = (littleEndian: boolean): Codec => ({
  decode: (data) => new TextDecoder(littleEndian ? "utf-16le" : "utf-16be").decode(data),
  encode: (text) => {
    const out = new Uint8Array(text.length * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), littleEndian);
    return out;
  },
});

/** The charsets Reverse reads and writes back (Java names, case-insensitive). */
function codecFor(charset: string): Codec {
  switch (charset.trim().toUpperCase().replace(/_/g, "-")) {
    case "UTF-8":
    case "UTF8":
      return utf8;
    case "ISO-8859-1":
    case "LATIN1":
    case "US-ASCII":
    case "ASCII":
      return latin1;
    case "UTF-16":
    case "UTF-16BE":
      return utf16(false);
    case "UTF-16LE":
      return utf16(true);
    default:
      throw new Error(
        `unsupported charset '${charset}' (UTF-8, UTF-16, UTF-16LE, UTF-16BE, ISO-8859-1 or US-ASCII)`,
      );
  }
}

export const reversePlugin = definePlugin({
  type: TYPE,
  aliases: [old("Reverse")],
  kind: "runnable",
  title: "Reverse the lines of a file of the internal storage, last line first.",
  description:
    "Writes the lines of `from` in reverse order, each followed by `separator`, into a new file with the same extension. Outputs `uri`.",
  schema: z.object({
    from: storageUri("The file to reverse."),
    separator: z
      .string()
      .default("\n")
      .describe("Written after each line. A newline by default; `\\r\\n` for Windows files."),
    charset: z
      .string()
      .default("UTF-8")
      .describe(
        "The charset of the file: `UTF-8`, `UTF-16` (`UTF-16BE`, `UTF-16LE`), `ISO-8859-1` or `US-ASCII`.",
      ),
  }),
  outputs: z.object({ uri: z.string().describe("The URI of the reversed file.") }),
  examples: [
    {
      title: "Reverse an uploaded file",
      flow: `id: reverse_file
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: reverse
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ inputs.file }}"
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const storage = requireStorage(ctx, TYPE);
    const codec = codecFor(properties.charset);
    const text = codec.decode(await readFile(storage, properties.from));
    const reversed = lines(text)
      .reverse()
      .map((line) => line + properties.separator)
      .join("");
    const data = codec.encode(reversed);
    const uri = await storage.put(taskFileUri(ctx, `${ctx.task.id}${extensionOf(properties.from)}`), data);
    return { outputs: { uri } };
  },
});
