import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { checkUri, requireStorage, taskFileUri } from "../../core/storage/files";
import { readChunks } from "../../serdes/stream";
import { connectionShape } from "../shared";
import { withPostgres } from "./client";
import { PG_URL } from "./example";

const COPY_IN = "jdbc.postgresql.CopyIn";
const COPY_OUT = "jdbc.postgresql.CopyOut";

const character = (what: string) =>
  z.string().length(1, "expected exactly one character").optional().describe(what);

/** COPY's options, as Kestra's CopyIn and CopyOut name them. */
const copyShape = {
  ...connectionShape(PG_URL),
  format: z.enum(["TEXT", "CSV", "BINARY"]).default("TEXT").describe("The file's format."),
  header: z.boolean().optional().describe("CSV: the file has (CopyIn) or gets (CopyOut) a header line."),
  delimiter: character("The character between columns (tab for TEXT, comma for CSV by default)."),
  nullString: z
    .string()
    .optional()
    .describe("The text that stands for null (`\\N` in TEXT, empty in CSV by default)."),
  quote: character('CSV: the quoting character (`"` by default).'),
  escape: character("CSV: the character that escapes a quote (the quote itself by default)."),
  encoding: z
    .string()
    .optional()
    .describe("The file's encoding (the database's client encoding by default)."),
  columns: z.array(z.string()).optional().describe("The columns to copy (all by default)."),
};

function options(client: pg.Client, p: z.output<z.ZodObject<typeof copyShape>>, extra: string[]): string {
  const list = [`format ${p.format.toLowerCase()}`];
  if (p.header !== undefined) list.push(`header ${p.header}`);
  if (p.delimiter !== undefined) list.push(`delimiter ${client.escapeLiteral(p.delimiter)}`);
  if (p.nullString !== undefined) list.push(`null ${client.escapeLiteral(p.nullString)}`);
  if (p.quote !== undefined) list.push(`quote ${client.escapeLiteral(p.quote)}`);
  if (p.escape !== undefined) list.push(`escape ${client.escapeLiteral(p.escape)}`);
  if (p.encoding !== undefined) list.push(`encoding ${client.escapeLiteral(p.encoding)}`);
  return `(${[...list, ...extra].join(", ")})`;
}

const columnList = (columns: string[] | undefined) => (columns?.length ? ` (${columns.join(", ")})` : "");

export const postgresCopyInPlugin = definePlugin({
  type: COPY_IN,
  kind: "runnable",
  title: "Load a file of the internal storage into a PostgreSQL table with COPY.",
  description: [
    "Streams the file `from` into `table` with `COPY ... FROM STDIN`: the fastest way to load rows, without",
    "holding the file in memory. Outputs `rowCount`, the rows loaded.",
  ].join("\n"),
  schema: z.object({
    ...copyShape,
    from: z
      .string()
      .min(1)
      .describe("The file to load: a `kestra://` URI, e.g. `{{ outputs.download.uri }}`."),
    table: z.string().min(1).describe("The table to load into (may be schema-qualified)."),
    forceNotNull: z.array(z.string()).optional().describe("CSV: columns whose empty values are not null."),
    forceNull: z.array(z.string()).optional().describe("CSV: columns whose quoted empty values are null."),
  }),
  outputs: z.object({ rowCount: z.number().int().describe("The number of rows loaded.") }),
  examples: [
    {
      title: "Load a CSV file downloaded from an API",
      flow: `id: postgres_copy_in
namespace: company.team

tasks:
  - id: download
    type: io.kestra.plugin.core.http.Download
    uri: https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv

  - id: load
    type: io.kestra.plugin.jdbc.postgresql.CopyIn
    url: ${PG_URL}
    username: "{{ secret('POSTGRES_USERNAME') }}"
    password: "{{ secret('POSTGRES_PASSWORD') }}"
    from: "{{ outputs.download.uri }}"
    table: orders
    format: CSV
    header: true
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const storage = requireStorage(ctx, COPY_IN);
    const uri = checkUri(p.from, "from");
    if (!(await storage.exists(uri))) throw new Error(`file not found in internal storage: ${uri}`);
    const rowCount = await withPostgres(p, ctx.services, ctx.signal, async (client) => {
      const extra: string[] = [];
      if (p.forceNotNull?.length) extra.push(`force_not_null (${p.forceNotNull.join(", ")})`);
      if (p.forceNull?.length) extra.push(`force_null (${p.forceNull.join(", ")})`);
      const sql = `copy ${p.table}${columnList(p.columns)} from stdin with ${options(client, p, extra)}`;
      const stream = client.query(copyFrom(sql));
      await pipeline(Readable.from(readChunks(storage, uri)), stream);
      return stream.rowCount;
    });
    ctx.metric({ name: "rows", type: "counter", value: rowCount });
    return { outputs: { rowCount } };
  },
});

export const postgresCopyOutPlugin = definePlugin({
  type: COPY_OUT,
  kind: "runnable",
  title: "Export a PostgreSQL table or query to a file with COPY.",
  description: [
    "Streams `COPY ... TO STDOUT` of `table` or of the query `sql` into a file of the internal storage",
    "(`uri`), without holding it in memory. Outputs `uri` and `rowCount`.",
  ].join("\n"),
  schema: z.object({
    ...copyShape,
    table: z.string().optional().describe("The table to export (or give `sql`)."),
    sql: z.string().optional().describe("A query whose rows are exported (instead of `table`)."),
    forceQuote: z.array(z.string()).optional().describe("CSV: columns always quoted."),
  }),
  outputs: z.object({
    uri: z.string().describe("The exported file in the internal storage."),
    rowCount: z.number().int().describe("The number of rows exported."),
  }),
  examples: [
    {
      title: "Export a table as CSV with a header",
      flow: `id: postgres_copy_out
namespace: company.team

tasks:
  - id: export
    type: io.kestra.plugin.jdbc.postgresql.CopyOut
    url: ${PG_URL}
    username: "{{ secret('POSTGRES_USERNAME') }}"
    password: "{{ secret('POSTGRES_PASSWORD') }}"
    table: orders
    format: CSV
    header: true
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    if (!p.table === !p.sql) throw new Error("CopyOut needs either table or sql (and not both)");
    const storage = requireStorage(ctx, COPY_OUT);
    const extension = p.format === "CSV" ? "csv" : p.format === "BINARY" ? "bin" : "txt";
    const target = taskFileUri(ctx, `${ctx.task.id}.${extension}`);
    const result = await withPostgres(p, ctx.services, ctx.signal, async (client) => {
      const extra = p.forceQuote?.length ? [`force_quote (${p.forceQuote.join(", ")})`] : [];
      const source = p.sql ? `(${p.sql.trim().replace(/;\s*$/, "")})` : `${p.table}${columnList(p.columns)}`;
      const stream = client.query(copyTo(`copy ${source} to stdout with ${options(client, p, extra)}`));
      const done = new Promise<void>((resolve, reject) => {
        stream.on("end", resolve);
        stream.on("error", reject);
      });
      let uri: string;
      if (storage.write) uri = await storage.write(target, stream as AsyncIterable<Uint8Array>);
      else {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        uri = await storage.put(target, Buffer.concat(chunks));
      }
      await done;
      return { uri, rowCount: stream.rowCount };
    });
    ctx.metric({ name: "rows", type: "counter", value: result.rowCount });
    return { outputs: result };
  },
});
