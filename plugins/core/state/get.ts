import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { oldState, stateShape, stateStorage } from "./shared";

const TYPE = "core.state.Get";

export const stateGetPlugin = definePlugin({
  type: TYPE,
  aliases: [oldState("Get")],
  kind: "runnable",
  title: "Read a named JSON state of the flow.",
  description:
    "Outputs `data` (the state's values) and `count`. A missing state gives empty data unless `errorOnMissing` is true.",
  schema: z.object({
    ...stateShape,
    errorOnMissing: dyn(z.boolean()).default(false).describe("Fail when the state does not exist."),
  }),
  outputs: z.object({
    count: z.number().int().describe("The number of keys in the state."),
    data: z.record(z.string(), z.unknown()).describe("The values of the state."),
  }),
  examples: [
    {
      title: "Read the state written by core.state.Set",
      flow: `id: state_get
namespace: company.team

tasks:
  - id: get_state
    type: io.kestra.plugin.core.state.Get
    name: last_files

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Last file: {{ outputs.get_state.data.last ?? 'none' }}"
`,
    },
  ],
  async run(ctx) {
    const { read } = stateStorage(ctx, TYPE);
    const data = await read();
    if (!data && ctx.properties.errorOnMissing)
      throw new Error(`the state '${ctx.properties.name}' does not exist`);
    return { outputs: { count: Object.keys(data ?? {}).length, data: data ?? {} } };
  },
});
