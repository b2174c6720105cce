import type { KvStore } from "@/engine/plugin";

interface Entry {
  value: unknown;
  expiresAt?: number;
}

/** A KV store in memory with TTL expiry against an injected clock (tests, the memory engine). */
export class MemoryKvStore implements KvStore {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  private key(namespace: string, key: string) {
    return `${namespace}\u0000${key}`;
  }

  private live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  async get(namespace: string, key: string) {
    const entry = this.live(this.key(namespace, key));
    if (!entry) return undefined;
    return {
      value: entry.value,
      ...(entry.expiresAt !== undefined ? { expiresAt: new Date(entry.expiresAt).toISOString() } : {}),
    };
  }

  async set(
    namespace: string,
    key: string,
    value: unknown,
    options: { ttlMs?: number; overwrite?: boolean } = {},
  ) {
    const id = this.key(namespace, key);
    if (options.overwrite === false && this.live(id))
      throw new Error(`key '${key}' already exists in namespace ${namespace}`);
    this.#entries.set(id, {
      value,
      ...(options.ttlMs !== undefined ? { expiresAt: this.now() + options.ttlMs } : {}),
    });
  }

  async delete(namespace: string, key: string) {
    const id = this.key(namespace, key);
    const existed = this.live(id) !== undefined;
    this.#entries.delete(id);
    return existed;
  }

  async list(namespace: string, prefix = "") {
    const keys: string[] = [];
    for (const id of [...this.#entries.keys()]) {
      const [ns, key] = id.split("\u0000") as [string, string];
      if (ns === namespace && key.startsWith(prefix) && this.live(id)) keys.push(key);
    }
    return keys.sort();
  }
}
