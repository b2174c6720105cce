/**
 * Database values as flows see them. Outputs are JSON: timestamps become ISO-8601 strings, binary data
 * base64, integers beyond 2^53 strings (a JavaScript number would silently round them). ION files keep
 * timestamps as ION timestamps, as Kestra's writer does.
 */

function plain(value: unknown, keepDates: boolean, depth: number): unknown {
  if (depth > 100) return null;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return keepDates ? value : value.toISOString();
  }
  if (typeof value === "bigint")
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map((item) => plain(item, keepDates, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plain(item, keepDates, depth + 1);
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** A row for the outputs and trigger variables (JSON). */
export function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  return plain(row, false, 0) as Record<string, unknown>;
}

/** A row for an ION file (timestamps kept as dates). */
export function ionRow(row: Record<string, unknown>): Record<string, unknown> {
  return plain(row, true, 0) as Record<string, unknown>;
}

/**
 * A decimal number (PostgreSQL numeric and int8, MySQL DECIMAL and BIGINT arrive as text) as a JSON
 * number when that number reads back as the same value, else the text, so no digit is lost.
 */
export function decimal(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? n : text;
  const [whole = "", fraction = ""] = text.replace(/^[-+]/, "").split(".");
  const digits = (whole.replace(/^0+/, "") + fraction.replace(/0+$/, "")).length;
  return digits <= 15 ? n : text;
}
