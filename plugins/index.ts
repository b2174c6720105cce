import { PluginRegistry } from "@/engine/plugin";
import type { Plugin } from "@/engine/plugin";
import { conditionPlugins } from "./core/condition";
import { debugPlugins } from "./core/debug";
import { executionPlugins } from "./core/execution";
import { flowPlugins } from "./core/flow";
import { logPlugins } from "./core/log";
import { outputPlugins } from "./core/output";
import { triggerPlugins } from "./core/trigger";

/** Every built-in plugin. A new plugin is a folder under plugins/ plus one line here. */
export const builtInPlugins: readonly Plugin[] = [
  ...flowPlugins,
  ...logPlugins,
  ...debugPlugins,
  ...outputPlugins,
  ...executionPlugins,
  ...triggerPlugins,
  ...conditionPlugins,
] as Plugin[];

let shared: PluginRegistry | undefined;

/** The registry of built-in plugins, built once. */
export function builtInRegistry(): PluginRegistry {
  shared ??= new PluginRegistry(builtInPlugins);
  return shared;
}
