// The Avro schema that IonToAvro and IonToParquet write with (Kestra's AbstractAvroConverter): given as
// JSON, or inferred from the first rows. ION rows (often all strings, from a CSV) are converted to the
// schema's types here, field by field, with Kestra's true/false/null words, date and time formats and
// decimal separator; reading back (AvroToIon, ParquetToIon) turns logical types into dates again.
import { z } from "zod";

export type AvroSchema =
  | string
  | AvroSchema[]
  | {
      type: string | AvroSchema | AvroSchema[];
      name?: string;
      fields?: AvroField[];
      items?: AvroSchema;
      values?: AvroSchema;
      symbols?: string[];
      logicalType?: string;
      size?: number;
      [extra: string]: unknown;
    };

export interface AvroField {
  name: string;
  type: AvroSchema;
  default?: unknown;
  /** Inferred schemas: the row's key when it is not a valid Avro name (`order id` -> `order_id`). */
  "x-source"?: string;
}

export interface RecordSchema {
  type: "record";
  name: string;
  fields: AvroField[];
  [extra: string]: unknown;
}

/** Kestra's defaults for the conversion words. */
export const TRUE_VALUES = ["t", "true", "enabled", "1", "on", "yes"];
export const FALSE_VALUES = ["f", "false", "disabled", "0", "off", "no", ""];
export const NULL_VALUES = [
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "1.#IND",
  "1.#QNAN",
  "NA",
  "n/a",
  "nan",
  "null",
];

/** The properties IonToAvro and IonToParquet share (Kestra's AbstractAvroConverter). */
export const converterShape = {
  schema: z
    .string()
    .optional()
    .describe(
      'The Avro schema of the rows, as JSON (`{"type": "record", "name": "Order", "fields": [...]}`). When empty, it is inferred from the first `numberOfRowsToScan` rows (every field nullable).',
    ),
  numberOfRowsToScan: z
    .number()
    .int()
    .positive()
    .default(100)
    .describe("How many rows are read to infer the schema when `schema` is empty."),
  trueValues: z.array(z.string()).default(TRUE_VALUES).describe("Strings read as true for boolean fields."),
  falseValues: z
    .array(z.string())
    .default(FALSE_VALUES)
    .describe("Strings read as false for boolean fields."),
  nullValues: z
    .array(z.string())
    .default(NULL_VALUES)
    .describe("Strings read as null for nullable fields (other than strings' own empty value)."),
  dateFormat: z
    .string()
    .default("yyyy-MM-dd[XXX]")
    .describe("Accepted for Kestra compatibility: dates are read as ISO-8601 (`2024-05-01`)."),
  timeFormat: z
    .string()
    .default("HH:mm[:ss][.SSSSSS][XXX]")
    .describe("Accepted for Kestra compatibility: times are read as ISO-8601 (`10:30:00`)."),
  datetimeFormat: z
    .string()
    .default("yyyy-MM-dd'T'HH:mm[:ss][.SSSSSS][XXX]")
    .describe("Accepted for Kestra compatibility: date-times are read as ISO-8601."),
  decimalSeparator: z
    .string()
    .length(1)
    .default(".")
    .describe("The decimal point of numbers written as strings (`,` for European data)."),
  strictSchema: z
    .boolean()
    .default(false)
    .describe("Whether a row field that the schema does not declare is an error."),
  inferAllFields: z
    .boolean()
    .default(false)
    .describe("Accepted for Kestra compatibility: inference always types every field it sees."),
  timeZoneId: z
    .string()
    .default("UTC")
    .describe("The zone of date-times written without an offset (`2024-05-01T10:00`)."),
  onBadLines: z
    .enum(["ERROR", "WARN", "SKIP"])
    .default("ERROR")
    .describe(
      "What to do with a row that does not fit the schema (a null in a non-nullable field, a type mismatch): fail the task, skip it with a warning, or skip it silently.",
    ),
};

export interface ConverterOptions {
  trueValues: string[];
  falseValues: string[];
  nullValues: string[];
  decimalSeparator: string;
  strictSchema: boolean;
  timeZoneId: string;
}

/** A row that does not fit the schema; the message names the field. */
export class BadRowError extends Error {}

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DAY_MS = 86_400_000;

/** Parses and checks the `schema` property: a record at the top. */
export function parseSchema(text: string): RecordSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new Error(`schema is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== "object" || schema === null || (schema as { type?: unknown }).type !== "record")
    throw new Error('schema must be an Avro record: {"type": "record", "name": ..., "fields": [...]}');
  const fields = (schema as { fields?: unknown }).fields;
  if (!Array.isArray(fields)) throw new Error("schema: a record needs `fields`");
  return schema as RecordSchema;
}

function inferValue(values: unknown[], name: string, counter: { n: number }): AvroSchema {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return "string";
  if (present.every((v) => typeof v === "boolean")) return "boolean";
  if (present.every((v) => typeof v === "number"))
    return present.every((v) => Number.isInteger(v)) ? "long" : "double";
  if (present.every((v) => Array.isArray(v)))
    return { type: "array", items: nullable(inferValue(present.flat(), name, counter)) };
  if (present.every((v) => typeof v === "object" && !Array.isArray(v)))
    return inferRecord(present as Record<string, unknown>[], `${name}_record_${++counter.n}`, counter);
  return "string";
}

const nullable = (schema: AvroSchema): AvroSchema => ["null", schema];

function inferRecord(rows: Record<string, unknown>[], name: string, counter: { n: number }): RecordSchema {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
  const taken = new Set<string>();
  const fields = keys.map((key): AvroField => {
    let field = key.replace(/[^A-Za-z0-9_]/g, "_");
    if (!/^[A-Za-z_]/.test(field)) field = `_${field}`;
    while (taken.has(field)) field = `${field}_`;
    taken.add(field);
    const type = nullable(
      inferValue(
        rows.map((row) => row[key]),
        field,
        counter,
      ),
    );
    return { name: field, type, default: null, ...(field !== key ? { "x-source": key } : {}) };
  });
  return { type: "record", name, fields };
}

/** A schema inferred from sample rows: every field nullable, typed by what the sample holds. */
export function inferSchema(rows: unknown[]): RecordSchema {
  const records = rows.filter(
    (row): row is Record<string, unknown> => typeof row === "object" && row !== null && !Array.isArray(row),
  );
  if (records.length < rows.length) throw new Error("every row must be a struct to infer an Avro schema");
  return inferRecord(records, "root", { n: 0 });
}

function typeName(schema: AvroSchema): string {
  if (typeof schema === "string") return schema;
  if (Array.isArray(schema)) return "union";
  return typeof schema.type === "string" ? schema.type : typeName(schema.type);
}

function logical(schema: AvroSchema): string | undefined {
  return typeof schema === "object" && !Array.isArray(schema) ? schema.logicalType : undefined;
}

/** The schema of a field without its `null` branch, and whether it allows null. */
export function unwrapNullable(schema: AvroSchema): { schema: AvroSchema; nullable: boolean } {
  if (Array.isArray(schema)) {
    const rest = schema.filter((s) => s !== "null");
    if (rest.length === 1 && rest.length < schema.length)
      return { schema: rest[0] as AvroSchema, nullable: true };
    return { schema, nullable: schema.includes("null") };
  }
  return { schema, nullable: schema === "null" };
}

/** Milliseconds since the epoch of an ISO date-time; one without offset is read in `zone`. */
function epochMillis(value: unknown, zone: string): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim().replace(" ", "T");
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(text) || zone === "UTC") {
    const ms = Date.parse(
      /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text.length === 10 ? `${text}T00:00` : text}Z`,
    );
    return Number.isNaN(ms) ? undefined : ms;
  }
  const asUtc = Date.parse(`${text.length === 10 ? `${text}T00:00` : text}Z`);
  if (Number.isNaN(asUtc)) return undefined;
  // The zone's offset at that wall time (close enough across a DST change for a row's value).
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(asUtc));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - (wall - Math.floor(asUtc / 1000) * 1000);
}

function timeMillis(value: unknown): number | undefined {
  const match =
    typeof value === "string" ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?/.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, h, m, s = "0", f = "0"] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Math.floor(Number(`0.${f}`) * 1000);
}

/** Converts ION rows to a schema's types. */
export class AvroConverter {
  constructor(private readonly options: ConverterOptions) {}

  private isNullWord(value: unknown): boolean {
    return (
      value === null ||
      value === undefined ||
      (typeof value === "string" && this.options.nullValues.includes(value))
    );
  }

  private number(value: unknown, path: string, integer: boolean): number {
    let n: number | undefined;
    if (typeof value === "number") n = value;
    else if (typeof value === "string" && value.trim() !== "") {
      const text =
        this.options.decimalSeparator === "." ? value : value.replace(this.options.decimalSeparator, ".");
      n = Number(text.trim());
    }
    if (n === undefined || Number.isNaN(n) || (integer && !Number.isInteger(n)))
      throw new BadRowError(
        `field '${path}': '${String(value)}' is not ${integer ? "an integer" : "a number"}`,
      );
    return n;
  }

  /** `value` in the form avsc writes for `schema` (logical types as their underlying int or long). */
  convert(value: unknown, schema: AvroSchema, path: string): unknown {
    if (Array.isArray(schema)) {
      if (schema.includes("null") && this.isNullWord(value) && !(value === "" && schema.includes("string")))
        return null;
      let last: Error | undefined;
      for (const branch of schema) {
        if (branch === "null") continue;
        try {
          return this.convert(value, branch, path);
        } catch (error) {
          last = error as Error;
        }
      }
      throw last ?? new BadRowError(`field '${path}': null is not allowed`);
    }
    const type = typeName(schema);
    const logicalType = logical(schema);
    if (value === null || value === undefined) {
      if (type === "null") return null;
      throw new BadRowError(`field '${path}': null in a non-nullable ${type} field`);
    }
    if (logicalType === "date" && type === "int") {
      const ms = epochMillis(value, "UTC");
      if (ms === undefined) throw new BadRowError(`field '${path}': '${String(value)}' is not a date`);
      return Math.floor(ms / DAY_MS);
    }
    if ((logicalType === "timestamp-millis" || logicalType === "timestamp-micros") && type === "long") {
      const ms = epochMillis(value, this.options.timeZoneId);
      if (ms === undefined) throw new BadRowError(`field '${path}': '${String(value)}' is not a date-time`);
      return logicalType === "timestamp-millis" ? ms : ms * 1000;
    }
    if (
      (logicalType === "time-millis" && type === "int") ||
      (logicalType === "time-micros" && type === "long")
    ) {
      const ms = timeMillis(value);
      if (ms === undefined) throw new BadRowError(`field '${path}': '${String(value)}' is not a time`);
      return logicalType === "time-millis" ? ms : ms * 1000;
    }
    switch (type) {
      case "null":
        throw new BadRowError(`field '${path}': expected null, got '${String(value)}'`);
      case "boolean":
        if (typeof value === "boolean") return value;
        if (typeof value === "string" || typeof value === "number") {
          const text = String(value).trim().toLowerCase();
          if (this.options.trueValues.some((t) => t.toLowerCase() === text)) return true;
          if (this.options.falseValues.some((f) => f.toLowerCase() === text)) return false;
        }
        throw new BadRowError(`field '${path}': '${String(value)}' is not a boolean`);
      case "int": {
        const n = this.number(value, path, true);
        if (n < -2147483648 || n > 2147483647)
          throw new BadRowError(`field '${path}': ${n} is out of int range`);
        return n;
      }
      case "long": {
        const n = this.number(value, path, true);
        if (!Number.isSafeInteger(n)) throw new BadRowError(`field '${path}': ${n} is beyond 2^53`);
        return n;
      }
      case "float":
      case "double":
        return this.number(value, path, false);
      case "string":
        if (typeof value === "object") return JSON.stringify(value);
        return value instanceof Date ? value.toISOString() : String(value);
      case "bytes":
      case "fixed":
        return Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
      case "enum": {
        const symbols = (schema as { symbols?: string[] }).symbols ?? [];
        if (typeof value === "string" && symbols.includes(value)) return value;
        throw new BadRowError(`field '${path}': '${String(value)}' is not one of ${symbols.join(", ")}`);
      }
      case "array": {
        if (!Array.isArray(value)) throw new BadRowError(`field '${path}': expected a list`);
        const items = (schema as { items: AvroSchema }).items;
        return value.map((item, i) => this.convert(item, items, `${path}[${i}]`));
      }
      case "map": {
        if (typeof value !== "object" || Array.isArray(value))
          throw new BadRowError(`field '${path}': expected a struct`);
        const values = (schema as { values: AvroSchema }).values;
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, this.convert(v, values, `${path}.${k}`)]),
        );
      }
      case "record":
        return this.record(value, schema as RecordSchema, path);
      default:
        throw new Error(`schema: unsupported Avro type '${type}' (field '${path}')`);
    }
  }

  /** A row as a record of `schema`; throws BadRowError when it does not fit. */
  record(value: unknown, schema: RecordSchema, path = ""): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new BadRowError(`${path ? `field '${path}'` : "the row"} is not a struct`);
    const row = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of schema.fields) {
      const key = field["x-source"] ?? field.name;
      const at = path ? `${path}.${field.name}` : field.name;
      const v = row[key];
      out[field.name] =
        v === undefined && field.default !== undefined ? field.default : this.convert(v, field.type, at);
    }
    if (this.options.strictSchema) {
      const known = new Set(schema.fields.map((f) => f["x-source"] ?? f.name));
      const extra = Object.keys(row).find((k) => !known.has(k));
      if (extra !== undefined)
        throw new BadRowError(`field '${path ? `${path}.` : ""}${extra}' is not in the schema`);
    }
    return out;
  }
}

/** A value read from Avro (or Parquet through its Avro schema) as an ION row value. */
export function fromAvro(value: unknown, schema: AvroSchema): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(schema)) {
    const { schema: inner } = unwrapNullable(schema);
    return Array.isArray(inner) ? plainValue(value) : fromAvro(value, inner);
  }
  const type = typeName(schema);
  const logicalType = logical(schema);
  if (logicalType === "date" && typeof value === "number")
    return new Date(value * DAY_MS).toISOString().slice(0, 10);
  if (logicalType === "timestamp-millis" && typeof value === "number") return new Date(value);
  if (logicalType === "timestamp-micros" && typeof value === "number")
    return new Date(Math.floor(value / 1000));
  if (logicalType === "time-millis" && typeof value === "number")
    return new Date(value).toISOString().slice(11, 23);
  if (type === "record" && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const field of (schema as RecordSchema).fields)
      out[field.name] = fromAvro((value as Record<string, unknown>)[field.name], field.type);
    return out;
  }
  if (type === "array" && Array.isArray(value))
    return value.map((item) => fromAvro(item, (schema as { items: AvroSchema }).items));
  if (type === "map" && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        fromAvro(v, (schema as { values: AvroSchema }).values),
      ]),
    );
  return plainValue(value);
}

/** Values of no schema type in particular: bytes as base64, bigints as numbers when exact. */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint")
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainValue(v);
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** Checks every record and field name of a schema is a valid Avro name (avsc checks the rest). */
export function checkNames(schema: RecordSchema): void {
  for (const field of schema.fields)
    if (!AVRO_NAME.test(field.name))
      throw new Error(`schema: '${field.name}' is not a valid Avro field name`);
}
