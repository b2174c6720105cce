import { z } from "zod";
import { toOutputString } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";
import { old, requireStorage, storageUri, taskFileUri } from "./files";
import { type Item, itemVariables, joinLines, readItems } from "./items";

const TYPE = "core.storage.DeduplicateItems";

export const deduplicateItemsPlugin = definePlugin({
  type: TYPE,
  aliases: [old("DeduplicateItems")],
  kind: "runnable",
  title: "Remove the items of an ION or JSON-lines file that share a key, keeping the last one.",
  description: [
    "Reads `from` (one ION or JSON value per line) and renders `expr` for each item, with the item's fields",
    "as variables (`{{ customer_email }}`) and the whole item as `value`: the rendered text is the item's key.",
    "Of the items with the same key only the last is kept; kept lines stay in their original order and are",
    "copied unchanged into a new `.ion` file. Outputs `uri`, `numKeys`, `processedItemsTotal` and",
    "`droppedItemsTotal`. An expression that fails on an item fails the task.",
  ].join("\n"),
  rawProperties: ["expr"],
  schema: z.object({
    from: storageUri("The file to deduplicate."),
    expr: z
      .string()
      .min(1)
      .describe(
        "The expression giving each item's deduplication key (not rendered before the task starts): the item's fields are variables, and `value` is the whole item.",
      ),
  }),
  outputs: z.object({
    uri: z.string().describe("The URI of the deduplicated file."),
    numKeys: z.number().int().describe("The number of distinct keys."),
    processedItemsTotal: z.number().int().describe("The number of items read."),
    droppedItemsTotal: z.number().int().describe("The number of items dropped."),
  }),
  examples: [
    {
      title: "Keep one row per customer email",
      flow: `id: deduplicate_items
namespace: company.team

inputs:
  - id: customers
    type: FILE
    description: One JSON object per line, e.g. {"name":"Kelly","customer_email":"kelly@example.com"}

tasks:
  - id: dedup
    type: io.kestra.plugin.core.storage.DeduplicateItems
    from: "{{ inputs.customers }}"
    expr: "{{ customer_email }}"

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.dedup.numKeys }} distinct customers, {{ outputs.dedup.droppedItemsTotal }} duplicates dropped"
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const storage = requireStorage(ctx, TYPE);
    const items = await readItems(storage, properties.from);
    const keys: string[] = [];
    const last = new Map<string, number>();
    for (const [index, item] of items.entries()) {
      let key: string;
      try {
        key = toOutputString(await ctx.render(properties.expr, itemVariables(item.value)));
      } catch (error) {
        throw new Error(`expr failed on item at line ${item.number}: ${(error as Error).message}`);
      }
      keys.push(key);
      last.set(key, index);
    }
    const kept: Item[] = items.filter((_, index) => last.get(keys[index] as string) === index);
    const uri = await storage.put(taskFileUri(ctx, `${ctx.task.id}.ion`), joinLines(kept));
    return {
      outputs: {
        uri,
        numKeys: last.size,
        processedItemsTotal: items.length,
        droppedItemsTotal: items.length - kept.length,
      },
    };
  },
});
