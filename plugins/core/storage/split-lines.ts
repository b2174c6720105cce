import type { UserRegex } from "@/engine/expr";
import { lines } from "./files";

export type SplitRule =
  | { kind: "regex"; pattern: UserRegex }
  | { kind: "bytes"; limit: number }
  | { kind: "partitions"; count: number }
  | { kind: "rows"; count: number };

const encoder = new TextEncoder();

/**
 * Splits a text into parts the way Kestra's StorageService.split does. Rows are read line by line (any of
 * `\n`, `\r\n`, `\r` ends a row) and each row is written followed by `separator`:
 * - rows: a new part every `count` rows;
 * - bytes: a new part once the current one holds at least `limit` bytes (so a part may exceed it by one row);
 * - partitions: rows dealt round-robin into `count` parts, empty parts dropped;
 * - regex: rows grouped by the first capture group of the pattern, in order of first appearance; rows
 *   that do not match are dropped.
 */
export function splitRows(text: string, rule: SplitRule, separator: string): string[] {
  const rows = lines(text);
  switch (rule.kind) {
    case "rows":
    case "bytes": {
      const parts: string[] = [];
      let current: string[] = [];
      let bytes = 0;
      for (const row of rows) {
        const full = rule.kind === "rows" ? current.length >= rule.count : bytes >= rule.limit;
        if (current.length > 0 && full) {
          parts.push(current.join(""));
          current = [];
          bytes = 0;
        }
        const chunk = row + separator;
        current.push(chunk);
        bytes += encoder.encode(chunk).byteLength;
      }
      if (current.length > 0) parts.push(current.join(""));
      return parts;
    }
    case "partitions": {
      const parts: string[][] = Array.from({ length: rule.count }, () => []);
      rows.forEach((row, index) => {
        parts[index % rule.count]?.push(row + separator);
      });
      return parts.filter((part) => part.length > 0).map((part) => part.join(""));
    }
    case "regex": {
      const groups = new Map<string, string[]>();
      for (const row of rows) {
        const key = rule.pattern.first(row)?.group(1);
        if (key === undefined) continue;
        const group = groups.get(key) ?? [];
        group.push(row + separator);
        groups.set(key, group);
      }
      return [...groups.values()].map((group) => group.join(""));
    }
  }
}
