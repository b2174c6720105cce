import { closest } from "../util/closest";
import { checkDefinition } from "./define-plugin";
import type { Plugin, PluginKind } from "./types";

/** Every plugin Cadenza knows, by every name it answers to. Built once at start-up; read-only after. */
export class PluginRegistry {
  readonly #byName = new Map<string, Plugin>();
  readonly #plugins: Plugin[] = [];

  constructor(plugins: Iterable<Plugin> = []) {
    for (const plugin of plugins) this.register(plugin);
  }

  /** Adds a plugin; refuses one its kind cannot work without (a flowable without a handler...). */
  register(plugin: Plugin): this {
    checkDefinition(plugin as unknown as Record<string, unknown>);
    for (const name of plugin.names) {
      const existing = this.#byName.get(name);
      if (existing && existing !== plugin) {
        throw new Error(`plugin name '${name}' is claimed by both ${existing.type} and ${plugin.type}`);
      }
    }
    for (const name of plugin.names) this.#byName.set(name, plugin);
    this.#plugins.push(plugin);
    return this;
  }

  /** The plugin for a type name (canonical, Kestra or alias), or undefined. */
  get(type: string): Plugin | undefined {
    return this.#byName.get(type);
  }

  /** Every registered plugin, optionally of one kind, in registration order. */
  list(kind?: PluginKind): Plugin[] {
    return kind ? this.#plugins.filter((p) => p.kind === kind) : [...this.#plugins];
  }

  /**
   * The known names closest to an unknown one, for "did you mean" messages: one name per plugin (the
   * spelling closest to what was written, so Kestra-style input gets Kestra-style suggestions).
   */
  suggest(type: string, kinds?: PluginKind[]): string[] {
    const names: string[] = [];
    for (const plugin of this.#plugins) {
      if (!kinds || kinds.includes(plugin.kind)) names.push(...plugin.names);
    }
    const seen = new Set<Plugin>();
    const out: string[] = [];
    for (const name of closest(type, names, 12)) {
      const plugin = this.#byName.get(name);
      if (!plugin || seen.has(plugin)) continue;
      seen.add(plugin);
      out.push(name);
    }
    return out.slice(0, 3);
  }
}
