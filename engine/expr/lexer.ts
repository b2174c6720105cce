/**
 * Tokenizer for Pebble templates as Kestra configures them: `{{ }}` print, `{% %}` tags,
 * `{# #}` comments, `-` whitespace control on any delimiter (it trims all whitespace,
 * newlines included, up to the next non-blank character), `{% verbatim %}` / `{% raw %}`
 * blocks, and inside delimiters the expression tokens of Pebble's LexerImpl: operators are
 * matched before names (longest first, word operators need a word boundary), then names,
 * `123L` longs, numbers, punctuation and strings. Strings keep Pebble's escapes: only the
 * quote and the backslash are escapable, so '\n' stays a backslash and an n.
 */
import { type ExpressionError, errorAt } from "./errors";

export type TokenType =
  | "text"
  | "print_start"
  | "print_end"
  | "exec_start"
  | "exec_end"
  | "name"
  | "number"
  | "long"
  | "string"
  | "interp_start"
  | "interp_end"
  | "op"
  | "punct"
  | "eof";

export interface Token {
  type: TokenType;
  value: string;
  /** Offset of the token in the template source. */
  pos: number;
}

/** Binary and unary operators of Pebble core, Kestra's extension and the `in` aliases. */
const OPERATORS = [
  "???",
  "??",
  "is not",
  "not in",
  "contains",
  "equals",
  "notIn",
  "isIn",
  "not",
  "and",
  "or",
  "is",
  "in",
  "==",
  "!=",
  "<=",
  ">=",
  "..",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "|",
  "~",
].sort((a, b) => b.length - a.length);

const OPERATOR_FIRST_CHARS = new Set(OPERATORS.map((op) => op[0]));
const WORD_CHAR = /[a-zA-Z0-9_]/;
const NAME_RE = /[\p{L}_][\p{L}\p{N}_]*/uy;
const LONG_RE = /[0-9]+L/y;
const NUMBER_RE = /[0-9]+(?:\.[0-9]+)?/y;
const SINGLE_QUOTED_RE = /'((?:[^'\\]|\\.)*)'/sy;
const VERBATIM_START_RE = /\s*(verbatim|raw)\s*(-?)%\}/y;
const PUNCTUATION = "()[]{}?:.,|=";
const CLOSING: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

function syntaxError(message: string, offset: number): ExpressionError {
  return errorAt(message, offset);
}

function ltrim(s: string): string {
  return s.replace(/^\s+/, "");
}

function rtrim(s: string): string {
  return s.replace(/\s+$/, "");
}

function unescapeQuoted(content: string, quote: string): string {
  if (!content.includes("\\")) return content;
  return content.replace(/\\([\s\S])/g, (m, c: string) => (c === quote || c === "\\" ? c : m));
}

interface Bracket {
  ch: string;
  pos: number;
}

class Lexer {
  readonly tokens: Token[] = [];
  i = 0;
  private trimNext = false;

  constructor(private readonly src: string) {}

  template(): Token[] {
    const src = this.src;
    while (this.i < src.length) {
      const start = this.findDelimiter(this.i);
      let text = src.slice(this.i, start === -1 ? src.length : start);
      if (this.trimNext) {
        text = ltrim(text);
        this.trimNext = false;
      }
      if (start === -1) {
        this.pushText(text, this.i);
        this.i = src.length;
        break;
      }
      const kind = src[start + 1];
      let p = start + 2;
      if (src[p] === "-") {
        text = rtrim(text);
        p++;
      }
      this.pushText(text, this.i);
      this.i = p;
      if (kind === "#") {
        this.comment(start);
      } else if (kind === "{") {
        this.push("print_start", "{{", start);
        this.push("print_end", "}}", this.delimited("}}", start));
      } else if (!this.verbatim(start)) {
        this.push("exec_start", "{%", start);
        this.push("exec_end", "%}", this.delimited("%}", start));
      }
    }
    this.push("eof", "", src.length);
    return this.tokens;
  }

  expression(): Token[] {
    const brackets: Bracket[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.i >= this.src.length) break;
      this.exprToken(brackets);
    }
    const open = brackets.pop();
    if (open) throw syntaxError(`Unclosed "${CLOSING[open.ch]}"`, open.pos);
    this.push("eof", "", this.src.length);
    return this.tokens;
  }

  private push(type: TokenType, value: string, pos: number): void {
    this.tokens.push({ type, value, pos });
  }

  private pushText(text: string, pos: number): void {
    if (text.length > 0) this.push("text", text, pos);
  }

  private findDelimiter(from: number): number {
    const src = this.src;
    let idx = src.indexOf("{", from);
    while (idx !== -1) {
      const next = src[idx + 1];
      if (next === "{" || next === "%" || next === "#") return idx;
      idx = src.indexOf("{", idx + 1);
    }
    return -1;
  }

  private comment(start: number): void {
    const end = this.src.indexOf("#}", this.i);
    if (end === -1) throw syntaxError("Unclosed comment", start);
    if (end > this.i && this.src[end - 1] === "-") this.trimNext = true;
    this.i = end + 2;
  }

  private verbatim(start: number): boolean {
    VERBATIM_START_RE.lastIndex = this.i;
    const m = VERBATIM_START_RE.exec(this.src);
    if (!m) return false;
    const kind = m[1] ?? "verbatim";
    const bodyStart = this.i + m[0].length;
    const endRe = new RegExp(`\\{%(-?)\\s*end${kind}\\s*(-?)%\\}`, "g");
    endRe.lastIndex = bodyStart;
    const end = endRe.exec(this.src);
    if (!end) throw syntaxError(`Unclosed "${kind}" tag`, start);
    let body = this.src.slice(bodyStart, end.index);
    if (m[2] === "-") body = ltrim(body);
    if (end[1] === "-") body = rtrim(body);
    this.pushText(body, bodyStart);
    if (end[2] === "-") this.trimNext = true;
    this.i = end.index + end[0].length;
    return true;
  }

  /**
   * Expression tokens up to the closing delimiter, which must appear outside any bracket.
   * Returns the offset of the closing delimiter.
   */
  private delimited(close: string, start: number): number {
    const src = this.src;
    const brackets: Bracket[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.i >= src.length) {
        const open = brackets.pop();
        if (open) throw syntaxError(`Unclosed "${CLOSING[open.ch]}"`, open.pos);
        throw syntaxError(`Unclosed "${close === "}}" ? "{{" : "{%"}"`, start);
      }
      if (brackets.length === 0) {
        const closePos = this.i;
        if (src.charCodeAt(this.i) === 45 && src.startsWith(close, this.i + 1)) {
          this.trimNext = true;
          this.i += 1;
        }
        if (src.startsWith(close, this.i)) {
          this.i += close.length;
          return closePos;
        }
      }
      this.exprToken(brackets);
    }
  }

  private skipWhitespace(): void {
    const src = this.src;
    while (this.i < src.length) {
      const c = src.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11) this.i++;
      else break;
    }
  }

  private matchOperator(): string | undefined {
    const src = this.src;
    const first = src[this.i];
    if (first === undefined || !OPERATOR_FIRST_CHARS.has(first)) return undefined;
    for (const op of OPERATORS) {
      if (!src.startsWith(op, this.i)) continue;
      const last = op[op.length - 1] ?? "";
      if (/[a-zA-Z]/.test(last)) {
        const next = src[this.i + op.length];
        if (next !== undefined && WORD_CHAR.test(next)) continue;
      }
      return op;
    }
    return undefined;
  }

  private exprToken(brackets: Bracket[]): void {
    const src = this.src;
    const pos = this.i;
    const op = this.matchOperator();
    if (op !== undefined) {
      this.push("op", op, pos);
      this.i += op.length;
      return;
    }
    NAME_RE.lastIndex = pos;
    let m = NAME_RE.exec(src);
    if (m) {
      this.push("name", m[0], pos);
      this.i += m[0].length;
      return;
    }
    LONG_RE.lastIndex = pos;
    m = LONG_RE.exec(src);
    if (m) {
      this.push("long", m[0].slice(0, -1), pos);
      this.i += m[0].length;
      return;
    }
    NUMBER_RE.lastIndex = pos;
    m = NUMBER_RE.exec(src);
    if (m) {
      this.push("number", m[0], pos);
      this.i += m[0].length;
      return;
    }
    const c = src[pos] ?? "";
    if (PUNCTUATION.includes(c)) {
      if (c === "(" || c === "[" || c === "{") {
        brackets.push({ ch: c, pos });
      } else if (c === ")" || c === "]" || c === "}") {
        const open = brackets.pop();
        if (!open) throw syntaxError(`Unexpected "${c}"`, pos);
        if (CLOSING[open.ch] !== c) throw syntaxError(`Unclosed "${CLOSING[open.ch]}"`, open.pos);
      }
      this.push("punct", c, pos);
      this.i++;
      return;
    }
    if (c === "'") {
      SINGLE_QUOTED_RE.lastIndex = pos;
      m = SINGLE_QUOTED_RE.exec(src);
      if (!m) throw syntaxError(`Unclosed "'"`, pos);
      this.push("string", unescapeQuoted(m[1] ?? "", "'"), pos);
      this.i += m[0].length;
      return;
    }
    if (c === '"') {
      this.doubleQuoted();
      return;
    }
    throw syntaxError(`Unexpected character [${c}]`, pos);
  }

  /** A double-quoted string, possibly with `#{expr}` interpolations. */
  private doubleQuoted(): void {
    const src = this.src;
    const quotePos = this.i;
    let segStart = this.i + 1;
    let p = segStart;
    let interpolated = false;
    for (;;) {
      if (p >= src.length) throw syntaxError(`Unclosed """`, quotePos);
      const ch = src.charCodeAt(p);
      if (ch === 92) {
        p += 2;
        continue;
      }
      if (ch === 34) break;
      if (ch === 35 && src.charCodeAt(p + 1) === 123) {
        if (p > segStart) this.push("string", unescapeQuoted(src.slice(segStart, p), '"'), segStart);
        interpolated = true;
        this.push("interp_start", "#{", p);
        this.i = p + 2;
        this.interpolation(p);
        p = this.i;
        segStart = p;
        continue;
      }
      p++;
    }
    if (!interpolated || p > segStart) {
      this.push("string", unescapeQuoted(src.slice(segStart, p), '"'), segStart);
    }
    this.i = p + 1;
  }

  private interpolation(openPos: number): void {
    const brackets: Bracket[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.i >= this.src.length) throw syntaxError(`Unclosed "#{"`, openPos);
      if (brackets.length === 0 && this.src[this.i] === "}") {
        this.push("interp_end", "}", this.i);
        this.i++;
        return;
      }
      this.exprToken(brackets);
    }
  }
}

export function tokenizeTemplate(src: string): Token[] {
  return new Lexer(src).template();
}

export function tokenizeExpression(src: string): Token[] {
  return new Lexer(src).expression();
}
