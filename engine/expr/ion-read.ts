/**
 * A reader for one value of Amazon Ion text, the row format of Kestra's `.ion` files (one value per line,
 * as the serdes plugins write them). JSON is a subset of Ion text, so JSON-lines files read too.
 *
 * Supported: null (and typed nulls), booleans, integers (decimal, hex, binary, `_` separators), decimals
 * (`1.5`, `1.5d2`), floats (`1e3`, `nan`, `+inf`, `-inf`), timestamps (kept as their ISO text), strings
 * (`"..."` and `'''...'''`), symbols (`abc`, `'a b'`, read as strings), lists, structs, annotations
 * (`a::value`, dropped) and comments. S-expressions, blobs and clobs are refused with a clear message.
 */
export class IonSyntaxError extends Error {}

const IDENT_START = /[A-Za-z_$]/;
const TIMESTAMP = /^\d{4}(T|-\d{2}(T|-\d{2}(T(\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?)$/i;
const NUMBER_END = /[\s,\]})]/;
const BACKSLASH = 92;

/** `[A-Za-z0-9_$]`, by character code (no regular expression per character). */
const isIdentCode = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;

const SIMPLE_ESCAPES = new Map<string, string>([
  ["n", "\n"],
  ["t", "\t"],
  ["r", "\r"],
  ["f", "\f"],
  ["b", "\b"],
  ["v", "\v"],
  ["a", "\x07"],
  ["0", "\0"],
  ["\\", "\\"],
  ["/", "/"],
  ["?", "?"],
  ['"', '"'],
  ["'", "'"],
]);

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  error(message: string): never {
    throw new IonSyntaxError(`${message} at column ${this.pos + 1}`);
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
        this.pos++;
      } else if (c === "/" && this.peek(1) === "/") {
        while (this.pos < this.text.length && this.peek() !== "\n") this.pos++;
      } else if (c === "/" && this.peek(1) === "*") {
        const end = this.text.indexOf("*/", this.pos + 2);
        if (end < 0) this.error("unterminated comment");
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  expect(c: string): void {
    this.skipSpace();
    if (this.peek() !== c) this.error(`expected '${c}'`);
    this.pos++;
  }

  value(depth = 0): unknown {
    if (depth > 100) this.error("value nested too deeply");
    this.skipSpace();
    const c = this.peek();
    if (c === "") this.error("unexpected end of value");
    if (c === "{") {
      if (this.peek(1) === "{") this.error("blobs and clobs are not supported");
      return this.struct(depth);
    }
    if (c === "[") return this.list(depth);
    if (c === "(") this.error("s-expressions are not supported");
    if (c === '"') return this.string();
    if (c === "'") {
      if (this.text.startsWith("'''", this.pos)) return this.longString();
      const symbol = this.quotedSymbol();
      return this.annotated(symbol, depth);
    }
    if (IDENT_START.test(c)) {
      const word = this.identifier();
      return this.annotated(word, depth, true);
    }
    if (c === "+" && this.text.startsWith("+inf", this.pos)) {
      this.pos += 4;
      return Number.POSITIVE_INFINITY;
    }
    if (c === "-" && this.text.startsWith("-inf", this.pos)) {
      this.pos += 4;
      return Number.NEGATIVE_INFINITY;
    }
    if (c === "-" || (c >= "0" && c <= "9")) return this.numberOrTimestamp();
    return this.error(`unexpected character '${c}'`);
  }

  /** After a symbol: either an annotation (`sym::value`) or the symbol itself as a value. */
  annotated(symbol: string, depth: number, bare = false): unknown {
    this.skipSpace();
    if (this.peek() === ":" && this.peek(1) === ":") {
      this.pos += 2;
      return this.value(depth);
    }
    if (!bare) return symbol;
    if (symbol === "true") return true;
    if (symbol === "false") return false;
    if (symbol === "nan") return Number.NaN;
    if (symbol === "null") {
      if (this.peek() === ".") {
        this.pos++;
        this.identifier();
      }
      return null;
    }
    return symbol;
  }

  identifier(): string {
    const start = this.pos;
    const text = this.text;
    while (this.pos < text.length && isIdentCode(text.charCodeAt(this.pos))) this.pos++;
    return text.slice(start, this.pos);
  }

  escape(quote: string): string {
    const c = this.peek();
    this.pos++;
    const simple = SIMPLE_ESCAPES.get(c);
    if (simple !== undefined) return simple;
    if (c === "\n") return "";
    const hexLength = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
    if (hexLength) {
      const hex = this.text.slice(this.pos, this.pos + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) this.error("invalid escape");
      this.pos += hexLength;
      return String.fromCodePoint(Number.parseInt(hex, 16));
    }
    return this.error(`invalid escape '\\${c}' in ${quote === '"' ? "string" : "symbol"}`);
  }

  quoted(quote: string): string {
    this.pos++;
    const text = this.text;
    const q = quote.charCodeAt(0);
    let out = "";
    // Runs of plain characters are sliced whole: rows are mostly strings, read here.
    for (;;) {
      let end = this.pos;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === q || c === BACKSLASH) break;
        end++;
      }
      if (end >= text.length) {
        this.pos = end;
        this.error("unterminated string");
      }
      out += text.slice(this.pos, end);
      this.pos = end + 1;
      if (text.charCodeAt(end) === q) return out;
      out += this.escape(quote);
    }
  }

  string(): string {
    return this.quoted('"');
  }

  quotedSymbol(): string {
    return this.quoted("'");
  }

  longString(): string {
    let out = "";
    for (;;) {
      this.pos += 3;
      for (;;) {
        if (this.pos >= this.text.length) this.error("unterminated long string");
        if (this.text.startsWith("'''", this.pos)) break;
        const c = this.peek();
        this.pos++;
        out += c === "\\" ? this.escape("'") : c;
      }
      this.pos += 3;
      this.skipSpace();
      if (!this.text.startsWith("'''", this.pos)) return out;
    }
  }

  numberOrTimestamp(): unknown {
    const start = this.pos;
    while (this.pos < this.text.length && !NUMBER_END.test(this.peek())) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (TIMESTAMP.test(token)) return token;
    const clean = token.replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, "");
    if (/^-?0[xX][0-9a-fA-F]+$/.test(clean)) {
      const value = Number.parseInt(clean.replace(/^(-?)0[xX]/, "$1"), 16);
      return value;
    }
    if (/^-?0[bB][01]+$/.test(clean)) return Number.parseInt(clean.replace(/^(-?)0[bB]/, "$1"), 2);
    if (/^-?\d+$/.test(clean)) return Number(clean);
    if (/^-?\d+\.\d*([dD][-+]?\d+)?$/.test(clean) || /^-?\d+[dD][-+]?\d+$/.test(clean)) {
      return Number(clean.replace(/[dD]/, "e"));
    }
    if (/^-?\d+(\.\d*)?[eE][-+]?\d+$/.test(clean)) return Number(clean);
    return this.error(`invalid number or timestamp '${token}'`);
  }

  list(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.peek() === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c === "]") return out;
      if (c !== ",") this.error("expected ',' or ']' in list");
      this.skipSpace();
      if (this.peek() === "]") {
        this.pos++;
        return out;
      }
    }
  }

  fieldName(): string {
    this.skipSpace();
    const c = this.peek();
    let name: string;
    if (c === '"') name = this.string();
    else if (c === "'")
      name = this.text.startsWith("'''", this.pos) ? this.longString() : this.quotedSymbol();
    else if (IDENT_START.test(c)) name = this.identifier();
    else return this.error("expected a field name");
    return name;
  }

  struct(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.peek() === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      const name = this.fieldName();
      this.expect(":");
      const value = this.value(depth + 1);
      // defineProperty, not assignment, for `__proto__`: it stays a plain own field.
      if (name === "__proto__")
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      else out[name] = value;
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c === "}") return out;
      if (c !== ",") this.error("expected ',' or '}' in struct");
      this.skipSpace();
      if (this.peek() === "}") {
        this.pos++;
        return out;
      }
    }
  }
}

/** Parses one Ion (or JSON) value; throws IonSyntaxError on malformed text or trailing content. */
export function parseIonValue(text: string): unknown {
  const reader = new Reader(text);
  const value = reader.value();
  reader.skipSpace();
  if (reader.pos < text.length) reader.error("unexpected content after the value");
  return value;
}

/** Every value of an Ion text with one value per line (Kestra's `.ion` rows); blank lines are skipped. */
export function parseIonRows(text: string): unknown[] {
  const rows: unknown[] = [];
  for (const line of text.split(/\r?\n/)) if (line.trim()) rows.push(parseIonValue(line));
  return rows;
}
