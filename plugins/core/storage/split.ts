import { z } from "zod";
import { compileRegex } from "@/engine/expr";
import { definePlugin, dyn, isExpression } from "@/engine/plugin";
import { extensionOf, old, parseSize, readText, requireStorage, storageUri, taskFileUri } from "./files";
import { type SplitRule, splitRows } from "./split-lines";

const TYPE = "core.storage.Split";
const RULES = ["regexPattern", "bytes", "partitions", "rows"] as const;

export const splitSchema = z.object({
  from: storageUri("The file to split."),
  bytes: z
    .union([z.string(), z.number().int().positive()])
    .optional()
    .describe(
      "Split into parts of about this size: a number of bytes or a size such as `512KB` or `10MB`. A new part starts once the current one holds at least this many bytes, so rows are never cut.",
    ),
  partitions: dyn(z.number().int().positive())
    .optional()
    .describe("Split into this many parts; rows are dealt round-robin and empty parts are dropped."),
  rows: dyn(z.number().int().positive()).optional().describe("Split into parts of this many rows."),
  regexPattern: z
    .string()
    .optional()
    .describe(
      "Group rows by the first capture group of this regular expression (one part per distinct value, rows that do not match are dropped), e.g. `\\[(\\w+)\\]`.",
    ),
  separator: z
    .string()
    .default("\n")
    .describe("Written after each row of the parts. A newline by default; `\\r\\n` for Windows files."),
});

export const splitPlugin = definePlugin({
  type: TYPE,
  aliases: [old("Split")],
  kind: "runnable",
  title: "Split a file of the internal storage into several files.",
  description: [
    "Reads `from` row by row and writes the rows into parts, by `rows`, `bytes`, `partitions` or",
    "`regexPattern` (one of them is required; when several are set, `regexPattern` wins, then `bytes`,",
    "`partitions` and `rows`, as in Kestra). The parts keep the extension of the source file. Outputs `uris`.",
  ].join("\n"),
  schema: splitSchema,
  outputs: z.object({ uris: z.array(z.string()).describe("The URIs of the parts, in order.") }),
  validate(properties, ctx) {
    if (RULES.every((rule) => properties[rule] === undefined)) {
      ctx.error([], "set one of rows, bytes, partitions or regexPattern to say how to split");
    }
    const bytes = properties.bytes;
    if (typeof bytes === "string" && !isExpression(bytes)) {
      try {
        parseSize(bytes);
      } catch (error) {
        ctx.error(["bytes"], (error as Error).message);
      }
    }
  },
  examples: [
    {
      title: "Split an uploaded CSV file into parts of 1000 rows",
      flow: `id: split_rows
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: split
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    rows: 1000

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.split.uris | length }} parts"
`,
    },
    {
      title: "Split a file into parts of at most about 10MB, or into 8 partitions",
      flow: `id: split_size
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: by_size
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    bytes: 10MB

  - id: by_partitions
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    partitions: 8
`,
    },
  ],
  async run(ctx) {
    const { properties } = ctx;
    const storage = requireStorage(ctx, TYPE);
    let rule: SplitRule;
    if (properties.regexPattern !== undefined) {
      rule = { kind: "regex", pattern: compileRegex(properties.regexPattern) };
    } else if (properties.bytes !== undefined) {
      rule = { kind: "bytes", limit: parseSize(properties.bytes) };
    } else if (properties.partitions !== undefined) {
      rule = { kind: "partitions", count: properties.partitions };
    } else if (properties.rows !== undefined) {
      rule = { kind: "rows", count: properties.rows };
    } else {
      throw new Error("set one of rows, bytes, partitions or regexPattern to say how to split");
    }
    const text = await readText(storage, properties.from);
    const parts = splitRows(text, rule, properties.separator);
    const extension = extensionOf(properties.from);
    const uris: string[] = [];
    for (const [index, part] of parts.entries()) {
      uris.push(await storage.put(taskFileUri(ctx, `${ctx.task.id}-${index + 1}${extension}`), part));
    }
    ctx.logger.debug(`split ${properties.from} into ${uris.length} part(s)`);
    return { outputs: { uris } };
  },
});
