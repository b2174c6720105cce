/**
 * Parser for Pebble templates and expressions, following Pebble's ExpressionParser:
 * precedence climbing with Pebble's operator table (Kestra's `??`/`???` at 120), unary
 * operators binding tighter than every binary one (`not a == b` is `(not a) == b`), the
 * ternary only at the top of an expression, filters and tests parsed as the right-hand side
 * of `|` and `is`. Tags: if/elseif/else/endif, for/else/endfor, set, filter/endfilter.
 */
import type { Args, BinaryOp, Expr, FilterRef, NamedArg, Node } from "./ast";
import { type ExpressionError, errorAt } from "./errors";
import type { Token, TokenType } from "./lexer";
import { JDouble } from "./values";

interface BinaryInfo {
  prec: number;
  kind: "binary" | "and" | "or" | "coalesce" | "undefcoalesce" | "filter" | "test" | "testnot";
  op?: BinaryOp;
}

const BINARY: Record<string, BinaryInfo> = {
  or: { prec: 10, kind: "or" },
  and: { prec: 15, kind: "and" },
  is: { prec: 20, kind: "test" },
  "is not": { prec: 20, kind: "testnot" },
  contains: { prec: 20, kind: "binary", op: "contains" },
  in: { prec: 20, kind: "binary", op: "in" },
  isIn: { prec: 20, kind: "binary", op: "in" },
  notIn: { prec: 20, kind: "binary", op: "notIn" },
  "not in": { prec: 20, kind: "binary", op: "notIn" },
  "==": { prec: 30, kind: "binary", op: "==" },
  equals: { prec: 30, kind: "binary", op: "==" },
  "!=": { prec: 30, kind: "binary", op: "!=" },
  "<": { prec: 30, kind: "binary", op: "<" },
  ">": { prec: 30, kind: "binary", op: ">" },
  "<=": { prec: 30, kind: "binary", op: "<=" },
  ">=": { prec: 30, kind: "binary", op: ">=" },
  "+": { prec: 40, kind: "binary", op: "+" },
  "-": { prec: 40, kind: "binary", op: "-" },
  "*": { prec: 60, kind: "binary", op: "*" },
  "/": { prec: 60, kind: "binary", op: "/" },
  "%": { prec: 60, kind: "binary", op: "%" },
  "|": { prec: 100, kind: "filter" },
  "~": { prec: 110, kind: "binary", op: "~" },
  "..": { prec: 120, kind: "binary", op: ".." },
  "??": { prec: 120, kind: "coalesce" },
  "???": { prec: 120, kind: "undefcoalesce" },
};

const UNARY_PREC = 500;
const MAX_DEPTH = 200;
const RESERVED = new Set(["true", "false", "null", "none"]);
const UNSUPPORTED_TAGS = new Set([
  "macro",
  "block",
  "include",
  "extends",
  "import",
  "embed",
  "from",
  "parallel",
  "cache",
  "flush",
  "autoescape",
]);

function syntaxError(message: string, offset: number): ExpressionError {
  return errorAt(message, offset);
}

function tokenText(t: Token): string {
  return t.type === "eof" ? "end of template" : `"${t.value}"`;
}

export class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private get cur(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }

  private peek(n = 1): Token {
    return this.tokens[this.i + n] ?? this.tokens[this.tokens.length - 1]!;
  }

  private is(type: TokenType, value?: string): boolean {
    const t = this.cur;
    return t.type === type && (value === undefined || t.value === value);
  }

  private expect(type: TokenType, value?: string): Token {
    const t = this.cur;
    if (t.type !== type || (value !== undefined && t.value !== value)) {
      const wanted = value !== undefined ? `"${value}"` : type;
      throw syntaxError(`Unexpected token ${tokenText(t)}, expected ${wanted}`, t.pos);
    }
    this.i++;
    return t;
  }

  // ---- templates ----------------------------------------------------------------------

  parseTemplate(): Node[] {
    const nodes = this.parseBody(undefined);
    this.expect("eof");
    return nodes;
  }

  parseStandaloneExpression(): Expr {
    const e = this.parseExpression(0);
    if (!this.is("eof")) throw syntaxError(`Unexpected token ${tokenText(this.cur)}`, this.cur.pos);
    return e;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw syntaxError("Template is nested too deeply", pos);
  }

  private parseBody(endTags: ReadonlySet<string> | undefined, openPos = 0): Node[] {
    this.enter(this.cur.pos);
    const nodes: Node[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === "text") {
        nodes.push({ k: "text", text: t.value });
        this.i++;
      } else if (t.type === "print_start") {
        this.i++;
        const expr = this.parseExpression(0);
        this.expect("print_end");
        nodes.push({ k: "print", pos: t.pos, expr });
      } else if (t.type === "exec_start") {
        const tag = this.peek();
        if (endTags && tag.type === "name" && endTags.has(tag.value)) break;
        nodes.push(this.parseTag());
      } else if (t.type === "eof") {
        if (endTags) {
          const names = [...endTags].map((n) => `"${n}"`).join(" or ");
          throw syntaxError(`Unclosed tag: expected ${names} before the end of the template`, openPos);
        }
        break;
      } else {
        throw syntaxError(`Unexpected token ${tokenText(t)}`, t.pos);
      }
    }
    this.depth--;
    return nodes;
  }

  /** Consumes `{% name`, returning the tag name token. */
  private openTag(): Token {
    this.expect("exec_start");
    const t = this.cur;
    if (t.type !== "name" && t.type !== "op") {
      throw syntaxError(`Unexpected token ${tokenText(t)}, expected a tag name`, t.pos);
    }
    this.i++;
    return t;
  }

  private parseTag(): Node {
    const start = this.cur.pos;
    const tag = this.openTag();
    switch (tag.value) {
      case "if":
        return this.parseIf(start);
      case "for":
        return this.parseFor(start);
      case "set": {
        const name = this.newVariableName();
        this.expect("punct", "=");
        const value = this.parseExpression(0);
        this.expect("exec_end");
        return { k: "set", pos: start, name, value };
      }
      case "filter":
        return this.parseFilterBlock(start);
      default:
        if (UNSUPPORTED_TAGS.has(tag.value)) {
          throw syntaxError(`The "${tag.value}" tag is not supported`, tag.pos);
        }
        throw syntaxError(`Unexpected tag name "${tag.value}"`, tag.pos);
    }
  }

  private newVariableName(): string {
    const t = this.expect("name");
    if (RESERVED.has(t.value)) throw syntaxError(`Can not assign a value to ${t.value}`, t.pos);
    return t.value;
  }

  private parseIf(start: number): Node {
    const ends = new Set(["elseif", "else", "endif"]);
    const branches: Array<{ cond: Expr; body: Node[] }> = [];
    let cond = this.parseExpression(0);
    this.expect("exec_end");
    let otherwise: Node[] | undefined;
    for (;;) {
      const body = this.parseBody(ends, start);
      branches.push({ cond, body });
      const tag = this.openTag();
      if (tag.value === "elseif") {
        cond = this.parseExpression(0);
        this.expect("exec_end");
        continue;
      }
      this.expect("exec_end");
      if (tag.value === "else") {
        otherwise = this.parseBody(new Set(["endif"]), start);
        this.openTag();
        this.expect("exec_end");
      }
      break;
    }
    return { k: "if", pos: start, branches, otherwise };
  }

  private parseFor(start: number): Node {
    let keyVar: string | undefined;
    let valueVar = this.newVariableName();
    if (this.is("punct", ",")) {
      this.i++;
      keyVar = valueVar;
      valueVar = this.newVariableName();
    }
    const inTok = this.cur;
    if (!((inTok.type === "op" || inTok.type === "name") && inTok.value === "in")) {
      throw syntaxError(`Unexpected token ${tokenText(inTok)}, expected "in"`, inTok.pos);
    }
    this.i++;
    const iterable = this.parseExpression(0);
    this.expect("exec_end");
    const body = this.parseBody(new Set(["else", "endfor"]), start);
    let otherwise: Node[] | undefined;
    const tag = this.openTag();
    this.expect("exec_end");
    if (tag.value === "else") {
      otherwise = this.parseBody(new Set(["endfor"]), start);
      this.openTag();
      this.expect("exec_end");
    }
    return { k: "for", pos: start, keyVar, valueVar, iterable, body, otherwise };
  }

  private parseFilterBlock(start: number): Node {
    const filters: FilterRef[] = [];
    for (;;) {
      const name = this.expect("name");
      const args = this.is("punct", "(") ? this.parseArgs() : { positional: [], named: [] };
      filters.push({ pos: name.pos, name: name.value, args });
      if (this.is("op", "|")) {
        this.i++;
        continue;
      }
      break;
    }
    this.expect("exec_end");
    const body = this.parseBody(new Set(["endfilter"]), start);
    this.openTag();
    this.expect("exec_end");
    return { k: "filterBlock", pos: start, filters, body };
  }

  // ---- expressions --------------------------------------------------------------------

  parseExpression(minPrec: number): Expr {
    const t = this.cur;
    this.enter(t.pos);
    let expr: Expr;
    if (t.type === "op" && (t.value === "not" || t.value === "-" || t.value === "+")) {
      this.i++;
      const arg = this.parseExpression(UNARY_PREC);
      expr = { k: "unary", pos: t.pos, op: t.value, arg };
    } else if (t.type === "punct" && t.value === "(") {
      this.i++;
      expr = this.parseExpression(0);
      this.expect("punct", ")");
      expr = this.parsePostfix(expr);
    } else if (t.type === "punct" && t.value === "[") {
      expr = this.parsePostfix(this.parseList());
    } else if (t.type === "punct" && t.value === "{") {
      expr = this.parsePostfix(this.parseMap());
    } else {
      expr = this.parsePrimary();
    }

    for (;;) {
      const op = this.cur;
      if (op.type !== "op") break;
      const info = BINARY[op.value];
      if (info === undefined || info.prec < minPrec) break;
      this.i++;
      switch (info.kind) {
        case "filter":
          expr = this.parseFilterInvocation(expr, op.pos);
          break;
        case "test":
        case "testnot": {
          const name = this.expect("name");
          const args = this.is("punct", "(") ? this.parseArgs() : { positional: [], named: [] };
          expr = {
            k: "test",
            pos: op.pos,
            input: expr,
            name: name.value,
            args,
            negate: info.kind === "testnot",
          };
          break;
        }
        default: {
          const right = this.parseExpression(info.prec + 1);
          if (info.kind === "and" || info.kind === "or") {
            expr = { k: info.kind, pos: op.pos, left: expr, right };
          } else if (info.kind === "coalesce" || info.kind === "undefcoalesce") {
            expr = {
              k: "coalesce",
              pos: op.pos,
              undefinedOnly: info.kind === "undefcoalesce",
              left: expr,
              right,
            };
          } else {
            expr = { k: "binary", pos: op.pos, op: info.op ?? "+", left: expr, right };
          }
        }
      }
    }

    if (minPrec === 0 && this.is("punct", "?")) {
      const q = this.cur;
      this.i++;
      const then = this.parseExpression(0);
      this.expect("punct", ":");
      const otherwise = this.parseExpression(0);
      expr = { k: "ternary", pos: q.pos, cond: expr, then, otherwise };
    }
    this.depth--;
    return expr;
  }

  private parseFilterInvocation(input: Expr, pos: number): Expr {
    const name = this.expect("name");
    const args = this.is("punct", "(") ? this.parseArgs() : { positional: [], named: [] };
    return { k: "filter", pos: name.pos ?? pos, input, name: name.value, args };
  }

  private parsePrimary(): Expr {
    const t = this.cur;
    switch (t.type) {
      case "name": {
        this.i++;
        switch (t.value) {
          case "true":
          case "TRUE":
            return this.parsePostfix({ k: "lit", pos: t.pos, value: true });
          case "false":
          case "FALSE":
            return this.parsePostfix({ k: "lit", pos: t.pos, value: false });
          case "null":
          case "NULL":
          case "none":
          case "NONE":
            return this.parsePostfix({ k: "lit", pos: t.pos, value: null });
        }
        if (this.is("punct", "(")) {
          const args = this.parseArgs();
          return this.parsePostfix({ k: "call", pos: t.pos, name: t.value, args });
        }
        return this.parsePostfix({ k: "var", pos: t.pos, name: t.value });
      }
      case "number": {
        this.i++;
        const n = Number(t.value);
        const value = t.value.includes(".") && Number.isInteger(n) ? new JDouble(n) : n;
        return this.parsePostfix({ k: "lit", pos: t.pos, value });
      }
      case "long":
        this.i++;
        return this.parsePostfix({ k: "lit", pos: t.pos, value: Number(t.value) });
      case "string":
      case "interp_start":
        return this.parsePostfix(this.parseString());
      default:
        throw syntaxError(`Unexpected token ${tokenText(t)}`, t.pos);
    }
  }

  private parseString(): Expr {
    const start = this.cur.pos;
    const parts: Expr[] = [];
    let previousWasString = false;
    for (;;) {
      const t = this.cur;
      if (t.type === "string" && !previousWasString) {
        this.i++;
        parts.push({ k: "lit", pos: t.pos, value: t.value });
        previousWasString = true;
      } else if (t.type === "interp_start") {
        this.i++;
        parts.push(this.parseExpression(0));
        this.expect("interp_end");
        previousWasString = false;
      } else {
        break;
      }
    }
    if (parts.length === 1) return parts[0]!;
    return { k: "concat", pos: start, parts };
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const t = this.cur;
      if (t.type !== "punct") return node;
      if (t.value === ".") {
        this.i++;
        const name = this.cur;
        if (name.type !== "name") {
          throw syntaxError(`Unexpected token ${tokenText(name)}, expected an attribute name`, name.pos);
        }
        this.i++;
        if (this.is("punct", "(")) {
          throw syntaxError(`Method calls are not supported ("${name.value}(...)")`, name.pos);
        }
        node = { k: "attr", pos: name.pos, obj: node, name: name.value };
      } else if (t.value === "[") {
        this.i++;
        const key = this.parseExpression(0);
        this.expect("punct", "]");
        node = { k: "index", pos: t.pos, obj: node, key };
      } else if (t.value === "(") {
        throw syntaxError("Only named functions can be called", t.pos);
      } else {
        return node;
      }
    }
  }

  private parseArgs(): Args {
    this.expect("punct", "(");
    const positional: Expr[] = [];
    const named: NamedArg[] = [];
    while (!this.is("punct", ")")) {
      if (positional.length > 0 || named.length > 0) this.expect("punct", ",");
      const t = this.cur;
      if (t.type === "name" && this.peek().type === "punct" && this.peek().value === "=") {
        this.i += 2;
        named.push({ name: t.value, value: this.parseExpression(0) });
      } else {
        if (named.length > 0) {
          throw syntaxError("Positional arguments must be declared before any named arguments.", t.pos);
        }
        positional.push(this.parseExpression(0));
      }
    }
    this.expect("punct", ")");
    return { positional, named };
  }

  private parseList(): Expr {
    const start = this.expect("punct", "[");
    const items: Expr[] = [];
    if (this.is("punct", "]")) {
      this.i++;
      return { k: "list", pos: start.pos, items };
    }
    for (;;) {
      items.push(this.parseExpression(0));
      if (this.is("punct", "]")) break;
      this.expect("punct", ",");
    }
    this.expect("punct", "]");
    return { k: "list", pos: start.pos, items };
  }

  private parseMap(): Expr {
    const start = this.expect("punct", "{");
    const entries: Array<[Expr, Expr]> = [];
    if (this.is("punct", "}")) {
      this.i++;
      return { k: "map", pos: start.pos, entries };
    }
    for (;;) {
      const key = this.parseExpression(0);
      this.expect("punct", ":");
      entries.push([key, this.parseExpression(0)]);
      if (this.is("punct", "}")) break;
      this.expect("punct", ",");
    }
    this.expect("punct", "}");
    return { k: "map", pos: start.pos, entries };
  }
}
