import type { Plugin } from "@/engine/plugin";
import { PluginRegistry } from "@/engine/plugin";
import { aiPlugins } from "./ai";
import { awsPlugins } from "./aws";
import { cliPlugins } from "./cli";
import { conditionPlugins } from "./core/condition";
import { debugPlugins } from "./core/debug";
import { executionPlugins } from "./core/execution";
import { flowPlugins } from "./core/flow";
import { httpPlugins } from "./core/http";
import { kvPlugins } from "./core/kv";
import { logPlugins } from "./core/log";
import { namespacePlugins } from "./core/namespace";
import { outputPlugins } from "./core/output";
import { statePlugins } from "./core/state";
import { storagePlugins } from "./core/storage";
import { templatingPlugins } from "./core/templating";
import { triggerPlugins } from "./core/trigger";
import { gitPlugins } from "./git";
import { jdbcPlugins } from "./jdbc";
import { notificationPlugins } from "./notifications";
import { scriptPlugins } from "./scripts";
import { serdesPlugins } from "./serdes";

/** Every built-in plugin. A new plugin is a folder under plugins/ plus one line here. */
export const builtInPlugins: readonly Plugin[] = [
  ...flowPlugins,
  ...logPlugins,
  ...debugPlugins,
  ...outputPlugins,
  ...executionPlugins,
  ...triggerPlugins,
  ...conditionPlugins,
  ...kvPlugins,
  ...storagePlugins,
  ...namespacePlugins,
  ...httpPlugins,
  ...statePlugins,
  ...templatingPlugins,
  ...scriptPlugins,
  ...notificationPlugins,
  ...serdesPlugins,
  ...gitPlugins,
  ...jdbcPlugins,
  ...awsPlugins,
  ...aiPlugins,
  ...cliPlugins,
];

let shared: PluginRegistry | undefined;

/** The registry of built-in plugins, built once. */
export function builtInRegistry(): PluginRegistry {
  shared ??= new PluginRegistry(builtInPlugins);
  return shared;
}
