/** Parser of the jq subset into a small tree, with jq's operator precedence. */
import { type JqToken, jqError, tokenizeJq } from "./lexer";

export type JqNode =
  | { k: "identity" }
  | { k: "recurse" }
  | { k: "literal"; value: unknown }
  | { k: "field"; target: JqNode; name: string; optional: boolean }
  | { k: "index"; target: JqNode; index: JqNode; optional: boolean }
  | { k: "slice"; target: JqNode; from: JqNode | undefined; to: JqNode | undefined; optional: boolean }
  | { k: "iterate"; target: JqNode; optional: boolean }
  | { k: "try"; body: JqNode }
  | { k: "pipe"; left: JqNode; right: JqNode }
  | { k: "comma"; left: JqNode; right: JqNode }
  | { k: "binary"; op: string; left: JqNode; right: JqNode }
  | { k: "and"; left: JqNode; right: JqNode }
  | { k: "or"; left: JqNode; right: JqNode }
  | { k: "alt"; left: JqNode; right: JqNode }
  | { k: "neg"; arg: JqNode }
  | { k: "array"; body: JqNode | undefined }
  | { k: "object"; entries: Array<{ key: JqNode; value: JqNode }> }
  | { k: "var"; name: string }
  | { k: "bind"; source: JqNode; name: string; body: JqNode }
  | { k: "reduce"; source: JqNode; name: string; init: JqNode; update: JqNode }
  | { k: "if"; cond: JqNode; then: JqNode; otherwise: JqNode | undefined }
  | { k: "call"; name: string; args: JqNode[] };

const IDENTITY: JqNode = { k: "identity" };

const MAX_DEPTH = 200;

class JqParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: JqToken[]) {}

  private get cur(): JqToken {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }

  private is(type: JqToken["type"], value?: string): boolean {
    return this.cur.type === type && (value === undefined || this.cur.value === value);
  }

  private expect(type: JqToken["type"], value?: string): JqToken {
    if (!this.is(type, value)) {
      throw jqError(
        `syntax error: expected ${value ?? type} but found '${this.cur.value || "end"}' at ${this.cur.pos}`,
      );
    }
    return this.tokens[this.i++]!;
  }

  parseProgram(): JqNode {
    const n = this.pipe();
    if (!this.is("eof")) throw jqError(`syntax error: unexpected '${this.cur.value}' at ${this.cur.pos}`);
    return n;
  }

  private pipe(): JqNode {
    if (++this.depth > MAX_DEPTH) throw jqError("expression is nested too deeply");
    try {
      return this.pipeInner();
    } finally {
      this.depth--;
    }
  }

  private pipeInner(): JqNode {
    if (this.is("keyword", "def")) throw jqError("function definitions (def) are not supported");
    const left = this.comma();
    // `Term as $x | body`; the source is read at comma level (jq binds `as` to a single term).
    if (this.is("keyword", "as")) {
      this.i++;
      const name = this.expect("var").value;
      this.expect("punct", "|");
      return { k: "bind", source: left, name, body: this.pipe() };
    }
    if (this.is("punct", "|")) {
      this.i++;
      return { k: "pipe", left, right: this.pipe() };
    }
    return left;
  }

  private comma(): JqNode {
    let left = this.alt();
    while (this.is("punct", ",")) {
      this.i++;
      left = { k: "comma", left, right: this.alt() };
    }
    return left;
  }

  private alt(): JqNode {
    const left = this.or();
    if (this.is("punct", "//")) {
      this.i++;
      return { k: "alt", left, right: this.alt() };
    }
    return left;
  }

  private or(): JqNode {
    let left = this.and();
    while (this.is("keyword", "or")) {
      this.i++;
      left = { k: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): JqNode {
    let left = this.compare();
    while (this.is("keyword", "and")) {
      this.i++;
      left = { k: "and", left, right: this.compare() };
    }
    return left;
  }

  private compare(): JqNode {
    const left = this.additive();
    const t = this.cur;
    if (t.type === "punct" && ["==", "!=", "<", "<=", ">", ">="].includes(t.value)) {
      this.i++;
      return { k: "binary", op: t.value, left, right: this.additive() };
    }
    if (t.type === "punct" && ["=", "|=", "+=", "-=", "*=", "/=", "%=", "//="].includes(t.value)) {
      throw jqError(`assignment operators ('${t.value}') are not supported`);
    }
    return left;
  }

  private additive(): JqNode {
    let left = this.multiplicative();
    while (this.is("punct", "+") || this.is("punct", "-")) {
      const op = this.tokens[this.i++]!.value;
      left = { k: "binary", op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): JqNode {
    let left = this.unary();
    while (this.is("punct", "*") || this.is("punct", "/") || this.is("punct", "%")) {
      const op = this.tokens[this.i++]!.value;
      left = { k: "binary", op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): JqNode {
    if (this.is("punct", "-")) {
      this.i++;
      return { k: "neg", arg: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): JqNode {
    let node = this.term();
    for (;;) {
      if (this.is("field")) {
        const name = this.tokens[this.i++]!.value;
        node = { k: "field", target: node, name, optional: this.optional() };
      } else if (this.is("punct", ".") && this.tokens[this.i + 1]?.type === "string") {
        this.i++;
        const name = this.tokens[this.i++]!.value;
        node = { k: "field", target: node, name, optional: this.optional() };
      } else if (this.is("punct", "[") || (this.is("punct", ".") && this.tokens[this.i + 1]?.value === "[")) {
        if (this.is("punct", ".")) this.i++;
        node = this.bracket(node);
      } else if (this.is("punct", "?")) {
        this.i++;
        node = { k: "try", body: node };
      } else {
        return node;
      }
    }
  }

  private optional(): boolean {
    if (this.is("punct", "?")) {
      this.i++;
      return true;
    }
    return false;
  }

  private bracket(target: JqNode): JqNode {
    this.expect("punct", "[");
    if (this.is("punct", "]")) {
      this.i++;
      return { k: "iterate", target, optional: this.optional() };
    }
    let from: JqNode | undefined;
    if (!this.is("punct", ":")) from = this.pipe();
    if (this.is("punct", ":")) {
      this.i++;
      const to = this.is("punct", "]") ? undefined : this.pipe();
      this.expect("punct", "]");
      return { k: "slice", target, from, to, optional: this.optional() };
    }
    this.expect("punct", "]");
    return { k: "index", target, index: from ?? IDENTITY, optional: this.optional() };
  }

  private term(): JqNode {
    const t = this.cur;
    switch (t.type) {
      case "number":
        this.i++;
        return { k: "literal", value: Number(t.value) };
      case "string":
        this.i++;
        return { k: "literal", value: t.value };
      case "field":
        this.i++;
        return { k: "field", target: IDENTITY, name: t.value, optional: this.optional() };
      case "var":
        this.i++;
        return { k: "var", name: t.value };
      case "keyword":
        if (t.value === "if") return this.ifExpr();
        if (t.value === "reduce") return this.reduceExpr();
        throw jqError(`'${t.value}' is not supported here`);
      case "ident": {
        this.i++;
        if (t.value === "null") return { k: "literal", value: null };
        if (t.value === "true") return { k: "literal", value: true };
        if (t.value === "false") return { k: "literal", value: false };
        const args: JqNode[] = [];
        if (this.is("punct", "(")) {
          this.i++;
          args.push(this.pipe());
          while (this.is("punct", ";")) {
            this.i++;
            args.push(this.pipe());
          }
          this.expect("punct", ")");
        }
        return { k: "call", name: t.value, args };
      }
      case "punct":
        switch (t.value) {
          case ".":
            this.i++;
            if (this.is("string")) {
              const name = this.tokens[this.i++]!.value;
              return { k: "field", target: IDENTITY, name, optional: this.optional() };
            }
            if (this.is("punct", "[")) return this.bracket(IDENTITY);
            return IDENTITY;
          case "..":
            this.i++;
            return { k: "recurse" };
          case "(": {
            this.i++;
            const inner = this.pipe();
            this.expect("punct", ")");
            return inner;
          }
          case "[": {
            this.i++;
            if (this.is("punct", "]")) {
              this.i++;
              return { k: "array", body: undefined };
            }
            const body = this.pipe();
            this.expect("punct", "]");
            return { k: "array", body };
          }
          case "{":
            return this.objectExpr();
        }
    }
    throw jqError(`syntax error: unexpected '${t.value || "end of expression"}' at ${t.pos}`);
  }

  private objectExpr(): JqNode {
    this.expect("punct", "{");
    const entries: Array<{ key: JqNode; value: JqNode }> = [];
    while (!this.is("punct", "}")) {
      if (entries.length > 0) this.expect("punct", ",");
      const t = this.cur;
      let key: JqNode;
      let shorthand: JqNode;
      if (t.type === "ident" || t.type === "keyword") {
        this.i++;
        key = { k: "literal", value: t.value };
        shorthand = { k: "field", target: IDENTITY, name: t.value, optional: false };
      } else if (t.type === "string") {
        this.i++;
        key = { k: "literal", value: t.value };
        shorthand = { k: "field", target: IDENTITY, name: t.value, optional: false };
      } else if (t.type === "var") {
        this.i++;
        key = { k: "literal", value: t.value };
        shorthand = { k: "var", name: t.value };
      } else if (t.type === "punct" && t.value === "(") {
        this.i++;
        key = this.pipe();
        this.expect("punct", ")");
        shorthand = key;
      } else {
        throw jqError(`syntax error in object construction at ${t.pos}`);
      }
      if (this.is("punct", ":")) {
        this.i++;
        entries.push({ key, value: this.objectValue() });
      } else {
        entries.push({ key, value: shorthand });
      }
    }
    this.expect("punct", "}");
    return { k: "object", entries };
  }

  private objectValue(): JqNode {
    let left = this.alt();
    while (this.is("punct", "|")) {
      this.i++;
      left = { k: "pipe", left, right: this.alt() };
    }
    return left;
  }

  private ifExpr(): JqNode {
    this.expect("keyword", "if");
    const cond = this.pipe();
    this.expect("keyword", "then");
    const then = this.pipe();
    let otherwise: JqNode | undefined;
    if (this.is("keyword", "elif")) {
      this.tokens[this.i] = { ...this.cur, value: "if" };
      otherwise = this.ifExpr();
      return { k: "if", cond, then, otherwise };
    }
    if (this.is("keyword", "else")) {
      this.i++;
      otherwise = this.pipe();
    }
    this.expect("keyword", "end");
    return { k: "if", cond, then, otherwise };
  }

  private reduceExpr(): JqNode {
    this.expect("keyword", "reduce");
    const source = this.postfix();
    this.expect("keyword", "as");
    const name = this.expect("var").value;
    this.expect("punct", "(");
    const init = this.pipe();
    this.expect("punct", ";");
    const update = this.pipe();
    this.expect("punct", ")");
    return { k: "reduce", source, name, init, update };
  }
}

export function parseJq(src: string): JqNode {
  return new JqParser(tokenizeJq(src)).parseProgram();
}
