import { parseIonValue } from "@/engine/expr";
import type { FileStorage } from "@/engine/plugin";
import { lines, readText } from "./files";

export interface Item {
  /** The line as written in the file; kept byte for byte in the output. */
  line: string;
  /** 1-based line number, for messages. */
  number: number;
  value: unknown;
}

/** Reads an ION or JSON-lines file: one value per line; blank lines are skipped. */
export async function readItems(storage: FileStorage, uri: string): Promise<Item[]> {
  const text = await readText(storage, uri);
  const items: Item[] = [];
  lines(text).forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = parseIonValue(line);
    } catch (error) {
      throw new Error(`line ${index + 1} of ${uri} is not an ION or JSON value: ${(error as Error).message}`);
    }
    items.push({ line, number: index + 1, value });
  });
  return items;
}

/**
 * The variables an item expression sees, on top of the task run's: the fields of the item when it is a map
 * (as in Kestra, `{{ customer_email }}`), and `value`, the whole item (for items that are not maps, or to
 * reach the item as a whole). A field named `value` wins over the whole item.
 */
export function itemVariables(value: unknown): Record<string, unknown> {
  const vars: Record<string, unknown> = { value };
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, field] of Object.entries(value)) {
      Object.defineProperty(vars, key, {
        value: field,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return vars;
}

/** The text of the output file: each kept line followed by a newline. */
export function joinLines(items: readonly Item[]): string {
  return items.map((item) => `${item.line}\n`).join("");
}
