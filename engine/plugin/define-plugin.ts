import type { z } from "zod";
import type { Plugin, PluginDefinition, ServiceName } from "./types";

/** Kestra's name for a Cadenza canonical type: `core.log.Log` -> `io.kestra.plugin.core.log.Log`. */
export function kestraName(type: string): string | undefined {
  return /^(core|scripts|notifications|serdes|git|jdbc|aws|openai|ai|dbt|ansible|terraform)\./.test(type)
    ? `io.kestra.plugin.${type}`
    : undefined;
}

/** What each kind must carry to do anything: the function (or handler) named, checked at run time too. */
const REQUIRED: Partial<Record<PluginDefinition["kind"], string>> = {
  runnable: "run",
  flowable: "handler",
};

/**
 * Refuses a definition the types would refuse, for plugins built without them (plain JavaScript, a spread
 * that lost a key, a `kind` computed at run time): an unknown kind, a runnable without `run()`, a flowable
 * without its `handler` (the executor would have nothing to interpret it with).
 */
export function checkDefinition(
  definition: { kind?: unknown; type?: unknown } & Record<string, unknown>,
): void {
  const name = typeof definition.type === "string" && definition.type ? definition.type : "(no type)";
  const kind = definition.kind as PluginDefinition["kind"];
  if (!["runnable", "flowable", "trigger", "condition"].includes(kind)) {
    throw new Error(
      `plugin ${name}: unknown kind ${JSON.stringify(definition.kind)}; expected runnable, flowable, trigger or condition`,
    );
  }
  const required = REQUIRED[kind];
  if (!required) return;
  const value = definition[required];
  const present =
    required === "run" ? typeof value === "function" : typeof value === "object" && value !== null;
  if (!present) {
    throw new Error(
      required === "run"
        ? `plugin ${name}: a runnable plugin needs run()`
        : `plugin ${name}: a flowable plugin needs a handler (its executor semantics: resolve(), and start()/onTimer()... as it needs)`,
    );
  }
  if (kind === "flowable" && typeof (value as { resolve?: unknown }).resolve !== "function") {
    throw new Error(`plugin ${name}: a flowable plugin's handler needs resolve()`);
  }
}

/**
 * Declares a plugin. The one zod schema yields validation (with YAML positions), the editor's JSON Schema
 * and the docs; built-in plugins use this exactly as third-party ones would. The definition is a union on
 * `kind` (see `PluginDefinition`): a flowable carries its executor `handler`, a runnable its `run()`.
 */
export function definePlugin<S extends z.ZodObject, K extends ServiceName = never>(
  definition: PluginDefinition<S, K>,
): Plugin<S> {
  checkDefinition(definition as unknown as Record<string, unknown>);
  const names = [definition.type, kestraName(definition.type), ...(definition.aliases ?? [])].filter(
    (name): name is string => Boolean(name),
  );
  return Object.freeze({ ...definition, names: Object.freeze([...new Set(names)]) });
}
