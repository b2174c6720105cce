/** Splits a file's content into batches the way ForEachItem asks: by rows, by size or into N partitions. */
export function splitContent(
  content: string,
  options: { rows?: number; bytes?: string; partitions?: number; separator: string },
): string[] {
  const separator = options.separator || "\n";
  const rows = content.split(separator);
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  if (options.partitions) {
    const size = Math.ceil(rows.length / options.partitions);
    return chunk(rows, Math.max(1, size)).map((part) => part.join(separator) + separator);
  }
  if (options.bytes) {
    const limit = parseSize(options.bytes);
    const batches: string[] = [];
    let current = "";
    for (const row of rows) {
      const line = row + separator;
      if (current && Buffer.byteLength(current + line) > limit) {
        batches.push(current);
        current = "";
      }
      current += line;
    }
    if (current) batches.push(current);
    return batches;
  }
  return chunk(rows, options.rows ?? 1).map((part) => part.join(separator) + separator);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `10MB`, `512KB`, `1GB` or a plain number of bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$/i.exec(text);
  if (!m) throw new Error(`'${text}' is not a size (e.g. 10MB)`);
  const unit = (m[2] ?? "B").toUpperCase();
  return Math.floor(Number(m[1]) * ({ B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[unit] ?? 1));
}
