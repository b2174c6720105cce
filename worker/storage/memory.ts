import type { FileStorage } from "@/engine/plugin";

const CHUNK = 64 * 1024;

/** Internal storage held in memory: for the memory engine and tests. */
export class MemoryStorage implements FileStorage {
  readonly #files = new Map<string, Uint8Array>();
  readonly #written = new Map<string, Date>();

  async put(uri: string, data: Uint8Array | string): Promise<string> {
    this.#files.set(uri, typeof data === "string" ? new TextEncoder().encode(data) : data);
    this.#written.set(uri, new Date());
    return uri;
  }

  async modified(uri: string): Promise<Date | undefined> {
    return this.#files.has(uri) ? this.#written.get(uri) : undefined;
  }

  async get(uri: string): Promise<Uint8Array> {
    const data = this.#files.get(uri);
    if (!data) throw new Error(`file not found in internal storage: ${uri}`);
    return data;
  }

  /** In chunks, as a streaming backend would hand them (readers must not assume one chunk per file). */
  async *read(uri: string): AsyncIterable<Uint8Array> {
    const data = await this.get(uri);
    for (let at = 0; at < data.byteLength; at += CHUNK) yield data.subarray(at, at + CHUNK);
  }

  async write(uri: string, chunks: AsyncIterable<Uint8Array>): Promise<string> {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    const data = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.byteLength;
    }
    return this.put(uri, data);
  }

  async exists(uri: string): Promise<boolean> {
    return this.#files.has(uri);
  }

  async size(uri: string): Promise<number> {
    return (await this.get(uri)).byteLength;
  }

  async delete(uri: string): Promise<boolean> {
    this.#written.delete(uri);
    return this.#files.delete(uri);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.#files.keys()].filter((uri) => uri.startsWith(prefix)).sort();
  }
}
