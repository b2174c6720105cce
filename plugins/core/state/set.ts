import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { oldState, stateShape, stateStorage } from "./shared";

const TYPE = "core.state.Set";

export const stateSetPlugin = definePlugin({
  type: TYPE,
  aliases: [oldState("Set")],
  kind: "runnable",
  title: "Merge values into a named JSON state of the flow.",
  description: [
    "Merges `data` into the state `name`: new keys are added, existing keys are overwritten. States predate",
    "the KV store and are not safe under concurrent executions of the same flow: prefer `core.kv.Set`.",
    "Outputs `count` (the number of keys of the state) and `key`.",
  ].join("\n"),
  schema: z.object({
    ...stateShape,
    data: z.record(z.string(), z.unknown()).optional().describe("The values to merge into the state."),
  }),
  outputs: z.object({
    count: z.number().int().describe("The number of keys in the state."),
    key: z.string().describe("The key of the state."),
  }),
  examples: [
    {
      title: "Remember the last processed file",
      flow: `id: state_set
namespace: company.team

inputs:
  - id: file_name
    type: STRING

tasks:
  - id: set_state
    type: io.kestra.plugin.core.state.Set
    name: last_files
    data:
      last: "{{ inputs.file_name }}"
`,
    },
  ],
  async run(ctx) {
    const { storage, uri, read } = stateStorage(ctx, TYPE);
    const merged = deepMerge((await read()) ?? {}, ctx.properties.data ?? {});
    await storage.put(uri, JSON.stringify(merged));
    return { outputs: { count: Object.keys(merged).length, key: uri } };
  },
});

const isMap = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value);

/** Kestra's MapUtils.merge: nested maps merge key by key; anything else is replaced. */
function deepMerge(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(update)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return out;
}
