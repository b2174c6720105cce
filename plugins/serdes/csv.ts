import { z } from "zod";
import { ionFieldName, toIon } from "@/engine/expr";
import { definePlugin, dyn, type TaskLogger } from "@/engine/plugin";
import { type CsvRecord, parseCsv } from "./csv-parse";
import { character, charset, conversionOutputs, converted, from, ionRows, source, targetUri } from "./shared";
import { readText, writeText } from "./stream";

const CSV_TO_ION = "serdes.csv.CsvToIon";
const ION_TO_CSV = "serdes.csv.IonToCsv";

/** Kestra's null marker in CSV files. */
const NULL = "\\N";

const csvToIonSchema = z.object({
  from,
  header: dyn(z.boolean()).default(true).describe("Whether the first line holds the column names."),
  fieldSeparator: character("The field separator character.", ","),
  textDelimiter: character("The text delimiter (quote) character.", '"'),
  skipEmptyRows: dyn(z.boolean())
    .default(false)
    .describe("Skip empty lines (otherwise an empty line is a record of one empty field)."),
  skipRows: dyn(z.number().int().min(0))
    .default(0)
    .describe("The number of records to skip at the start of the file (after the header)."),
  onBadLines: z
    .enum(["ERROR", "WARN", "SKIP"])
    .default("ERROR")
    .describe(
      "What to do with a malformed record or one whose field count differs from the header's: fail the task (`ERROR`), skip it with a warning (`WARN`) or skip it silently (`SKIP`).",
    ),
  onEmptyHeader: z
    .enum(["DROP", "RENAME"])
    .default("DROP")
    .describe(
      "Columns whose header name is empty: `DROP` removes trailing unnamed columns; `RENAME` keeps every column, naming unnamed ones col_0, col_1...",
    ),
  errorOnDifferentFieldCount: dyn(z.boolean())
    .optional()
    .describe("Deprecated and ignored: use `onBadLines`."),
  charset: charset("CSV"),
  maxBufferSize: dyn(z.number().int().positive())
    .optional()
    .describe("Accepted for Kestra compatibility; the reader streams and needs no buffer limit."),
  allowExtraCharsAfterClosingQuote: dyn(z.boolean())
    .default(false)
    .describe('Accept characters after a closing quote (`"a"b` reads as `ab`) instead of a bad line.'),
  maxFieldSize: dyn(z.number().int().positive())
    .default(16 * 1024 * 1024)
    .describe("The longest field accepted, in characters; a longer one makes a bad line."),
});

/** The header's column names under the onEmptyHeader policy, and how many columns each row emits. */
function resolveHeader(
  names: string[],
  onEmptyHeader: "DROP" | "RENAME",
  logger: TaskLogger,
): { names: string[]; kept: number } {
  if (onEmptyHeader === "RENAME") {
    const taken = new Set(names);
    const renamed = names.map((name, index) => {
      if (name !== "") return name;
      for (let attempt = 1; ; attempt++) {
        const candidate = attempt === 1 ? `col_${index}` : `col_${index}_${attempt}`;
        if (!taken.has(candidate)) {
          taken.add(candidate);
          return candidate;
        }
      }
    });
    return { names: renamed, kept: names.length };
  }
  let last = -1;
  names.forEach((name, index) => {
    if (name !== "") last = index;
  });
  const kept = last >= 0 ? last + 1 : names.length;
  if (kept < names.length)
    logger.warn(
      `Dropped ${names.length - kept} trailing unnamed header column(s); their values are not emitted. Set onEmptyHeader=RENAME to keep them.`,
    );
  if (new Set(names.slice(0, kept)).size < kept)
    logger.warn(
      "The header has duplicate or empty column names: colliding columns share one key and only the last value is kept. Set onEmptyHeader=RENAME to keep every column.",
    );
  return { names, kept };
}

export const csvToIonPlugin = definePlugin({
  type: CSV_TO_ION,
  kind: "runnable",
  title: "Convert a CSV file into ION.",
  description: [
    "Reads a CSV file of the internal storage and writes it as ION, one row per line: a struct per record",
    "keyed by the header's column names (every value a string; `\\N` is null), or a list per record when",
    "`header` is false. The file is streamed: a million-row file is never held in memory.",
    "",
    "A malformed record (an unclosed quote, characters after a closing quote, a different field count",
    "than the header's) fails the task unless `onBadLines` says to skip it.",
  ].join("\n"),
  schema: csvToIonSchema,
  outputs: conversionOutputs,
  examples: [
    {
      title: "Download a CSV file and convert it to ION",
      flow: `id: csv_to_ion
namespace: company.team

tasks:
  - id: download
    type: io.kestra.plugin.core.http.Download
    uri: https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv

  - id: convert
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ outputs.download.uri }}"
`,
    },
    {
      title: "Read a semicolon-separated file in Latin-1 without a header",
      flow: `id: legacy_export
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: convert
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
    fieldSeparator: ";"
    header: false
    charset: ISO-8859-1
    skipEmptyRows: true
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const { storage, uri } = source(ctx, CSV_TO_ION, p.from);
    const target = targetUri(ctx, uri, ".ion");
    const records = parseCsv(readText(storage, uri, p.charset), {
      separator: p.fieldSeparator,
      quote: p.textDelimiter,
      skipEmptyLines: p.skipEmptyRows,
      allowExtraCharsAfterClosingQuote: p.allowExtraCharsAfterClosingQuote,
      maxFieldSize: p.maxFieldSize,
    });
    const bad = (message: string): void => {
      if (p.onBadLines === "ERROR") throw new Error(message);
      if (p.onBadLines === "WARN") ctx.logger.warn(`Bad line encountered (skipped): ${message}`);
    };
    let count = 0;
    let header: { names: string[]; kept: number; keys: string[] } | undefined;
    let skipped = 0;
    /** One record as an ION line, or undefined when it is skipped. */
    const convert = (record: CsvRecord): string | undefined => {
      if (record.error) return void bad(`line ${record.line}: ${record.error}`);
      if (p.header && !header) {
        const resolved = resolveHeader(record.fields, p.onEmptyHeader, ctx.logger);
        header = { ...resolved, keys: resolved.names.map((name) => `${ionFieldName(name)}:`) };
        return undefined;
      }
      if (skipped < p.skipRows) {
        skipped++;
        return undefined;
      }
      const fields = record.fields;
      if (!header) {
        count++;
        return `${toIon(fields.map((f) => (f === NULL ? null : f)))}\n`;
      }
      if (fields.length !== header.names.length) {
        return void bad(
          `line ${record.line}: field count mismatch: expected ${header.names.length}, got ${fields.length} fields`,
        );
      }
      // Null fields are left out of the struct, as Kestra's ION writer leaves out null values.
      let line = "{";
      let first = true;
      for (let i = 0; i < header.kept; i++) {
        const value = fields[i] as string;
        if (value === NULL) continue;
        line += `${first ? "" : ","}${header.keys[i]}${JSON.stringify(value)}`;
        first = false;
      }
      count++;
      return `${line}}\n`;
    };
    async function* lines(): AsyncIterable<string> {
      for await (const batch of records) {
        let text = "";
        for (const record of batch) text += convert(record) ?? "";
        yield text;
      }
    }
    await writeText(storage, target, lines());
    return converted(ctx, target, count);
  },
});

/** When IonToCsv quotes a field (Kestra's QuoteMode). */
type QuoteMode = "ALWAYS" | "REQUIRED" | "NON_NUMERIC";
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/** A value as CSV text: strings as they are, numbers and booleans printed, maps and lists as JSON. */
function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export const ionToCsvPlugin = definePlugin({
  type: ION_TO_CSV,
  kind: "runnable",
  title: "Convert an ION file into CSV.",
  description: [
    "Reads an ION file (one row per line, as the other serdes and storage tasks write them) and writes a",
    "CSV file. Struct rows give the header from the first row's keys and their values in that order (a key",
    "a row lacks is an empty field); list rows are written as they are (only with `header: false`). Null is",
    "an empty field; maps and lists inside a row are written as JSON. Streamed: memory holds one row.",
    "",
    "Timestamps are written as the ISO-8601 text of the ION file: `dateFormat`, `timeFormat`,",
    "`dateTimeFormat` and `timeZoneId` are accepted for Kestra compatibility but not applied yet.",
  ].join("\n"),
  schema: z.object({
    from,
    header: dyn(z.boolean()).default(true).describe("Write a first line with the column names."),
    fieldSeparator: character("The field separator character.", ","),
    textDelimiter: character("The text delimiter (quote) character.", '"'),
    lineDelimiter: z.string().min(1).default("\n").describe("The characters that end each row."),
    alwaysDelimitText: dyn(z.boolean())
      .default(false)
      .describe("Deprecated: use `quoteMode`. Quote every field; ignored when `quoteMode` is set."),
    quoteMode: z
      .enum(["ALWAYS", "REQUIRED", "NON_NUMERIC"])
      .optional()
      .describe(
        "When to quote a field: `ALWAYS`; `REQUIRED` (default), only fields holding the separator, the quote or a line break; `NON_NUMERIC`, every field but numbers.",
      ),
    charset: charset("CSV"),
    dateFormat: z
      .string()
      .default("yyyy-MM-dd")
      .describe("Accepted for Kestra compatibility; not applied yet."),
    timeFormat: z
      .string()
      .default("HH:mm:ss[XXX]")
      .describe("Accepted for Kestra compatibility; not applied yet."),
    dateTimeFormat: z
      .string()
      .default("yyyy-MM-dd'T'HH:mm:ss.SSS[XXX]")
      .describe("Accepted for Kestra compatibility; not applied yet."),
    timeZoneId: z.string().optional().describe("Accepted for Kestra compatibility; not applied yet."),
  }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Convert query results stored as ION to a semicolon-separated CSV file",
      flow: `id: ion_to_csv
namespace: company.team

tasks:
  - id: logs
    type: io.kestra.plugin.core.log.Fetch

  - id: to_csv
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ outputs.logs.uri }}"
    fieldSeparator: ";"
    quoteMode: NON_NUMERIC
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const { storage, uri } = source(ctx, ION_TO_CSV, p.from);
    const target = targetUri(ctx, uri, ".csv");
    const mode: QuoteMode = p.quoteMode ?? (p.alwaysDelimitText ? "ALWAYS" : "REQUIRED");
    const sep = p.fieldSeparator;
    const q = p.textDelimiter;
    const doubled = q + q;
    const needsQuotes = (text: string) =>
      text.includes(sep) || text.includes(q) || text.includes("\n") || text.includes("\r");
    const format = (value: unknown): string => {
      const text = cell(value);
      if (text === null) return "";
      const quoted =
        mode === "ALWAYS" || needsQuotes(text) || (mode === "NON_NUMERIC" && !NUMERIC.test(text));
      return quoted ? `${q}${text.replaceAll(q, doubled)}${q}` : text;
    };
    const row = (values: unknown[]) => `${values.map(format).join(sep)}${p.lineDelimiter}`;
    let count = 0;
    let columns: string[] | undefined;
    const convert = (value: unknown): string => {
      count++;
      if (Array.isArray(value)) {
        if (p.header) throw new Error("Invalid data of type List with header: set header to false");
        return row(value);
      }
      if (value === null || typeof value !== "object")
        throw new Error(`row ${count} is neither a struct nor a list: ${toIon(value)}`);
      const struct = value as Record<string, unknown>;
      let text = "";
      if (!columns) {
        columns = Object.keys(struct);
        if (p.header) text = row(columns);
      }
      return text + row(columns.map((column) => struct[column]));
    };
    async function* lines(): AsyncIterable<string> {
      for await (const batch of ionRows(storage, uri)) {
        let text = "";
        for (const value of batch) text += convert(value);
        yield text;
      }
    }
    await writeText(storage, target, lines(), p.charset);
    return converted(ctx, target, count);
  },
});
