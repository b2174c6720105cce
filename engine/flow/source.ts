import jsYaml from "js-yaml";
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  visit,
} from "yaml";
import type { FlowError, PathSegment } from "./errors";
import { formatPath } from "./errors";

/**
 * Positions come from the `yaml` package's document model, which is precise but about ten times slower
 * than js-yaml. Values are read with js-yaml (YAML 1.2 core schema, as `yaml` reads them) and the `yaml`
 * documents are built only when a position is asked for, i.e. when there is an error or a warning to report.
 */
class PositionIndex {
  #documents?: Document.Parsed[];
  readonly lines = new LineCounter();

  constructor(readonly text: string) {}

  get documents(): Document.Parsed[] {
    this.#documents ??= parseAllDocuments(this.text, {
      lineCounter: this.lines,
      prettyErrors: false,
      uniqueKeys: true,
    }) as Document.Parsed[];
    return this.#documents;
  }
}

/**
 * One YAML document with the positions of its nodes, so that any error found on the parsed value can be
 * reported at the line and column where the user wrote it.
 */
export class FlowSource {
  constructor(
    private readonly index: PositionIndex,
    private readonly documentIndex: number,
  ) {}

  get text(): string {
    return this.index.text;
  }

  /** This document's own text: the whole text for a single document, its slice of a multi-document file. */
  get documentText(): string {
    const documents = this.index.documents;
    if (documents.length <= 1) return this.index.text;
    const range = (this.document as { range?: [number, number, number] }).range;
    return range ? this.index.text.slice(range[0], range[2]).replace(/^---[^\n]*\n/, "") : this.index.text;
  }

  get document(): Document.Parsed {
    const document = this.index.documents[this.documentIndex] ?? this.index.documents[0];
    if (!document) return parseAllDocuments("{}")[0] as Document.Parsed;
    return document;
  }

  /** Line/column of the node at `path`; when the node does not exist, of its nearest existing ancestor. */
  position(path: readonly PathSegment[], options: { key?: boolean } = {}): { line: number; column: number } {
    let offset = this.offsetOf(path, options.key ?? false);
    for (let length = path.length - 1; offset === undefined && length >= 0; length--) {
      offset = this.offsetOf(path.slice(0, length), false);
    }
    const { line, col } = this.index.lines.linePos(offset ?? 0);
    return { line, column: col };
  }

  /** Line/column of a character offset in the text. */
  positionAt(offset: number): { line: number; column: number } {
    void this.index.documents; // the line counter is filled while the documents are parsed
    const { line, col } = this.index.lines.linePos(offset);
    return { line, column: col };
  }

  error(path: readonly PathSegment[], message: string, options: { key?: boolean } = {}): FlowError {
    return { path: formatPath(path), ...this.position(path, options), message };
  }

  /** True when the document literally contains a node at `path` (as opposed to a default value). */
  has(path: readonly PathSegment[]): boolean {
    return this.document.getIn(path as PathSegment[], true) !== undefined;
  }

  private offsetOf(path: readonly PathSegment[], key: boolean): number | undefined {
    const document = this.document;
    if (path.length === 0) return (document.contents as Node | null)?.range?.[0];
    if (key) {
      const parent = document.getIn(path.slice(0, -1) as PathSegment[], true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        for (const item of parent.items) {
          if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last)) {
            return item.key.range?.[0];
          }
        }
      }
    }
    const node = document.getIn(path as PathSegment[], true) as Node | undefined;
    if (node && (isScalar(node) || isMap(node) || isSeq(node))) return node.range?.[0];
    return undefined;
  }
}

export interface ParsedDocument {
  source: FlowSource;
  value: unknown;
  errors: FlowError[];
}

/** Parses YAML text (one or several `---` separated documents), keeping the means to locate any node. */
export function parseYamlDocuments(text: string): ParsedDocument[] {
  const index = new PositionIndex(text);
  const tooDeep = deepNesting(text);
  if (tooDeep !== undefined) {
    // Refused before parsing: both YAML parsers recurse, and take seconds to overflow the stack on it.
    const { line, col } = linePosition(text, tooDeep);
    const source = new FlowSource(new PositionIndex("{}"), 0);
    const message = `the YAML is nested more than ${MAX_YAML_DEPTH} levels deep: refused`;
    return [{ source, value: undefined, errors: [{ path: "", line, column: col, message }] }];
  }
  let values: unknown[] | undefined;
  try {
    values = jsYaml.loadAll(text, undefined, { schema: jsYaml.CORE_SCHEMA });
  } catch {
    // Invalid YAML: the `yaml` package gives the errors with their positions.
    values = undefined;
  }
  if (values)
    return values.map((value, i) => {
      const source = new FlowSource(index, i);
      // js-yaml shares aliased nodes; whatever walks the value later (validation, JSON, storage) does not.
      if (!aliasesExplode(value)) return { source, value, errors: [] };
      return { source, value: undefined, errors: [aliasError(source)] };
    });
  return index.documents.map((document, i) => {
    const errors: FlowError[] = document.errors.map((error) => {
      const { line, col } = index.lines.linePos(error.pos[0]);
      return { path: "", line, column: col, message: yamlMessage(error.message) };
    });
    let value: unknown;
    if (errors.length === 0) {
      try {
        value = document.toJS({ maxAliasCount: 1000 });
        if (aliasesExplode(value)) {
          value = undefined;
          errors.push(aliasError(new FlowSource(index, i)));
        }
      } catch (error) {
        errors.push({ path: "", line: 1, column: 1, message: (error as Error).message });
      }
    }
    return { source: new FlowSource(index, i), value, errors };
  });
}

/** The yaml package appends a code excerpt after the first line; the position is reported separately. */
function yamlMessage(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}

/**
 * How many nodes YAML aliases may add to a document beyond those written in it. A "billion laughs" document
 * (anchors of anchors, nine levels deep) is a few hundred bytes that expand to a billion nodes: it is refused
 * here, in milliseconds, instead of exhausting memory wherever the value is next walked. Legitimate anchors
 * (shared task defaults, repeated values) add far fewer. A constant: engine/ reads no settings.
 */
export const MAX_ALIAS_NODES = 100_000;

/**
 * True when the value, with every shared (aliased) node counted as often as it is referenced, holds more
 * than MAX_ALIAS_NODES nodes beyond its distinct ones, or refers to itself. Iterative and memoised: it
 * visits each distinct node once, so it costs no more than the document itself.
 */
function aliasesExplode(root: unknown): boolean {
  const sizes = new Map<object, number>();
  const visiting = new Set<object>();
  let distinct = 0;
  const children = (node: object): unknown[] => (Array.isArray(node) ? node : Object.values(node));
  const stack: { node: object; expanded: boolean }[] = [];
  const push = (value: unknown) => {
    if (value !== null && typeof value === "object" && !sizes.has(value)) {
      if (visiting.has(value)) throw CYCLE;
      stack.push({ node: value, expanded: false });
    }
  };
  try {
    push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: object; expanded: boolean };
      if (sizes.has(top.node)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        visiting.add(top.node);
        distinct++;
        for (const child of children(top.node)) push(child);
        continue;
      }
      stack.pop();
      visiting.delete(top.node);
      let size = 1;
      for (const child of children(top.node)) {
        size += child !== null && typeof child === "object" ? (sizes.get(child) ?? 0) : 1;
      }
      sizes.set(top.node, size);
      if (size - distinct > MAX_ALIAS_NODES) return true;
    }
  } catch (error) {
    if (error === CYCLE) return true;
    throw error;
  }
  return false;
}

const CYCLE = new Error("cycle");

/** The error for an exploding document, at its first alias. */
function aliasError(source: FlowSource): FlowError {
  let offset = 0;
  visit(source.document, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const { line, column } = source.positionAt(offset);
  return {
    path: "",
    line,
    column,
    message: `YAML aliases expand this document by more than ${MAX_ALIAS_NODES} nodes (or refer to themselves): refused`,
  };
}

/** The deepest nesting of collections accepted in a flow's YAML (deeper than any flow needs). */
export const MAX_YAML_DEPTH = 256;

/**
 * The offset where the text nests collections deeper than MAX_YAML_DEPTH, or undefined. A conservative
 * scan, not a parser: it counts open flow collections (`[`, `{`) outside quoted scalars and comments,
 * plus compact block sequences (`- - - x`) on a line. Block nesting by indentation needs a line per level,
 * so it cannot reach the depth that overflows a parser within a request's size limit.
 */
function deepNesting(text: string): number | undefined {
  let depth = 0;
  let lineStart = true;
  let dashes = 0;
  let previous = "\n";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\n") {
      lineStart = true;
      dashes = 0;
      previous = c;
      continue;
    }
    const boundary = previous === " " || previous === "\t" || previous === "\n" || "[{,:".includes(previous);
    if (c === "#" && boundary) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    if ((c === '"' || c === "'") && boundary) {
      // Skip the quoted scalar ('' escapes a quote in single quotes, \ escapes in double quotes).
      for (i++; i < text.length; i++) {
        const d = text[i];
        if (c === '"' && d === "\\") i++;
        else if (d === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
      previous = c;
      lineStart = false;
      continue;
    }
    if (lineStart && c === "-" && (text[i + 1] === " " || text[i + 1] === "\t")) {
      dashes++;
      if (depth + dashes > MAX_YAML_DEPTH) return i;
    } else if (c === "[" || c === "{") {
      depth++;
      if (depth + dashes > MAX_YAML_DEPTH) return i;
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
    if (c !== " " && c !== "\t" && c !== "-") lineStart = false;
    previous = c;
  }
  return undefined;
}

/** Line and column of an offset, without parsing. */
function linePosition(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
