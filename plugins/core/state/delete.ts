import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { oldState, stateShape, stateStorage } from "./shared";

const TYPE = "core.state.Delete";

export const stateDeletePlugin = definePlugin({
  type: TYPE,
  aliases: [oldState("Delete")],
  kind: "runnable",
  title: "Delete a named JSON state of the flow.",
  description:
    "Outputs `deleted`: whether the state existed. With `errorOnMissing: true` a missing state fails the task.",
  schema: z.object({
    ...stateShape,
    errorOnMissing: dyn(z.boolean()).default(false).describe("Fail when the state does not exist."),
  }),
  outputs: z.object({ deleted: z.boolean().describe("Whether the state existed and was deleted.") }),
  examples: [
    {
      title: "Reset a state",
      flow: `id: state_delete
namespace: company.team

tasks:
  - id: delete_state
    type: io.kestra.plugin.core.state.Delete
    name: last_files
`,
    },
  ],
  async run(ctx) {
    const { storage, uri } = stateStorage(ctx, TYPE);
    const deleted = await storage.delete(uri);
    if (!deleted && ctx.properties.errorOnMissing)
      throw new Error(`the state '${ctx.properties.name}' does not exist`);
    return { outputs: { deleted } };
  },
});
