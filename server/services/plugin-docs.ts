// The plugin documentation the console browses (/plugins): the same pages `cadenza plugins docs` writes,
// generated from each plugin's one zod schema (engine/flow/docs.ts). Plugins are grouped by package, as
// Kestra groups them (`core.flow`, `core.log`, `scripts.python`, ...). Nothing here is tenant data.
import { pluginMarkdown } from "@/engine/flow";
import type { PluginKind, PluginRegistry } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";

export interface PluginSummary {
  type: string;
  /** The package: the type without its last part. */
  group: string;
  name: string;
  title: string;
  kind: PluginKind;
  /** Every name a flow may use for it (the canonical type, Kestra's io.kestra... names). */
  names: string[];
  deprecated: boolean;
}

let registry: PluginRegistry | undefined;
const plugins = () => {
  registry ??= builtInRegistry();
  return registry;
};

export function listPluginDocs(): PluginSummary[] {
  return plugins()
    .list()
    .map((p) => {
      const cut = p.type.lastIndexOf(".");
      return {
        type: p.type,
        group: cut > 0 ? p.type.slice(0, cut) : p.type,
        name: cut > 0 ? p.type.slice(cut + 1) : p.type,
        title: p.title,
        kind: p.kind,
        names: [...p.names],
        deprecated: Boolean(p.deprecated),
      };
    })
    .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
}

/** One plugin's page in Markdown, by its type or any of its other names; undefined when unknown. */
export function pluginDoc(type: string): { type: string; title: string; markdown: string } | undefined {
  const plugin = plugins().get(type);
  if (!plugin) return undefined;
  return { type: plugin.type, title: plugin.title, markdown: pluginMarkdown(plugin) };
}
