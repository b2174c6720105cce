/**
 * JSON the way Kestra writes it (Jackson, compact): map entries holding null are dropped
 * unless asked otherwise, doubles print as Java does, dates as ISO-8601 instants.
 */
import { ExpressionError } from "./errors";
import { formatInstant, formatNumber, javaDouble } from "./format";
import { isMap, JDouble } from "./values";

export interface JsonOptions {
  /** Keep `"key": null` entries (toJson(includeNulls=true)); Kestra's default mapper drops them. */
  includeNulls?: boolean;
  /** Called with the number of values visited, to charge the evaluation budget. */
  charge?: (n: number) => void;
  /** Fail once the output would exceed this many characters. */
  maxLength?: number;
}

const MAX_DEPTH = 500;

export function toJson(value: unknown, options: JsonOptions = {}): string {
  const parts: string[] = [];
  let length = 0;
  const push = (s: string) => {
    parts.push(s);
    length += s.length;
    if (options.maxLength !== undefined && length > options.maxLength) {
      throw new ExpressionError(`output exceeds the maximum length of ${options.maxLength} characters`);
    }
  };
  const write = (v: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) throw new ExpressionError("value is too deeply nested (or cyclic) to serialize");
    options.charge?.(1);
    if (v === null || v === undefined) {
      push("null");
      return;
    }
    switch (typeof v) {
      case "string":
        push(JSON.stringify(v));
        return;
      case "number":
        push(Number.isFinite(v) ? formatNumber(v) : `"${javaDouble(v)}"`);
        return;
      case "boolean":
        push(v ? "true" : "false");
        return;
      case "bigint":
        push(v.toString());
        return;
      case "function":
      case "symbol":
        push("null");
        return;
    }
    if (v instanceof JDouble) {
      push(javaDouble(v.value));
      return;
    }
    if (v instanceof Date) {
      push(JSON.stringify(formatInstant(v)));
      return;
    }
    if (Array.isArray(v)) {
      push("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) push(",");
        write(v[i], depth + 1);
      }
      push("]");
      return;
    }
    if (isMap(v)) {
      push("{");
      let first = true;
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (typeof x === "function" || typeof x === "symbol") continue;
        if ((x === null || x === undefined) && !options.includeNulls) continue;
        if (!first) push(",");
        first = false;
        push(JSON.stringify(k));
        push(":");
        write(x, depth + 1);
      }
      push("}");
      return;
    }
    push(JSON.stringify(String(v)));
  };
  write(value, 0);
  return parts.join("");
}
