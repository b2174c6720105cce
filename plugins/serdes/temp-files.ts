// Parquet, Excel and DuckDB/SQLite need a real file (Parquet's footer is read first; xlsx is a zip): the
// stored file is copied to a private temporary directory chunk by chunk, and a result written there is
// streamed back to the storage. Nothing is held whole in memory; the directory goes when the work ends.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FileStorage } from "@/engine/plugin";
import { readChunks } from "./stream";

/** Runs `work` with a fresh private directory (mode 0700), removed afterwards whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "cadenza-serdes-"));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies a stored file to `path`, streaming. */
export async function download(storage: FileStorage, uri: string, path: string): Promise<void> {
  await pipeline(Readable.from(readChunks(storage, uri)), createWriteStream(path, { mode: 0o600 }));
}

/** Stores the file at `path` as `uri`, streaming when the backend can. */
export async function upload(storage: FileStorage, path: string, uri: string): Promise<string> {
  const chunks = createReadStream(path) as AsyncIterable<Uint8Array>;
  if (storage.write) return storage.write(uri, chunks);
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return storage.put(uri, Buffer.concat(parts));
}
