// IonToExcel and ExcelToIon on exceljs, the xlsx library of the Node world that has streaming classes
// for both ways (stream.xlsx.WorkbookWriter commits each row as it goes; stream.xlsx.WorkbookReader parses
// the zip's sheets with a SAX parser, row by row). SheetJS, the other one, is no longer published on the
// npm registry. exceljs is pure JavaScript; its last release is from 2023, but it is the most used xlsx
// library and its streaming API is what bounds memory here. Shared strings are not used when writing,
// so rows are never kept for a final table.
import { join } from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { z } from "zod";
import { toIon } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";
import { checkUri, taskFileUri } from "../core/storage/files";
import { charset, from, ionRows, source, targetUri } from "./shared";
import { readChunks, writeText } from "./stream";
import { upload, withTempDir } from "./temp-files";

const ION_TO_EXCEL = "serdes.excel.IonToExcel";
const EXCEL_TO_ION = "serdes.excel.ExcelToIon";

/** Excel's day 0 (1899-12-30, its serial dates count from there). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** The date-time of an ION timestamp (read as text), or undefined. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function cellOf(value: unknown, styles: boolean): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value === "string") return styles && ISO_TIMESTAMP.test(value) ? new Date(value) : value;
  return JSON.stringify(value);
}

export const ionToExcelPlugin = definePlugin({
  type: ION_TO_EXCEL,
  kind: "runnable",
  title: "Convert ION files into an Excel workbook.",
  description: [
    "Writes the rows of an ION file as a sheet of an xlsx workbook, streaming (each row is committed to",
    "the file as it is written). `from` is one file (a sheet named `sheetsTitle`) or a map of sheet title",
    "to file, one sheet each. With `header`, the first row holds the first row's field names. With",
    "`styles`, date-times are written as Excel dates (formatted `yyyy-mm-dd hh:mm:ss`); otherwise as text.",
    "Lists and structs are written as JSON text.",
  ].join("\n"),
  schema: z.object({
    from: z
      .union([z.string().min(1), z.record(z.string(), z.string().min(1))])
      .describe(
        "The ION file to convert (`{{ outputs.query.uri }}`), or a map of sheet title to ION file for a workbook of several sheets.",
      ),
    charset: charset("ION"),
    sheetsTitle: z.string().min(1).default("Sheet").describe("The sheet's title when `from` is one file."),
    header: z.boolean().default(true).describe("Write the field names as the first row."),
    styles: z
      .boolean()
      .default(true)
      .describe("Format date-times as Excel dates; false writes them as text (and keeps the file smaller)."),
    timeZoneId: z
      .string()
      .optional()
      .describe("Accepted for Kestra compatibility: dates are written in UTC."),
  }),
  outputs: z.object({
    uri: z.string().describe("The URI of the xlsx file in the internal storage."),
    size: z.number().int().describe("The number of rows written, over every sheet."),
  }),
  examples: [
    {
      title: "Write orders and a summary as the two sheets of one workbook",
      flow: `id: excel_report
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: JSON lines, one order per line

tasks:
  - id: orders_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.orders }}"

  - id: summary
    type: io.kestra.plugin.core.storage.Write
    content: |
      {sheet:"Orders",rows:"{{ outputs.orders_ion.size }}"}
    extension: .ion

  - id: workbook
    type: io.kestra.plugin.serdes.excel.IonToExcel
    from:
      Orders: "{{ outputs.orders_ion.uri }}"
      Summary: "{{ outputs.summary.uri }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    if (p.charset.replace("-", "").toUpperCase() !== "UTF8")
      throw new Error(`charset '${p.charset}': ION files are read as UTF-8`);
    const sheets: [string, string][] =
      typeof p.from === "string" ? [[p.sheetsTitle, p.from]] : Object.entries(p.from);
    if (sheets.length === 0) throw new Error("from: give at least one sheet");
    const storage = source(ctx, ION_TO_EXCEL, sheets[0]?.[1] ?? "").storage;
    for (const [title, uri] of sheets) checkUri(uri, `from.${title}`);
    const target =
      typeof p.from === "string" ? targetUri(ctx, p.from, ".xlsx") : taskFileUri(ctx, `${ctx.task.id}.xlsx`);
    let count = 0;
    const written = await withTempDir(async (dir) => {
      const path = join(dir, "out.xlsx");
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: path,
        useStyles: p.styles,
        useSharedStrings: false,
      });
      for (const [title, uri] of sheets) {
        const sheet = workbook.addWorksheet(title);
        let fields: string[] | undefined;
        for await (const batch of ionRows(storage, uri)) {
          for (const row of batch) {
            const struct = typeof row === "object" && row !== null && !Array.isArray(row);
            const values = struct ? (row as Record<string, unknown>) : undefined;
            if (!fields) {
              fields = values ? Object.keys(values) : [];
              if (p.header && values) sheet.addRow(fields).commit();
            }
            const cells = values
              ? fields.map((key) => cellOf(values[key], p.styles))
              : (Array.isArray(row) ? row : [row]).map((v) => cellOf(v, p.styles));
            const added = sheet.addRow(cells);
            if (p.styles)
              added.eachCell((cell) => {
                if (cell.value instanceof Date) cell.numFmt = "yyyy-mm-dd hh:mm:ss";
              });
            added.commit();
            count++;
          }
        }
        sheet.commit();
      }
      await workbook.commit();
      return upload(storage, path, target);
    });
    ctx.metric({ name: "records", type: "counter", value: count });
    return { outputs: { uri: written, size: count } };
  },
});

type Render = "UNFORMATTED_VALUE" | "FORMATTED_VALUE" | "FORMULA";
type DateRender = "UNFORMATTED_VALUE" | "SERIAL_NUMBER" | "FORMATTED_STRING";

/** A cell's value as Kestra's ExcelToIon renders it. */
function cellValue(cell: ExcelJS.Cell, render: Render, dates: DateRender): unknown {
  const raw = cell.value;
  if (raw === null || raw === undefined) return null;
  if (render === "FORMATTED_VALUE" && !(raw instanceof Date)) return cell.text;
  let value: unknown = raw;
  if (typeof raw === "object" && !(raw instanceof Date)) {
    if ("formula" in raw || "sharedFormula" in raw) value = (raw as { result?: unknown }).result ?? null;
    else if ("richText" in raw) value = raw.richText.map((part) => part.text).join("");
    else if ("text" in raw) value = (raw as { text: unknown }).text;
    else if ("error" in raw) value = null;
  }
  if (value instanceof Date) {
    if (dates === "SERIAL_NUMBER") return (value.getTime() - EXCEL_EPOCH) / DAY_MS;
    if (dates === "FORMATTED_STRING") return cell.text;
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === "object" && value !== null && "error" in value) return null;
  return value ?? null;
}

export const excelToIonPlugin = definePlugin({
  type: EXCEL_TO_ION,
  kind: "runnable",
  title: "Convert the sheets of an Excel workbook into ION files.",
  description: [
    "Reads an xlsx workbook, streaming (sheets are parsed row by row, never loaded whole), and writes one",
    "ION file per sheet: `uris` maps each sheet's title to its file. With `header`, rows are structs keyed",
    "by the first row's values (an empty header cell is named `ColumnN`, N counted from 0); without it,",
    "lists. Values are numbers, booleans and strings; formulas give their cached result; dates follow",
    "`dateTimeRender` (`2024-05-01` by default).",
  ].join("\n"),
  schema: z.object({
    from,
    charset: charset("Excel"),
    sheetsTitle: z
      .array(z.string())
      .optional()
      .describe("The titles of the sheets to convert; all of them when empty."),
    valueRender: z
      .enum(["UNFORMATTED_VALUE", "FORMATTED_VALUE", "FORMULA"])
      .default("UNFORMATTED_VALUE")
      .describe(
        "UNFORMATTED_VALUE: the values (numbers as numbers); FORMATTED_VALUE: the text Excel shows; FORMULA: the formula's cached result.",
      ),
    dateTimeRender: z
      .enum(["UNFORMATTED_VALUE", "SERIAL_NUMBER", "FORMATTED_STRING"])
      .default("UNFORMATTED_VALUE")
      .describe(
        "How dates are written: UNFORMATTED_VALUE an ISO date (`2024-05-01`), SERIAL_NUMBER Excel's serial number, FORMATTED_STRING the text Excel shows.",
      ),
    header: z.boolean().default(true).describe("Whether the first row holds the column names."),
    skipEmptyRows: z.boolean().default(false).describe("Skip rows whose cells are all empty."),
    skipRows: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        "Rows to skip at the start of each sheet (a title above the table): before the header, or before the data without one.",
      ),
  }),
  outputs: z.object({
    uris: z.record(z.string(), z.string()).describe("Each converted sheet's title and its ION file."),
    size: z.number().int().describe("The number of rows converted, over every sheet."),
  }),
  examples: [
    {
      title: "Write a workbook, then read its Orders sheet back and export it as CSV",
      flow: `id: excel_to_csv
namespace: company.team

inputs:
  - id: orders
    type: FILE
    description: JSON lines, one order per line

tasks:
  - id: orders_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.orders }}"

  - id: workbook
    type: io.kestra.plugin.serdes.excel.IonToExcel
    from: "{{ outputs.orders_ion.uri }}"
    sheetsTitle: Orders

  - id: to_ion
    type: io.kestra.plugin.serdes.excel.ExcelToIon
    from: "{{ outputs.workbook.uri }}"
    sheetsTitle:
      - Orders

  - id: to_csv
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ outputs.to_ion.uris.Orders }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const { storage, uri } = source(ctx, EXCEL_TO_ION, p.from);
    const wanted = p.sheetsTitle?.length ? new Set(p.sheetsTitle) : undefined;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(readChunks(storage, uri)), {
      worksheets: "emit",
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "cache",
      entries: "ignore",
    });
    const uris: Record<string, string> = {};
    let total = 0;
    let sheets = 0;
    try {
      for await (const sheet of reader) {
        const title = (sheet as unknown as { name: string }).name;
        if (wanted && !wanted.has(title)) continue;
        sheets++;
        let headers: string[] | undefined;
        let width: number | undefined;
        let seen = 0;
        async function* lines(): AsyncIterable<string> {
          for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
            seen++;
            if (seen <= p.skipRows) continue;
            const count = row.cellCount;
            if (p.header && !headers) {
              headers = [];
              for (let c = 1; c <= count; c++) {
                const name = cellValue(row.getCell(c), p.valueRender, p.dateTimeRender);
                headers.push(name === null || name === "" ? `Column${c - 1}` : String(name));
              }
              continue;
            }
            width ??= headers ? headers.length : count;
            const values: unknown[] = [];
            for (let c = 1; c <= width; c++)
              values.push(cellValue(row.getCell(c), p.valueRender, p.dateTimeRender));
            if (p.skipEmptyRows && values.every((v) => v === null || v === "")) continue;
            total++;
            const out = headers ? Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])) : values;
            yield `${toIon(out)}\n`;
          }
        }
        const safe = title.replace(/[^A-Za-z0-9._-]+/g, "_") || `sheet${sheets}`;
        uris[title] = await writeText(storage, taskFileUri(ctx, `${safe}.ion`), lines());
      }
    } catch (error) {
      if ((error as Error).message.startsWith("file not found")) throw error;
      throw new Error(`${uri} is not a readable xlsx workbook: ${(error as Error).message}`);
    }
    if (wanted)
      for (const title of wanted)
        if (!(title in uris)) throw new Error(`sheetsTitle: the workbook has no sheet '${title}'`);
    ctx.metric({ name: "sheets", type: "counter", value: sheets });
    return { outputs: { uris, size: total } };
  },
});
