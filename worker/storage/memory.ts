import type { FileStorage } from "@/engine/plugin";

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
