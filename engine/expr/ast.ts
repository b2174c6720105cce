/**
 * Syntax tree of a compiled template. `pos` is the offset of the construct in the template
 * source (the operator for binary expressions), used for error positions.
 */

export interface NamedArg {
  name: string;
  value: Expr;
}

export interface Args {
  positional: Expr[];
  named: NamedArg[];
}

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "~"
  | ".."
  | "=="
  | "!="
  | "<"
  | ">"
  | "<="
  | ">="
  | "contains"
  | "in"
  | "notIn";

export type Expr =
  | { k: "lit"; pos: number; value: unknown }
  | { k: "var"; pos: number; name: string }
  | { k: "attr"; pos: number; obj: Expr; name: string }
  | { k: "index"; pos: number; obj: Expr; key: Expr }
  | { k: "list"; pos: number; items: Expr[] }
  | { k: "map"; pos: number; entries: Array<[Expr, Expr]> }
  | { k: "unary"; pos: number; op: "not" | "-" | "+"; arg: Expr }
  | { k: "binary"; pos: number; op: BinaryOp; left: Expr; right: Expr }
  | { k: "and"; pos: number; left: Expr; right: Expr }
  | { k: "or"; pos: number; left: Expr; right: Expr }
  | { k: "coalesce"; pos: number; undefinedOnly: boolean; left: Expr; right: Expr }
  | { k: "ternary"; pos: number; cond: Expr; then: Expr; otherwise: Expr }
  | { k: "filter"; pos: number; input: Expr; name: string; args: Args }
  | { k: "test"; pos: number; input: Expr; name: string; args: Args; negate: boolean }
  | { k: "call"; pos: number; name: string; args: Args }
  | { k: "concat"; pos: number; parts: Expr[] };

export interface FilterRef {
  pos: number;
  name: string;
  args: Args;
}

export type Node =
  | { k: "text"; text: string }
  | { k: "print"; pos: number; expr: Expr }
  | { k: "if"; pos: number; branches: Array<{ cond: Expr; body: Node[] }>; otherwise: Node[] | undefined }
  | {
      k: "for";
      pos: number;
      keyVar: string | undefined;
      valueVar: string;
      iterable: Expr;
      body: Node[];
      otherwise: Node[] | undefined;
    }
  | { k: "set"; pos: number; name: string; value: Expr }
  | { k: "filterBlock"; pos: number; filters: FilterRef[]; body: Node[] };
