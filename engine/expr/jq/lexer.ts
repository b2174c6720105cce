/** Tokens of the jq subset (see jq/index.ts for what is supported). */
import { ExpressionError } from "../errors";

export type JqTokenType = "punct" | "ident" | "var" | "field" | "number" | "string" | "keyword" | "eof";

export interface JqToken {
  type: JqTokenType;
  value: string;
  pos: number;
}

const KEYWORDS = new Set([
  "if",
  "then",
  "elif",
  "else",
  "end",
  "as",
  "reduce",
  "foreach",
  "and",
  "or",
  "def",
  "try",
  "catch",
  "label",
  "import",
  "include",
]);

const PUNCT = ["?//", "..", "//", "==", "!=", "<=", ">=", "|=", "+=", "-=", "*=", "/=", "%=", "//="].sort(
  (a, b) => b.length - a.length,
);
const SINGLE = ".[]{}()|,:;?<>+-*/%=$";

export function jqError(message: string): ExpressionError {
  return new ExpressionError(`jq: ${message}`);
}

function readString(src: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let out = "";
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === "\\") {
      const n = src[i + 1];
      switch (n) {
        case "n":
          out += "\n";
          break;
        case "t":
          out += "\t";
          break;
        case "r":
          out += "\r";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "/":
        case "\\":
        case '"':
          out += n;
          break;
        case "u": {
          const hex = src.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw jqError("invalid \\u escape in string");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
          break;
        }
        case "(":
          throw jqError("string interpolation \\(...) is not supported");
        default:
          throw jqError(`invalid escape \\${n ?? ""} in string`);
      }
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw jqError("unterminated string");
}

export function tokenizeJq(src: string): JqToken[] {
  const tokens: JqToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === '"') {
      const s = readString(src, i);
      tokens.push({ type: "string", value: s.value, pos: i });
      i = s.end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(src.slice(i));
      if (!m) throw jqError(`invalid number at ${i}`);
      tokens.push({ type: "number", value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === "." && /[a-zA-Z_]/.test(src[i + 1] ?? "")) {
      const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(src.slice(i + 1));
      tokens.push({ type: "field", value: m?.[0] ?? "", pos: i });
      i += 1 + (m?.[0].length ?? 0);
      continue;
    }
    if (c === "$" && /[a-zA-Z_]/.test(src[i + 1] ?? "")) {
      const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(src.slice(i + 1));
      tokens.push({ type: "var", value: m?.[0] ?? "", pos: i });
      i += 1 + (m?.[0].length ?? 0);
      continue;
    }
    if (/[a-zA-Z_]/.test(c)) {
      const m = /^[a-zA-Z_][a-zA-Z0-9_]*(?:::[a-zA-Z_][a-zA-Z0-9_]*)*/.exec(src.slice(i));
      const word = m?.[0] ?? c;
      tokens.push({ type: KEYWORDS.has(word) ? "keyword" : "ident", value: word, pos: i });
      i += word.length;
      continue;
    }
    const multi = PUNCT.find((p) => src.startsWith(p, i));
    if (multi) {
      tokens.push({ type: "punct", value: multi, pos: i });
      i += multi.length;
      continue;
    }
    if (SINGLE.includes(c)) {
      tokens.push({ type: "punct", value: c, pos: i });
      i++;
      continue;
    }
    throw jqError(`unexpected character '${c}' at ${i}`);
  }
  tokens.push({ type: "eof", value: "", pos: src.length });
  return tokens;
}
