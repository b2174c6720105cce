import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import type { FlowError, PathSegment } from "./errors";
import { formatPath } from "./errors";

/**
 * One YAML document with the positions of its nodes, so that any error found on the parsed value can be
 * reported at the line and column where the user wrote it.
 */
export class FlowSource {
  constructor(
    readonly text: string,
    readonly document: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Line/column of the node at `path`; when the node does not exist, of its nearest existing ancestor. */
  position(path: readonly PathSegment[], options: { key?: boolean } = {}): { line: number; column: number } {
    let offset = this.offsetOf(path, options.key ?? false);
    for (let length = path.length - 1; offset === undefined && length >= 0; length--) {
      offset = this.offsetOf(path.slice(0, length), false);
    }
    const { line, col } = this.lines.linePos(offset ?? 0);
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
    if (path.length === 0) return (this.document.contents as Node | null)?.range?.[0];
    if (key) {
      const parent = this.document.getIn(path.slice(0, -1) as PathSegment[], true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        for (const item of parent.items) {
          if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last)) {
            return item.key.range?.[0];
          }
        }
      }
    }
    const node = this.document.getIn(path as PathSegment[], true) as Node | undefined;
    if (node && (isScalar(node) || isMap(node) || isSeq(node))) return node.range?.[0];
    return undefined;
  }
}

export interface ParsedDocument {
  source: FlowSource;
  value: unknown;
  errors: FlowError[];
}

/** Parses YAML text (one or several `---` separated documents) keeping positions. */
export function parseYamlDocuments(text: string): ParsedDocument[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  return list.map((document) => {
    const source = new FlowSource(text, document as Document.Parsed, lines);
    const errors: FlowError[] = document.errors.map((error) => {
      const { line, col } = lines.linePos(error.pos[0]);
      return { path: "", line, column: col, message: yamlMessage(error.message) };
    });
    let value: unknown;
    if (errors.length === 0) {
      try {
        value = document.toJS({ maxAliasCount: 1000 });
      } catch (error) {
        errors.push({ path: "", line: 1, column: 1, message: (error as Error).message });
      }
    }
    return { source, value, errors };
  });
}

/** The yaml package appends a code excerpt after the first line; the position is reported separately. */
function yamlMessage(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}
