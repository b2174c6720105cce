import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { checkKey, kvKey, kvNamespace, requireKv, targetNamespace } from "./shared";

const TYPE = "core.kv.Get";

export const kvGetPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Read the value of a key from a namespace's KV store.",
  description: [
    "Outputs `value`, of the type it was stored with. When the key does not exist (or has expired) the task",
    "succeeds without a `value` output, unless `errorOnMissing` is true.",
    "",
    "The `kv('key')` function reads a value inside any expression without a task.",
  ].join("\n"),
  schema: z.object({
    key: kvKey.describe("The key to read."),
    namespace: kvNamespace.describe("The namespace to read from; by default the namespace of the flow."),
    errorOnMissing: dyn(z.boolean()).default(false).describe("Whether to fail when the key has no value."),
  }),
  outputs: z.object({
    value: z
      .unknown()
      .optional()
      .describe("The value of the key, as it was stored; absent when the key has none."),
  }),
  examples: [
    {
      title: "Read `my_variable` from the `company` namespace and fail when it is not set",
      flow: `id: kv_store_get
namespace: company.team

tasks:
  - id: kv_get
    type: io.kestra.plugin.core.kv.Get
    key: my_variable
    namespace: company
    errorOnMissing: true

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "my_variable = {{ outputs.kv_get.value }}"
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const kv = requireKv(ctx, TYPE);
    const namespace = await targetNamespace(ctx, properties.namespace);
    const key = checkKey(properties.key);
    const entry = await kv.get(namespace, key);
    if (!entry) {
      if (properties.errorOnMissing) {
        throw new Error(
          `no value found for key '${key}' in namespace '${namespace}' and errorOnMissing is true`,
        );
      }
      return { outputs: {} };
    }
    return { outputs: { value: entry.value } };
  },
});
