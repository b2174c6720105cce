import { parse as parseYaml } from "yaml";
import { compileRegex, type UserRegex } from "../expr";
import { parseDuration } from "../util/duration";
import { choiceValue, type Input, jsonSchemaViolation } from "./inputs-schema";

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (message: string): Coerced => ({ ok: false, message });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/;

/** Java's Instant.toString: ISO-8601 in UTC, milliseconds only when not zero. */
export function formatInstant(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return formatInstant(value);
  return undefined;
}

function timeSeconds(text: string): number | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) return undefined;
  return h * 3600 + min * 60 + sec + Number(`0.${m[4] ?? 0}`);
}

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

type ItemType =
  | "STRING"
  | "INT"
  | "FLOAT"
  | "BOOLEAN"
  | "BOOL"
  | "DATETIME"
  | "DATE"
  | "TIME"
  | "DURATION"
  | "JSON"
  | "URI"
  | "EMAIL";

/** Converts one scalar to a type (shared by inputs and ARRAY/MULTISELECT items). */
function coerceScalar(type: ItemType | "SECRET" | "YAML", value: unknown): Coerced {
  switch (type) {
    case "STRING":
    case "SECRET": {
      if (value !== null && typeof value === "object" && !(value instanceof Date))
        return ok(JSON.stringify(value));
      const text = asText(value);
      return text === undefined ? fail("expected a string") : ok(text);
    }
    case "INT": {
      const text = asText(value)?.trim();
      if (text === undefined || !/^[-+]?\d+$/.test(text))
        return fail(`'${asText(value) ?? typeof value}' is not an integer`);
      const n = Number(text);
      return Number.isSafeInteger(n) ? ok(n) : fail(`'${text}' is too large for an integer`);
    }
    case "FLOAT": {
      const text = asText(value)?.trim();
      const n = text === undefined || text === "" ? Number.NaN : Number(text);
      return Number.isFinite(n) ? ok(n) : fail(`'${asText(value) ?? typeof value}' is not a number`);
    }
    case "BOOLEAN":
    case "BOOL": {
      if (typeof value === "boolean") return ok(value);
      const text = asText(value)?.trim().toLowerCase();
      if (text === "true") return ok(true);
      if (text === "false") return ok(false);
      return fail(`'${asText(value) ?? typeof value}' is not a boolean (true or false)`);
    }
    case "DATETIME": {
      const text = value instanceof Date ? formatInstant(value) : asText(value)?.trim();
      const date = text && DATETIME.test(text) ? new Date(text) : undefined;
      if (!date || Number.isNaN(date.getTime())) {
        return fail(
          `'${text ?? typeof value}' is not a date-time (ISO-8601 with a zone, e.g. 2024-01-31T10:00:00Z)`,
        );
      }
      return ok(formatInstant(date));
    }
    case "DATE": {
      const text = asText(value)?.trim();
      return text && validDate(text)
        ? ok(text)
        : fail(`'${text ?? typeof value}' is not a date (YYYY-MM-DD)`);
    }
    case "TIME": {
      const text = asText(value)?.trim();
      return text && timeSeconds(text) !== undefined
        ? ok(text)
        : fail(`'${text ?? typeof value}' is not a time (HH:mm:ss)`);
    }
    case "DURATION": {
      const text = asText(value)?.trim();
      return text && parseDuration(text) !== undefined
        ? ok(text.toUpperCase())
        : fail(`'${text ?? typeof value}' is not an ISO-8601 duration (e.g. PT5M)`);
    }
    case "JSON": {
      if (typeof value !== "string") return ok(value);
      try {
        return ok(JSON.parse(value));
      } catch (error) {
        return fail(`invalid JSON: ${(error as Error).message}`);
      }
    }
    case "YAML": {
      if (typeof value !== "string") return ok(value);
      try {
        return ok(parseYaml(value));
      } catch (error) {
        return fail(`invalid YAML: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    case "URI": {
      const text = asText(value)?.trim();
      return text && URI.test(text) ? ok(text) : fail(`'${text ?? typeof value}' is not a URI`);
    }
    case "EMAIL": {
      const text = asText(value)?.trim();
      return text && EMAIL.test(text) ? ok(text) : fail(`'${text ?? typeof value}' is not an email address`);
    }
  }
}

function toList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text.startsWith("[")) {
      try {
        const parsed = JSON.parse(text);
        return Array.isArray(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    }
    return text === "" ? [] : text.split(",").map((s) => s.trim());
  }
  return undefined;
}

function checkBounds(input: Input, value: unknown): Coerced {
  const i = input as Input & {
    min?: number | string;
    max?: number | string;
    after?: string;
    before?: string;
    validator?: string;
  };
  switch (input.type) {
    case "INT":
    case "FLOAT": {
      const n = value as number;
      if (typeof i.min === "number" && n < i.min) return fail(`must be greater than or equal to ${i.min}`);
      if (typeof i.max === "number" && n > i.max) return fail(`must be less than or equal to ${i.max}`);
      return ok(value);
    }
    case "DURATION": {
      const ms = parseDuration(value as string) ?? 0;
      if (typeof i.min === "string" && ms < (parseDuration(i.min) ?? -Infinity))
        return fail(`must be at least ${i.min}`);
      if (typeof i.max === "string" && ms > (parseDuration(i.max) ?? Infinity))
        return fail(`must be at most ${i.max}`);
      return ok(value);
    }
    case "DATETIME":
    case "DATE":
    case "TIME": {
      const key = (text: string) =>
        input.type === "TIME"
          ? (timeSeconds(text) ?? 0)
          : new Date(input.type === "DATE" ? `${text}T00:00:00Z` : text).getTime();
      const v = key(value as string);
      if (i.after && !(v > key(i.after))) return fail(`must be after ${i.after}`);
      if (i.before && !(v < key(i.before))) return fail(`must be before ${i.before}`);
      return ok(value);
    }
    case "STRING":
    case "SECRET": {
      if (i.validator) {
        // The validator is tenant input: RE2 (linear time), whole-value match as Java's String.matches.
        let pattern: UserRegex;
        try {
          pattern = compileRegex(i.validator, { dotAll: true });
        } catch (e) {
          return fail(
            `the validator '${i.validator}' is not a valid regular expression: ${(e as Error).message}`,
          );
        }
        if (!pattern.matchesWhole(value as string))
          return fail(`does not match the pattern '${i.validator}'`);
      }
      return ok(value);
    }
    default:
      return ok(value);
  }
}

/**
 * Converts a value given for an input (often a string from a form, the CLI or a query string) to the
 * input's type, and checks the input's rules. FILE values are storage URIs by this point.
 * `options` are the resolved values of SELECT/MULTISELECT `expression`s when they have one.
 */
export function coerceInputValue(input: Input, value: unknown, options?: string[]): Coerced {
  let coerced: Coerced;
  switch (input.type) {
    case "ENUM":
    case "SELECT": {
      const text = asText(value);
      if (text === undefined) return fail("expected one value");
      const allowed = options ?? (input.values ?? []).map(choiceValue);
      const custom = input.type === "SELECT" && input.allowCustomValue;
      if (!custom && !allowed.includes(text)) return fail(`'${text}' is not one of ${allowed.join(", ")}`);
      return ok(text);
    }
    case "MULTISELECT": {
      const list = toList(value);
      if (!list) return fail("expected a list of values");
      const allowed = options ?? (input.values ?? input.options ?? []).map(choiceValue);
      const out: unknown[] = [];
      for (const item of list) {
        const c = coerceScalar(input.itemType, item);
        if (!c.ok) return fail(`item ${JSON.stringify(item)}: ${c.message}`);
        if (!input.allowCustomValue && !allowed.includes(String(c.value))) {
          return fail(`'${String(c.value)}' is not one of ${allowed.join(", ")}`);
        }
        out.push(c.value);
      }
      return ok(out);
    }
    case "ARRAY": {
      const list = toList(value);
      if (!list) return fail("expected a list (a YAML/JSON list or comma-separated values)");
      const out: unknown[] = [];
      // A flow output of type ARRAY has no itemType (Kestra's Output): its items stay as rendered.
      const itemType = input.itemType as ItemType | undefined;
      if (!itemType) return ok(list);
      for (const [index, item] of list.entries()) {
        const c = coerceScalar(itemType, item);
        if (!c.ok) return fail(`item ${index}: ${c.message}`);
        out.push(c.value);
      }
      return ok(out);
    }
    case "FILE": {
      const text = asText(value);
      return text && URI.test(text) ? ok(text) : fail("expected an uploaded file (a storage URI)");
    }
    case "JSON": {
      const parsed = coerceScalar("JSON", value);
      if (!parsed.ok || !input.jsonSchema) return parsed;
      const violation = jsonSchemaViolation(input.jsonSchema, parsed.value);
      return violation ? fail(violation) : parsed;
    }
    default:
      coerced = coerceScalar(input.type, value);
  }
  return coerced.ok ? checkBounds(input, coerced.value) : coerced;
}
