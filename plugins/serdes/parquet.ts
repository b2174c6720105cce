// IonToParquet and ParquetToIon on hyparquet-writer and hyparquet: pure JavaScript, no dependency beyond
// each other, actively released, and both work a row group at a time — the writer appends each row group
// to the file as it is encoded (ParquetWriter.write), the reader reads one row group's byte range through
// an AsyncBuffer. @dsnp/parquetjs streams too but pulls the AWS SDK, thrift and WASM codecs; parquetjs-lite
// is unmaintained. Parquet needs random access (the footer comes first), so the file goes through a
// temporary copy on disk, never through memory whole. The schema is Kestra's: an Avro record (given or
// inferred), mapped onto Parquet types; nested values (arrays, maps, records) are written as JSON columns.
import { join } from "node:path";
import * as zlib from "node:zlib";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { fileWriter, ParquetWriter } from "hyparquet-writer";
import { z } from "zod";
import { toIon } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";
import { convertedRows, schemaFor } from "./avro";
import {
  type AvroSchema,
  converterShape,
  plainValue,
  type RecordSchema,
  unwrapNullable,
} from "./avro-schema";
import { conversionOutputs, converted, from, source, targetUri } from "./shared";
import { writeText } from "./stream";
import { download, upload, withTempDir } from "./temp-files";

const ION_TO_PARQUET = "serdes.parquet.IonToParquet";
const PARQUET_TO_ION = "serdes.parquet.ParquetToIon";

/** Rows encoded per row group: bounded memory whatever the file's size. */
const ROWS_PER_GROUP = 100_000;

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];
type Codec = "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "ZSTD";

// Node 22.15+ has zstd; on older Node the ZSTD codec is refused with a clear message.
const zstd = zlib as unknown as {
  zstdCompressSync?: (input: Uint8Array) => Buffer;
  zstdDecompressSync?: (input: Uint8Array) => Buffer;
};

const zstdCompress = zstd.zstdCompressSync;
const zstdDecompress = zstd.zstdDecompressSync;

const COMPRESSORS = {
  GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliCompressSync(input)),
  ...(zstdCompress ? { ZSTD: (input: Uint8Array) => new Uint8Array(zstdCompress(input)) } : {}),
};

function compressors(codec: Codec) {
  if (codec === "ZSTD" && !zstdCompress)
    throw new Error("compressionCodec ZSTD needs Node 22.15 or later; use GZIP or SNAPPY");
  return COMPRESSORS;
}

const decompressors = {
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(brotliDecompressSync(input)),
  ...(zstdDecompress ? { ZSTD: (input: Uint8Array) => new Uint8Array(zstdDecompress(input)) } : {}),
};

interface Column {
  name: string;
  element: SchemaElement;
  /** The converted Avro value as the writer takes it. */
  value: (v: unknown) => unknown;
}

const same = (v: unknown) => v;
const big = (v: unknown) => (v === null || v === undefined ? v : BigInt(v as number));

/** A top-level Avro field as a Parquet column. */
function columnOf(name: string, type: AvroSchema): Column {
  const { schema, nullable } = unwrapNullable(type);
  const repetition_type = nullable ? "OPTIONAL" : "REQUIRED";
  const base = typeof schema === "string" ? schema : Array.isArray(schema) ? "union" : String(schema.type);
  const logicalType = typeof schema === "object" && !Array.isArray(schema) ? schema.logicalType : undefined;
  const element = (rest: Omit<SchemaElement, "name" | "repetition_type">): SchemaElement =>
    ({ name, repetition_type, ...rest }) as SchemaElement;
  if (base === "int" && logicalType === "date")
    return { name, element: element({ type: "INT32", converted_type: "DATE" }), value: same };
  if (base === "int" && logicalType === "time-millis")
    return { name, element: element({ type: "INT32", converted_type: "TIME_MILLIS" }), value: same };
  if (base === "long" && logicalType === "timestamp-millis")
    return { name, element: element({ type: "INT64", converted_type: "TIMESTAMP_MILLIS" }), value: big };
  if (base === "long" && logicalType === "timestamp-micros")
    return { name, element: element({ type: "INT64", converted_type: "TIMESTAMP_MICROS" }), value: big };
  switch (base) {
    case "boolean":
      return { name, element: element({ type: "BOOLEAN" }), value: same };
    case "int":
      return { name, element: element({ type: "INT32" }), value: same };
    case "long":
      return { name, element: element({ type: "INT64" }), value: big };
    case "float":
      return { name, element: element({ type: "FLOAT" }), value: same };
    case "double":
      return { name, element: element({ type: "DOUBLE" }), value: same };
    case "string":
    case "enum":
      return { name, element: element({ type: "BYTE_ARRAY", converted_type: "UTF8" }), value: same };
    case "bytes":
    case "fixed":
      return { name, element: element({ type: "BYTE_ARRAY" }), value: same };
    default:
      return {
        name,
        element: element({ type: "BYTE_ARRAY", converted_type: "JSON" }),
        value: (v) => (v === null || v === undefined ? v : plainValue(v)),
      };
  }
}

export const ionToParquetPlugin = definePlugin({
  type: ION_TO_PARQUET,
  aliases: ["io.kestra.plugin.serdes.parquet.ParquetWriter"],
  kind: "runnable",
  title: "Convert an ION file into Parquet.",
  description: [
    "Reads an ION file (one row per line) and writes a Parquet file, a row group of 100,000 rows at a time,",
    "so memory stays bounded whatever the file's size. Rows are typed by `schema`, an Avro record as in",
    "IonToAvro (given as JSON, or inferred from the first rows); each top-level field is a column: Avro",
    "`int`/`long`/`float`/`double`/`boolean`/`string`/`bytes`, `date`, `time-millis` and `timestamp-*` map",
    "to Parquet's own types, and arrays, maps and records are written as JSON columns.",
    "",
    "`parquetVersion`, `rowGroupSize` and `dictionaryPageSize` are accepted for Kestra compatibility: row",
    "groups are counted in rows here and dictionaries are kept when they halve a column's size.",
  ].join("\n"),
  schema: z.object({
    from,
    ...converterShape,
    compressionCodec: z
      .enum(["UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"])
      .default("GZIP")
      .describe("The compression of the column pages (ZSTD needs Node 22.15 or later)."),
    parquetVersion: z.enum(["V1", "V2"]).default("V2").describe("Accepted for Kestra compatibility."),
    rowGroupSize: z
      .number()
      .int()
      .positive()
      .default(134_217_728)
      .describe("Accepted for Kestra compatibility (bytes there); row groups hold 100,000 rows here."),
    pageSize: z
      .number()
      .int()
      .positive()
      .default(1_048_576)
      .describe("The target size of a data page, in bytes."),
    dictionaryPageSize: z
      .number()
      .int()
      .positive()
      .default(1_048_576)
      .describe("Accepted for Kestra compatibility."),
  }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Convert JSON-lines orders to Parquet with a typed schema",
      flow: `id: orders_to_parquet
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: JSON lines, one order per line

tasks:
  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.orders }}"

  - id: to_parquet
    type: io.kestra.plugin.serdes.parquet.IonToParquet
    from: "{{ outputs.to_ion.uri }}"
    compressionCodec: SNAPPY
    schema: |
      {
        "type": "record",
        "name": "Order",
        "fields": [
          {"name": "product_id", "type": "int"},
          {"name": "customer_email", "type": "string"},
          {"name": "total", "type": ["null", "double"]}
        ]
      }
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const { storage, uri } = source(ctx, ION_TO_PARQUET, p.from);
    const schema: RecordSchema = await schemaFor(p, storage, uri);
    const columns = schema.fields.map((field) => columnOf(field.name, field.type));
    const codec = p.compressionCodec as Codec;
    const target = targetUri(ctx, uri, ".parquet");
    let count = 0;
    const written = await withTempDir(async (dir) => {
      const path = join(dir, "out.parquet");
      const writer = new ParquetWriter({
        writer: fileWriter(path),
        schema: [
          { name: "root", num_children: columns.length } as SchemaElement,
          ...columns.map((c) => c.element),
        ],
        codec,
        compressors: compressors(codec),
        createdBy: "cadenza",
      });
      let pending: Record<string, unknown>[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        await writer.write({
          columnData: columns.map((c) => ({ name: c.name, data: batch.map((row) => c.value(row[c.name])) })),
          rowGroupSize: batch.length,
          pageSize: p.pageSize,
        });
      };
      for await (const batch of convertedRows(p, storage, uri, schema, ctx.logger)) {
        for (const row of batch) {
          pending.push(row);
          count++;
          if (pending.length >= ROWS_PER_GROUP) await flush();
        }
      }
      await flush();
      await writer.finish();
      return upload(storage, path, target);
    });
    return converted(ctx, written, count);
  },
});

/** A value read by hyparquet as an ION row value: DATE columns as `2024-05-01`, the rest plain. */
function readValue(value: unknown, element: { converted_type?: string } | undefined): unknown {
  if (value instanceof Date && element?.converted_type === "DATE") return value.toISOString().slice(0, 10);
  return plainValue(value);
}

export const parquetToIonPlugin = definePlugin({
  type: PARQUET_TO_ION,
  aliases: ["io.kestra.plugin.serdes.parquet.ParquetReader"],
  kind: "runnable",
  title: "Convert a Parquet file into ION.",
  description: [
    "Reads a Parquet file one row group at a time (through a temporary copy on disk, as Parquet's footer",
    "comes first) and writes one ION row per row. Timestamps become ION timestamps, dates `2024-05-01`,",
    "64-bit integers numbers when exact (else strings), binary values base64, JSON columns their values.",
    "Codecs: uncompressed, Snappy, GZIP, Brotli (and ZSTD on Node 22.15 or later).",
  ].join("\n"),
  schema: z.object({ from }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Write a Parquet file, then read it back and export it as CSV",
      flow: `id: parquet_to_csv
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: JSON lines, one order per line

tasks:
  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.orders }}"

  - id: to_parquet
    type: io.kestra.plugin.serdes.parquet.IonToParquet
    from: "{{ outputs.to_ion.uri }}"

  - id: back
    type: io.kestra.plugin.serdes.parquet.ParquetToIon
    from: "{{ outputs.to_parquet.uri }}"

  - id: to_csv
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ outputs.back.uri }}"
`,
    },
  ],
  async run(ctx) {
    const { storage, uri } = source(ctx, PARQUET_TO_ION, ctx.properties.from);
    const target = targetUri(ctx, uri, ".ion");
    let count = 0;
    const written = await withTempDir(async (dir) => {
      const path = join(dir, "in.parquet");
      await download(storage, uri, path);
      const file = await asyncBufferFromFile(path);
      let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
      try {
        metadata = await parquetMetadataAsync(file);
      } catch (error) {
        throw new Error(`${uri} is not a Parquet file: ${(error as Error).message}`);
      }
      const elements = new Map(metadata.schema.map((element) => [element.name, element]));
      async function* lines(): AsyncIterable<string> {
        let rowStart = 0;
        for (const group of metadata.row_groups) {
          const rowEnd = rowStart + Number(group.num_rows);
          const rows = await parquetReadObjects({
            file,
            metadata,
            rowStart,
            rowEnd,
            compressors: decompressors,
          });
          let text = "";
          for (const row of rows) {
            const out: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(row)) out[key] = readValue(value, elements.get(key));
            text += `${toIon(out)}\n`;
            count++;
          }
          yield text;
          rowStart = rowEnd;
        }
      }
      return writeText(storage, target, lines());
    });
    return converted(ctx, written, count);
  },
});
