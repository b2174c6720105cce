import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { checkUri, old, requireStorage, storageUri } from "./files";

const TYPE = "core.storage.Size";

export const sizePlugin = definePlugin({
  type: TYPE,
  aliases: [old("Size")],
  kind: "runnable",
  title: "Get the size of a file of the internal storage.",
  description: "Outputs `size`, in bytes. Fails when the file does not exist.",
  schema: z.object({ uri: storageUri("The file whose size is wanted.") }),
  outputs: z.object({ size: z.number().int().describe("The size of the file in bytes.") }),
  examples: [
    {
      title: "Log the size of an uploaded file",
      flow: `id: file_size
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: size
    type: io.kestra.plugin.core.storage.Size
    uri: "{{ inputs.file }}"

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "The file holds {{ outputs.size.size }} bytes"
`,
    },
  ],
  async run(ctx) {
    const storage = requireStorage(ctx, TYPE);
    const uri = checkUri(ctx.properties.uri);
    if (!(await storage.exists(uri))) throw new Error(`file not found in internal storage: ${uri}`);
    return { outputs: { size: await storage.size(uri) } };
  },
});
