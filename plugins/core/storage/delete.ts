import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { checkUri, old, requireStorage, storageUri } from "./files";

const TYPE = "core.storage.Delete";

export const storageDeletePlugin = definePlugin({
  type: TYPE,
  aliases: [old("Delete")],
  kind: "runnable",
  title: "Delete a file from the internal storage.",
  description:
    "Outputs `uri` and `deleted` (whether the file existed). With `errorOnMissing: true` a missing file fails the task.",
  schema: z.object({
    uri: storageUri("The file to delete."),
    errorOnMissing: dyn(z.boolean()).default(false).describe("Whether to fail when the file does not exist."),
  }),
  outputs: z.object({
    uri: z.string().describe("The URI of the deleted file."),
    deleted: z.boolean().describe("Whether the file existed and was deleted."),
  }),
  examples: [
    {
      title: "Delete an uploaded file once it has been used",
      flow: `id: delete_file
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: size
    type: io.kestra.plugin.core.storage.Size
    uri: "{{ inputs.file }}"

  - id: delete
    type: io.kestra.plugin.core.storage.Delete
    uri: "{{ inputs.file }}"
    errorOnMissing: true
`,
    },
  ],
  async run(ctx) {
    const storage = requireStorage(ctx, TYPE);
    const uri = checkUri(ctx.properties.uri);
    const deleted = await storage.delete(uri);
    if (!deleted && ctx.properties.errorOnMissing) throw new Error(`unable to find file '${uri}'`);
    return { outputs: { uri, deleted } };
  },
});
