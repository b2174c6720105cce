import { z } from "zod";
import { isTruthy } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";
import { old, requireStorage, storageUri, taskFileUri } from "./files";
import { itemVariables, joinLines, readItems } from "./items";

const TYPE = "core.storage.FilterItems";
const FILTER_TYPES = ["INCLUDE", "EXCLUDE"] as const;
const ERROR_OR_NULL = ["FAIL", "INCLUDE", "EXCLUDE"] as const;

export const filterItemsPlugin = definePlugin({
  type: TYPE,
  aliases: [old("FilterItems")],
  kind: "runnable",
  title: "Keep or drop the items of an ION or JSON-lines file with an expression.",
  description: [
    "Reads `from` (one ION or JSON value per line) and renders `filterCondition` for each item, with the",
    "item's fields as variables (`{{ product_id == 20 }}`) and the whole item as `value`. The result is",
    "true unless it renders to `false`, `0`, `-0` or an empty string. With `filterType: INCLUDE` matching",
    "items are kept, with `EXCLUDE` they are dropped. `errorOrNullBehavior` says what to do with an item on",
    "which the expression fails or renders to null: fail the task (default), include it or exclude it.",
    "Kept lines are copied unchanged into a new `.ion` file. Outputs `uri`, `processedItemsTotal` and",
    "`droppedItemsTotal`.",
  ].join("\n"),
  rawProperties: ["filterCondition"],
  schema: z.object({
    from: storageUri("The file to filter."),
    filterCondition: z
      .string()
      .min(1)
      .describe(
        "The expression evaluated on each item (not rendered before the task starts): the item's fields are variables, and `value` is the whole item.",
      ),
    filterType: z
      .enum(FILTER_TYPES)
      .default("INCLUDE")
      .describe("`INCLUDE` keeps the items that match `filterCondition`, `EXCLUDE` drops them."),
    errorOrNullBehavior: z
      .enum(ERROR_OR_NULL)
      .default("FAIL")
      .describe(
        "When the expression fails or returns null on an item: `FAIL` the task, `INCLUDE` or `EXCLUDE` the item.",
      ),
  }),
  outputs: z.object({
    uri: z.string().describe("The URI of the filtered file."),
    processedItemsTotal: z.number().int().describe("The number of items read."),
    droppedItemsTotal: z.number().int().describe("The number of items dropped."),
  }),
  examples: [
    {
      title: "Keep the orders of product 20 from an uploaded JSON-lines file",
      flow: `id: filter_items
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: One JSON order per line, e.g. {"order_id":1,"product_id":20}

tasks:
  - id: filter
    type: io.kestra.plugin.core.storage.FilterItems
    from: "{{ inputs.orders }}"
    filterCondition: "{{ product_id == 20 }}"
    filterType: INCLUDE
    errorOrNullBehavior: EXCLUDE

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Kept {{ outputs.filter.processedItemsTotal - outputs.filter.droppedItemsTotal }} orders"
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const storage = requireStorage(ctx, TYPE);
    const items = await readItems(storage, properties.from);
    const kept = [];
    for (const item of items) {
      let match: boolean | null = null;
      let failure: Error | undefined;
      try {
        const rendered = await ctx.render(properties.filterCondition, itemVariables(item.value));
        if (rendered !== null && rendered !== undefined) {
          match = isTruthy(typeof rendered === "string" ? rendered.trim() : rendered);
        }
      } catch (error) {
        failure = error as Error;
      }
      let keep: boolean;
      if (match === null) {
        if (properties.errorOrNullBehavior === "FAIL") {
          throw new Error(
            failure
              ? `filterCondition failed on item at line ${item.number}: ${failure.message}`
              : `filterCondition returned null on item at line ${item.number}: ${item.line}`,
          );
        }
        keep = properties.errorOrNullBehavior === "INCLUDE";
      } else {
        keep = match === (properties.filterType === "INCLUDE");
      }
      if (keep) kept.push(item);
    }
    const uri = await storage.put(taskFileUri(ctx, `${ctx.task.id}.ion`), joinLines(kept));
    return {
      outputs: { uri, processedItemsTotal: items.length, droppedItemsTotal: items.length - kept.length },
    };
  },
});
