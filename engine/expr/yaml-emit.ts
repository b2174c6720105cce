/**
 * A small YAML writer shaped like Kestra's `yaml` filter (Jackson YAML with MINIMIZE_QUOTES,
 * INDENT_ARRAYS, no document marker): block style, sequences indented under their key,
 * strings plain unless they would read back as something else, then double-quoted with
 * escapes. Empty collections use flow style ({} and []).
 */
import { ExpressionError } from "./errors";
import { formatInstant, formatNumber, javaDouble } from "./format";
import { isMap, JDouble } from "./values";

const RESERVED = /^(?:true|false|yes|no|on|off|null|~)$/i;
const NUMBER_LIKE =
  /^[-+]?(?:\.?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|\.inf|\.nan)$/i;
const MAX_DEPTH = 200;

function needsQuotes(s: string): boolean {
  if (s === "") return true;
  if (RESERVED.test(s) || NUMBER_LIKE.test(s)) return true;
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^-[^\s]/.test(s)) return true;
  if (/^-$|^- /.test(s)) return true;
  if (/\s$/.test(s)) return true;
  if (s.includes(": ") || s.includes(" #") || s.endsWith(":")) return true;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must be escaped
  return /[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(s);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return needsQuotes(v) ? quote(v) : v;
  if (typeof v === "number")
    return Number.isFinite(v) ? formatNumber(v) : Number.isNaN(v) ? ".NaN" : v > 0 ? ".inf" : "-.inf";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (v instanceof JDouble) return javaDouble(v.value);
  if (v instanceof Date) return quote(formatInstant(v));
  if (Array.isArray(v) && v.length === 0) return "[]";
  if (isMap(v) && Object.keys(v).length === 0) return "{}";
  return "null";
}

function isBlock(v: unknown): boolean {
  return (Array.isArray(v) && v.length > 0) || (isMap(v) && Object.keys(v).length > 0);
}

function block(v: unknown, indent: number, depth: number, charge: (n: number) => void): string[] {
  if (depth > MAX_DEPTH) throw new ExpressionError("value is too deeply nested (or cyclic) to serialize");
  // Indentation makes the text grow with depth: charge it with the lines themselves.
  charge(1 + indent);
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isBlock(item)) {
        const child = block(item, indent + 2, depth + 1, charge);
        child[0] = `${pad}- ${(child[0] ?? "").slice(indent + 2)}`;
        lines.push(...child);
      } else {
        lines.push(`${pad}- ${scalar(item)}`);
      }
    }
    return lines;
  }
  if (isMap(v)) {
    for (const k of Object.keys(v)) {
      const value = v[k];
      if (typeof value === "function" || typeof value === "symbol") continue;
      const key = needsQuotes(k) ? quote(k) : k;
      if (isBlock(value)) {
        lines.push(`${pad}${key}:`);
        lines.push(...block(value, indent + 2, depth + 1, charge));
      } else {
        lines.push(`${pad}${key}: ${scalar(value)}`);
      }
    }
    return lines;
  }
  return [`${pad}${scalar(v)}`];
}

export function toYaml(value: unknown, charge: (n: number) => void = () => {}): string {
  return `${block(value, 0, 0, charge).join("\n")}\n`;
}
