// What the flow editor knows without asking the tenant: the flow language's JSON Schema (the same as
// `cadenza plugins schema`: completion of types, properties, enums, defaults and hover docs), and per
// plugin its generated docs page (`cadenza plugins docs`), its outputs' names and its examples, plus the
// expression language's filters and functions. Both depend only on the build, so they are computed once.
import { z } from "zod";
import { EXPRESSION_FILTERS, EXPRESSION_FUNCTIONS } from "@/engine/expr";
import { flowJsonSchema, pluginMarkdown } from "@/engine/flow";
import type { Plugin } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import { RUNTIME_FUNCTION_NAMES } from "@/worker/expression-functions";

export interface CatalogPlugin {
  type: string;
  /** Every name the plugin answers to (canonical, Kestra's, aliases). */
  names: string[];
  kind: string;
  title: string;
  deprecated?: string;
  /** The generated Markdown page (properties, types, defaults, outputs, examples). */
  markdown: string;
  /** Names of its declared outputs (`outputs.<taskId>.<name>`). */
  outputs: string[];
  examples: { title: string; flow: string }[];
}

export interface EditorCatalog {
  plugins: CatalogPlugin[];
  filters: string[];
  /** Pure functions of the expression language, and those the runtime adds (secret, kv, read...). */
  functions: string[];
}

function outputNames(plugin: Plugin): string[] {
  if (!plugin.outputs) return [];
  try {
    const json = z.toJSONSchema(plugin.outputs, { io: "output", unrepresentable: "any" }) as {
      properties?: Record<string, unknown>;
    };
    return Object.keys(json.properties ?? {});
  } catch {
    return [];
  }
}

let schema: string | undefined;
let catalog: EditorCatalog | undefined;

/**
 * The flow language's JSON Schema, serialised once, with one addition for completion: each of Task,
 * Trigger and Condition also lists every `type` name of its kind at its own level. The schema's `anyOf`
 * alone is not enough for monaco-yaml's language server, which offers the `type` values only of the
 * alternatives the half-typed task already satisfies (a Log task, which requires `message`, is not offered
 * for `- id: x` + `type: io.kestra.plugin.core.l`). Validation is unchanged: the names are the anyOf's own.
 */
export function flowSchemaText(): string {
  if (schema) return schema;
  const registry = builtInRegistry();
  const json = flowJsonSchema(registry) as { $defs?: Record<string, Record<string, unknown>> };
  const kinds: Record<string, string[]> = {
    Task: ["runnable", "flowable"],
    Trigger: ["trigger"],
    Condition: ["condition"],
  };
  for (const [name, pluginKinds] of Object.entries(kinds)) {
    const def = json.$defs?.[name];
    if (!def) continue;
    const names = registry
      .list()
      .filter((p) => pluginKinds.includes(p.kind))
      .flatMap((p) => [...p.names]);
    def.properties = { type: { enum: names, description: `The ${name.toLowerCase()}'s plugin.` } };
  }
  schema = JSON.stringify(json);
  return schema;
}

export function editorCatalog(): EditorCatalog {
  catalog ??= {
    plugins: builtInRegistry()
      .list()
      .map((plugin) => ({
        type: plugin.type,
        names: [...plugin.names],
        kind: plugin.kind,
        title: plugin.title,
        ...(plugin.deprecated ? { deprecated: plugin.deprecated } : {}),
        markdown: pluginMarkdown(plugin),
        outputs: outputNames(plugin),
        examples: (plugin.examples ?? []).map((e) => ({ title: e.title, flow: e.flow })),
      })),
    filters: [...EXPRESSION_FILTERS].sort(),
    // The I/O-backed functions a run adds, as worker/expression-functions.ts declares them.
    functions: [...new Set([...EXPRESSION_FUNCTIONS, ...RUNTIME_FUNCTION_NAMES])].sort(),
  };
  return catalog;
}
