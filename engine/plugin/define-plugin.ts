import type { z } from "zod";
import type { Plugin, PluginDefinition } from "./types";

/** Kestra's name for a Cadenza canonical type: `core.log.Log` -> `io.kestra.plugin.core.log.Log`. */
export function kestraName(type: string): string | undefined {
  return /^(core|scripts|notifications|serdes|git|jdbc|aws|openai|ai|dbt|ansible|terraform)\./.test(type)
    ? `io.kestra.plugin.${type}`
    : undefined;
}

/**
 * Declares a plugin. The one zod schema yields validation (with YAML positions), the editor's JSON Schema
 * and the docs; built-in plugins use this exactly as third-party ones would.
 */
export function definePlugin<S extends z.ZodObject>(definition: PluginDefinition<S>): Plugin<S> {
  if (definition.kind === "runnable" && !definition.run) {
    throw new Error(`plugin ${definition.type}: a runnable plugin needs run()`);
  }
  const names = [definition.type, kestraName(definition.type), ...(definition.aliases ?? [])].filter(
    (name): name is string => Boolean(name),
  );
  return Object.freeze({ ...definition, names: Object.freeze([...new Set(names)]) });
}
