import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { checkKey, kvKey, kvNamespace, requireKv, targetNamespace } from "./shared";

const TYPE = "core.kv.Delete";

export const kvDeletePlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Delete a key-value pair from a namespace's KV store.",
  description:
    "Outputs `deleted`: whether the key existed. With `errorOnMissing: true` a missing key fails the task.",
  schema: z.object({
    key: kvKey.describe("The key to delete."),
    namespace: kvNamespace.describe("The namespace of the pair; by default the namespace of the flow."),
    errorOnMissing: dyn(z.boolean()).default(false).describe("Whether to fail when the key has no value."),
  }),
  outputs: z.object({ deleted: z.boolean().describe("Whether the key existed and was deleted.") }),
  examples: [
    {
      title: "Delete the pair `my_variable` of the `company` namespace",
      flow: `id: kv_store_delete
namespace: company.team

tasks:
  - id: kv_delete
    type: io.kestra.plugin.core.kv.Delete
    key: my_variable
    namespace: company
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const kv = requireKv(ctx, TYPE);
    const namespace = await targetNamespace(ctx, properties.namespace);
    const key = checkKey(properties.key);
    const deleted = await kv.delete(namespace, key);
    if (!deleted && properties.errorOnMissing) {
      throw new Error(
        `no value found for key '${key}' in namespace '${namespace}' and errorOnMissing is true`,
      );
    }
    return { outputs: { deleted } };
  },
});
