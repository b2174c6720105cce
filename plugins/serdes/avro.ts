// IonToAvro and AvroToIon on avsc: the pure-JavaScript Avro implementation of the Node world (no native
// code, no dependency), whose BlockEncoder/BlockDecoder streams write and read Avro object container files
// block by block, so a file of a million rows is never held whole.
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import avro from "avsc";
import { z } from "zod";
import { toIon } from "@/engine/expr";
import { definePlugin, type TaskLogger } from "@/engine/plugin";
import {
  AvroConverter,
  type AvroSchema,
  BadRowError,
  checkNames,
  converterShape,
  fromAvro,
  inferSchema,
  parseSchema,
  type RecordSchema,
} from "./avro-schema";
import { conversionOutputs, converted, from, ionRows, source, targetUri } from "./shared";
import { readChunks, writeText } from "./stream";
import { upload, withTempDir } from "./temp-files";

const ION_TO_AVRO = "serdes.avro.IonToAvro";
const AVRO_TO_ION = "serdes.avro.AvroToIon";

type Options = z.output<z.ZodObject<typeof converterShape>>;

/** The schema to write with: the property's, or one inferred from the first rows of the file. */
export async function schemaFor(
  p: Options,
  storage: Parameters<typeof ionRows>[0],
  uri: string,
): Promise<RecordSchema> {
  if (p.schema) {
    const schema = parseSchema(p.schema);
    checkNames(schema);
    return schema;
  }
  const sample: unknown[] = [];
  for await (const batch of ionRows(storage, uri)) {
    sample.push(...batch.slice(0, p.numberOfRowsToScan - sample.length));
    if (sample.length >= p.numberOfRowsToScan) break;
  }
  return inferSchema(sample);
}

/**
 * The rows of an ION file converted to `schema`, a batch at a time; rows that do not fit fail the task or
 * are skipped (with a warning for WARN), as `onBadLines` says.
 */
export async function* convertedRows(
  p: Options,
  storage: Parameters<typeof ionRows>[0],
  uri: string,
  schema: RecordSchema,
  logger: TaskLogger,
): AsyncIterable<Record<string, unknown>[]> {
  const converter = new AvroConverter(p);
  let number = 0;
  for await (const batch of ionRows(storage, uri)) {
    const out: Record<string, unknown>[] = [];
    for (const row of batch) {
      number++;
      try {
        out.push(converter.record(row, schema));
      } catch (error) {
        if (!(error instanceof BadRowError)) throw error;
        const message = `row ${number}: ${error.message}`;
        if (p.onBadLines === "ERROR")
          throw new Error(`${message} (onBadLines: SKIP or WARN skips such rows)`);
        if (p.onBadLines === "WARN") logger.warn(`skipped ${message}`);
      }
    }
    if (out.length) yield out;
  }
}

function avroType(schema: RecordSchema): avro.Type {
  try {
    return avro.Type.forSchema(schema as avro.Schema);
  } catch (error) {
    throw new Error(`schema is not a valid Avro schema: ${(error as Error).message}`);
  }
}

/** The schema written in the file's header: without the inferred schemas' source keys. */
function headerSchema(schema: RecordSchema): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value) => (key === "x-source" ? undefined : value)));
}

export const ionToAvroPlugin = definePlugin({
  type: ION_TO_AVRO,
  aliases: ["io.kestra.plugin.serdes.avro.AvroWriter"],
  kind: "runnable",
  title: "Convert an ION file into Avro.",
  description: [
    "Reads an ION file (one row per line) and writes an Avro object container file, streaming. Each row is",
    "converted to `schema` (given as JSON, or inferred from the first `numberOfRowsToScan` rows): strings",
    "become numbers, booleans (`trueValues`/`falseValues`), nulls (`nullValues`), dates and date-times",
    "(logical types `date`, `timestamp-millis`/`-micros`, `time-millis`) as the field's type says, so a",
    "CSV converted to ION can be typed here. Rows that do not fit follow `onBadLines`.",
  ].join("\n"),
  schema: z.object({ from, ...converterShape }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Convert JSON-lines orders to Avro with a typed schema",
      flow: `id: orders_to_avro
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: JSON lines, one order per line

tasks:
  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.orders }}"

  - id: to_avro
    type: io.kestra.plugin.serdes.avro.IonToAvro
    from: "{{ outputs.to_ion.uri }}"
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
    const { storage, uri } = source(ctx, ION_TO_AVRO, p.from);
    const schema = await schemaFor(p, storage, uri);
    avroType(schema);
    const target = targetUri(ctx, uri, ".avro");
    let count = 0;
    const rows = convertedRows(p, storage, uri, schema, ctx.logger);
    async function* records(): AsyncIterable<Record<string, unknown>> {
      for await (const batch of rows) {
        for (const record of batch) {
          count++;
          yield record;
        }
      }
    }
    const written = await withTempDir(async (dir) => {
      const path = join(dir, "out.avro");
      await pipeline(
        Readable.from(records()),
        // The schema as given (logical types included), not avsc's parsed type, which drops them.
        new avro.streams.BlockEncoder(headerSchema(schema) as avro.Schema, { codec: "null" }),
        createWriteStream(path, { mode: 0o600 }),
      );
      return upload(storage, path, target);
    });
    return converted(ctx, written, count);
  },
});

/** Avro's magic bytes, checked before avsc sees the file (its header error would escape its stream). */
const MAGIC = Buffer.from("Obj\x01", "latin1");

async function checkMagic(storage: Parameters<typeof readChunks>[0], uri: string): Promise<void> {
  let head = Buffer.alloc(0);
  for await (const chunk of readChunks(storage, uri)) {
    head = Buffer.concat([head, chunk]);
    if (head.length >= MAGIC.length) break;
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC))
    throw new Error(`${uri} is not a readable Avro file: it does not start with Avro's magic bytes`);
}

export const avroToIonPlugin = definePlugin({
  type: AVRO_TO_ION,
  aliases: ["io.kestra.plugin.serdes.avro.AvroReader"],
  kind: "runnable",
  title: "Convert an Avro file into ION.",
  description: [
    "Reads an Avro object container file (null, deflate or snappy-less codecs) block by block and writes",
    "one ION row per record. Logical types come back as values: `date` as `2024-05-01`, `timestamp-*` as",
    "ION timestamps; bytes as base64.",
  ].join("\n"),
  schema: z.object({
    from,
    onBadLines: converterShape.onBadLines,
  }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Write an Avro file, then read it back as ION",
      flow: `id: avro_round_trip
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: JSON lines, one order per line

tasks:
  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.orders }}"

  - id: to_avro
    type: io.kestra.plugin.serdes.avro.IonToAvro
    from: "{{ outputs.to_ion.uri }}"

  - id: back
    type: io.kestra.plugin.serdes.avro.AvroToIon
    from: "{{ outputs.to_avro.uri }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const { storage, uri } = source(ctx, AVRO_TO_ION, p.from);
    const target = targetUri(ctx, uri, ".ion");
    const decoder = new avro.streams.BlockDecoder();
    let schema: AvroSchema | undefined;
    // The writer's schema as written in the header: avsc's parsed type drops unregistered logical types.
    decoder.on("metadata", (type: avro.Type, _codec: string, header: { meta?: Record<string, Buffer> }) => {
      const text = header.meta?.["avro.schema"]?.toString("utf8");
      schema = text ? (JSON.parse(text) as AvroSchema) : (type.schema() as AvroSchema);
    });
    await checkMagic(storage, uri);
    const input = Readable.from(readChunks(storage, uri));
    input.on("error", (error) => decoder.destroy(error));
    input.pipe(decoder);
    let count = 0;
    async function* lines(): AsyncIterable<string> {
      let text = "";
      try {
        for await (const record of decoder) {
          count++;
          text += `${toIon(fromAvro(record, schema ?? "null"))}\n`;
          if (text.length > 65_536) {
            yield text;
            text = "";
          }
        }
      } catch (error) {
        const message = (error as Error).message;
        if (message.includes("is not a readable Avro file")) throw error;
        throw new Error(`${uri} is not a readable Avro file: ${message}`);
      }
      if (text) yield text;
    }
    const written = await writeText(storage, target, lines());
    return converted(ctx, written, count);
  },
});
