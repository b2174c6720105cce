import { parseDuration } from "@/engine/util/duration";

export const KV_TYPES = ["STRING", "NUMBER", "BOOLEAN", "DATETIME", "DATE", "DURATION", "JSON"] as const;
export type KvType = (typeof KV_TYPES)[number];

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function describeValue(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return String(value);
}

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Converts a rendered value to the KV type it is declared with, as Kestra's kv.Set does, and refuses values
 * that are not of that type (a NUMBER must be numeric, a JSON string must parse, ...).
 * DATETIME values are stored as ISO-8601 instants in UTC, DATE values as `YYYY-MM-DD`, DURATION values as
 * the ISO-8601 duration written.
 */
export function toKvType(value: unknown, type: KvType): unknown {
  const fail = (expected: string): never => {
    throw new Error(`kvType ${type} expects ${expected}, got ${describeValue(value)}`);
  };
  switch (type) {
    case "STRING":
      if (typeof value === "string") return value;
      return value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
    case "NUMBER":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && JSON_NUMBER.test(value.trim())) return Number(value.trim());
      return fail("a number");
    case "BOOLEAN":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) {
        return value.trim().toLowerCase() === "true";
      }
      return fail("true or false");
    case "DATETIME": {
      if (typeof value !== "string" || !DATE_TIME.test(value.trim())) {
        return fail("an ISO-8601 date-time with a time zone, such as 2024-01-31T10:00:00Z");
      }
      const time = Date.parse(value.trim());
      if (Number.isNaN(time)) return fail("a valid date-time");
      return new Date(time).toISOString();
    }
    case "DATE": {
      if (typeof value === "string") {
        const text = value.trim();
        const match = DATE.exec(text);
        if (match && validDate(Number(match[1]), Number(match[2]), Number(match[3]))) return text;
        if (DATE_TIME.test(text) && !Number.isNaN(Date.parse(text))) {
          return new Date(Date.parse(text)).toISOString().slice(0, 10);
        }
      }
      return fail("a date such as 2024-01-31");
    }
    case "DURATION":
      if (typeof value === "string" && parseDuration(value) !== undefined) return value.trim();
      return fail("an ISO-8601 duration such as PT5M or P1D");
    case "JSON":
      if (typeof value !== "string") return value;
      try {
        return JSON.parse(value);
      } catch (error) {
        throw new Error(`kvType JSON expects valid JSON: ${(error as Error).message}`);
      }
  }
}
