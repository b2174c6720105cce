import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { kvNamespace, requireKv, targetNamespace } from "./shared";

const TYPE = "core.kv.GetKeys";

export const kvGetKeysPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "List the keys of a namespace's KV store, optionally those starting with a prefix.",
  description: "Outputs `keys`: the keys that exist (expired pairs excluded), in alphabetical order.",
  schema: z.object({
    prefix: z.string().optional().describe("Only keys starting with this prefix; all keys when not set."),
    namespace: kvNamespace.describe(
      "The namespace whose keys are listed; by default the namespace of the flow.",
    ),
  }),
  outputs: z.object({ keys: z.array(z.string()).describe("The keys found.") }),
  examples: [
    {
      title: "List the keys starting with `my_var`",
      flow: `id: kv_store_getkeys
namespace: company.team

tasks:
  - id: kv_getkeys
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: my_var

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.kv_getkeys.keys | length }} keys: {{ outputs.kv_getkeys.keys | join(', ') }}"
`,
    },
  ],
  async run(ctx) {
    const kv = requireKv(ctx, TYPE);
    const namespace = await targetNamespace(ctx, ctx.properties.namespace);
    const prefix = ctx.properties.prefix ?? "";
    const keys = await kv.list(namespace, prefix);
    return { outputs: { keys: keys.filter((key) => key.startsWith(prefix)) } };
  },
});
