import { z } from "zod";
import type { PluginRegistry } from "../plugin/registry";
import type { Plugin, PluginKind } from "../plugin/types";
import { flowSchema } from "./flow-schema";
import { fullSchemaOf } from "./load";

type JsonSchema = Record<string, unknown>;

/** The $defs every plugin schema may point at; they are defined once at the root. */
const SHARED_DEFS = new Set(["Task", "Condition", "Trigger"]);

function toJson(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Moves a schema's own $defs to the root document, keeping the shared ones defined only once. */
function hoist(json: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  const own = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  for (const [name, def] of Object.entries(own)) if (!SHARED_DEFS.has(name)) defs[name] = def;
  return json;
}

function pluginDefName(plugin: Plugin): string {
  return `plugin:${plugin.type}`;
}

function pluginSchema(plugin: Plugin, defs: Record<string, JsonSchema>): JsonSchema {
  const json = hoist(toJson(fullSchemaOf(plugin)), defs);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  properties.type = { enum: [...plugin.names], description: plugin.title };
  const docs = [
    plugin.title,
    plugin.description,
    plugin.deprecated ? `**Deprecated**: ${plugin.deprecated}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
  return {
    ...json,
    title: plugin.type,
    description: docs,
    markdownDescription: docs,
    ...(plugin.deprecated ? { deprecated: true } : {}),
    ...(plugin.examples?.length ? { examples: plugin.examples.map((e) => e.flow) } : {}),
  };
}

function anyOfKind(registry: PluginRegistry, kinds: PluginKind[], description: string): JsonSchema {
  const plugins = registry.list().filter((p) => kinds.includes(p.kind));
  return { description, anyOf: plugins.map((p) => ({ $ref: `#/$defs/${pluginDefName(p)}` })) };
}

/**
 * The JSON Schema of the whole flow language, from the zod schemas: the editor's completion, hover docs and
 * validation use it (monaco-yaml), and `cadenza plugins schema` prints it.
 */
export function flowJsonSchema(registry: PluginRegistry): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const plugin of registry.list()) defs[pluginDefName(plugin)] = pluginSchema(plugin, defs);
  defs.Task = anyOfKind(
    registry,
    ["runnable", "flowable"],
    "A task: `id`, `type` and the properties of that type.",
  );
  defs.Trigger = anyOfKind(registry, ["trigger"], "A trigger: `id`, `type` and the properties of that type.");
  defs.Condition = anyOfKind(registry, ["condition"], "A condition: `type` and the properties of that type.");
  const root = hoist(toJson(flowSchema), defs);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://cadenza.dev/schemas/flow.json",
    title: "Cadenza flow",
    ...root,
    $defs: defs,
  };
}
