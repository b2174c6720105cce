import { splitRows } from "@/plugins/core/storage";
import { parseSize } from "@/plugins/core/storage/files";

/**
 * Splits a file's content into the batches ForEachItem asks for, with the Split task's own rules (Kestra's
 * StorageService.split): rows read line by line, `rows` per batch, parts of at least `bytes`, or rows dealt
 * round-robin into `partitions`.
 */
export function splitContent(
  content: string,
  options: { rows?: number; bytes?: string; partitions?: number; separator: string },
): string[] {
  const separator = options.separator || "\n";
  if (options.partitions)
    return splitRows(content, { kind: "partitions", count: options.partitions }, separator);
  if (options.bytes) return splitRows(content, { kind: "bytes", limit: parseSize(options.bytes) }, separator);
  return splitRows(content, { kind: "rows", count: options.rows ?? 1 }, separator);
}
