import type { Plugin } from "../plugin/types";
import type { PluginDefault } from "./flow-schema";

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Maps merge key by key; anything else (lists, scalars) is replaced by the override. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}

function applies(entry: PluginDefault, plugin: Plugin | undefined, writtenType: string): boolean {
  if (writtenType.startsWith(entry.type)) return true;
  return plugin?.names.some((name) => name.startsWith(entry.type)) ?? false;
}

/**
 * Applies plugin defaults to a raw task/trigger map. A default applies when its `type` is a prefix of any
 * name of the plugin (so `io.kestra.plugin.core.log` covers every log task, whatever alias the task uses).
 * The task's own values win over defaults, except over `forced` ones. Among defaults, the more specific
 * type wins, and the flow's own defaults win over those given from outside (namespace, tenant).
 */
export function applyPluginDefaults(
  raw: Record<string, unknown>,
  plugin: Plugin | undefined,
  flowDefaults: readonly PluginDefault[],
  externalDefaults: readonly PluginDefault[] = [],
): Record<string, unknown> {
  const writtenType = String(raw.type ?? "");
  const matching = [
    ...externalDefaults.map((entry) => ({ entry, rank: 0 })),
    ...flowDefaults.map((entry) => ({ entry, rank: 1 })),
  ].filter(({ entry }) => applies(entry, plugin, writtenType));
  if (matching.length === 0) return raw;
  matching.sort((a, b) => a.entry.type.length - b.entry.type.length || a.rank - b.rank);
  let soft: unknown = {};
  let forced: unknown = {};
  for (const { entry } of matching) {
    if (entry.forced) forced = deepMerge(forced, entry.values);
    else soft = deepMerge(soft, entry.values);
  }
  return deepMerge(deepMerge(soft, raw), forced) as Record<string, unknown>;
}
