import { z } from "zod";
import { definePlugin, duration, dyn } from "@/engine/plugin";
import { parseDuration } from "@/engine/util/duration";
import { KV_TYPES, toKvType } from "./kv-type";
import { checkKey, kvKey, kvNamespace, requireKv, targetNamespace } from "./shared";

const TYPE = "core.kv.Set";

export const kvSetPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Create or update a key-value pair in a namespace's KV store.",
  description: [
    "Renders `key`, `value` and `namespace` (the flow's namespace by default) and writes the pair to the KV store.",
    "",
    "- `kvType` converts and checks the value: `NUMBER` must be numeric, `BOOLEAN` true or false, `DATETIME` an",
    "  ISO-8601 date-time (stored in UTC), `DATE` a `YYYY-MM-DD` date, `DURATION` an ISO-8601 duration, and a",
    "  `JSON` string is parsed. Without `kvType` the rendered value is stored as it is.",
    "- `ttl` makes the pair expire after that ISO-8601 duration.",
    "- With `overwrite: false` the task fails when the key already holds a value.",
    "",
    "Read the value back with the `kv('key')` function or the `core.kv.Get` task.",
  ].join("\n"),
  schema: z.object({
    key: kvKey.describe("The key to set the value for."),
    value: z
      .union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .describe(
        "The value to map to the key (rendered; an expression that yields a map or a list keeps it).",
      ),
    namespace: kvNamespace.describe(
      "The namespace in which the KV pair is stored; by default the namespace of the flow.",
    ),
    overwrite: dyn(z.boolean())
      .default(true)
      .describe("Whether to overwrite the value of an existing key, or fail when the key already exists."),
    ttl: duration
      .optional()
      .describe("Time to live of the pair (ISO-8601 duration). Without it the pair never expires."),
    kvType: z
      .enum(KV_TYPES)
      .optional()
      .describe("The type of the value: the value is converted to it and refused when it does not fit."),
    kvDescription: z.string().optional().describe("A description of the KV pair."),
  }),
  examples: [
    {
      title: "Store the URI of a downloaded file under the key `orders_file`",
      flow: `id: kv_store_set
namespace: company.team

tasks:
  - id: http_download
    type: io.kestra.plugin.core.http.Download
    uri: https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv

  - id: kv_set
    type: io.kestra.plugin.core.kv.Set
    key: orders_file
    value: "{{ outputs.http_download.uri }}"
    kvType: STRING
`,
    },
    {
      title: "Store a typed, expiring value and read it back",
      flow: `id: kv_typed
namespace: company.team

tasks:
  - id: set_threshold
    type: io.kestra.plugin.core.kv.Set
    key: threshold
    value: "42"
    kvType: NUMBER
    ttl: P1D
    kvDescription: Alert threshold, refreshed daily

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Threshold is {{ kv('threshold') + 1 }}"
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const kv = requireKv(ctx, TYPE);
    const namespace = await targetNamespace(ctx, properties.namespace);
    const key = checkKey(properties.key);
    let ttlMs: number | undefined;
    if (properties.ttl !== undefined) {
      ttlMs = parseDuration(properties.ttl);
      if (ttlMs === undefined)
        throw new Error(`ttl '${properties.ttl}' is not an ISO-8601 duration (e.g. PT1H, P1D)`);
      if (ttlMs <= 0) throw new Error(`ttl must be a positive duration, got '${properties.ttl}'`);
    }
    const value = properties.kvType ? toKvType(properties.value, properties.kvType) : properties.value;
    await kv.set(namespace, key, value, {
      overwrite: properties.overwrite,
      ...(ttlMs !== undefined ? { ttlMs } : {}),
      ...(properties.kvType ? { type: properties.kvType } : {}),
      ...(properties.kvDescription !== undefined ? { description: properties.kvDescription } : {}),
    });
    ctx.logger.debug(`set KV '${key}' in namespace ${namespace}`);
    return undefined;
  },
});
