import { z } from "zod";
import { isDynamic, slotKind, unwrap } from "../plugin/schema";
import type { Plugin } from "../plugin/types";
import { commonConditionShape, commonTaskShape, commonTriggerShape } from "./common";

type Json = Record<string, unknown>;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** A readable type for a JSON Schema node: `string`, `list of tasks`, `"A" \| "B"`, `integer (or expression)`. */
function typeOf(node: Json | undefined): string {
  if (!node) return "any";
  if (typeof node.$ref === "string") {
    const name = node.$ref.split("/").pop() ?? "";
    return name === "Task" ? "task" : name === "Condition" ? "condition" : name;
  }
  if (Array.isArray(node.enum)) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in node) return JSON.stringify(node.const);
  if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) {
    const options = (node.anyOf ?? node.oneOf) as Json[];
    // dyn() adds a numeric-text branch and an expression branch (strings with a pattern) to typed values.
    const patterned = (o: Json) => o.type === "string" && typeof o.pattern === "string";
    const typed = options.filter((o) => !patterned(o));
    const expression = options.some((o) => patterned(o) && String(o.pattern).includes("{"));
    const rest = [...new Set((typed.length ? typed : options).map(typeOf))];
    return `${rest.join(" | ") || "string"}${expression && typed.length ? " (or expression)" : ""}`;
  }
  switch (node.type) {
    case "array": {
      const items = typeOf(node.items as Json | undefined);
      return items === "task"
        ? "list of tasks"
        : items === "condition"
          ? "list of conditions"
          : `list of ${items}`;
    }
    case "object":
      if (node.properties) return "object";
      return node.additionalProperties &&
        typeof node.additionalProperties === "object" &&
        Object.keys(node.additionalProperties).length
        ? `map of ${typeOf(node.additionalProperties as Json)}`
        : "map";
    case "string":
      return node.format === "duration" ? "duration (ISO-8601)" : "string";
    default:
      return typeof node.type === "string" ? node.type : "any";
  }
}

function jsonOf(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Json;
}

/** The default of a property, looking through optional/nullable wrappers. */
function defaultOf(schema: z.ZodType): unknown {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const def = current.def as { type: string; defaultValue?: unknown; innerType?: z.ZodType };
    if (def.type === "default" || def.type === "prefault")
      return typeof def.defaultValue === "function"
        ? (def.defaultValue as () => unknown)()
        : def.defaultValue;
    current = def.innerType;
  }
  return undefined;
}

/** Whether a property takes expressions: dyn() values, and strings the runner or the executor renders. */
function dynamic(plugin: Plugin, schema: z.ZodType): string {
  const inner = unwrap(schema);
  if (slotKind(inner)) return "no";
  if (
    inner.def.type === "array" &&
    slotKind(unwrap((inner.def as unknown as { element: z.ZodType }).element))
  )
    return "no";
  if (isDynamic(schema) || plugin.kind === "runnable") return "yes";
  // Flowable and trigger strings are rendered when used (conditions, values, inputs); enums and numbers are not.
  const kind = inner.def.type;
  return kind === "string" || kind === "union" || kind === "record" || kind === "unknown" ? "yes" : "no";
}

function propertiesTable(plugin: Plugin, shape: Record<string, z.ZodType>, json: Json): string[] {
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  const rows = Object.entries(shape).map(([name, schema]) => {
    const node = properties[name] ?? {};
    const value = defaultOf(schema) ?? ("default" in node ? node.default : undefined);
    const fallback = value === undefined ? "" : `\`${JSON.stringify(value)}\``;
    const description = String(schema.description ?? node.description ?? "");
    return `| \`${name}\` | ${cell(typeOf(node))} | ${required.has(name) ? "yes" : "no"} | ${cell(fallback)} | ${dynamic(plugin, schema)} | ${cell(description)} |`;
  });
  return [
    "| property | type | required | default | dynamic | description |",
    "|---|---|---|---|---|---|",
    ...rows,
  ];
}

/**
 * A plugin's documentation page in Markdown, generated from its one zod schema: what it is, every property
 * with its type, default and whether it takes expressions, the properties common to its kind, outputs and
 * examples. `cadenza plugins docs` writes these; the editor's docs panel reads the same data.
 */
export function pluginMarkdown(plugin: Plugin): string {
  const lines: string[] = [`# ${plugin.type}`, "", `> ${plugin.title}`, ""];
  const others = plugin.names.filter((n) => n !== plugin.type);
  if (others.length) lines.push(`Also accepted as: ${others.map((n) => `\`${n}\``).join(", ")}.`, "");
  if (plugin.deprecated) lines.push(`**Deprecated:** ${plugin.deprecated}.`, "");
  if (plugin.description) lines.push(plugin.description, "");
  const kindText = {
    runnable: "a task run by a worker",
    flowable: "a task interpreted by the executor",
    trigger: "a trigger",
    condition: "a condition",
  }[plugin.kind];
  lines.push(`Kind: ${kindText}.`, "");

  const shape = plugin.schema.shape as Record<string, z.ZodType>;
  lines.push("## Properties", "");
  if (Object.keys(shape).length === 0) lines.push("This plugin has no properties of its own.", "");
  else lines.push(...propertiesTable(plugin, shape, jsonOf(plugin.schema)), "");

  const common =
    plugin.kind === "trigger"
      ? commonTriggerShape
      : plugin.kind === "condition"
        ? commonConditionShape
        : commonTaskShape;
  lines.push(
    `Every ${plugin.kind === "trigger" ? "trigger" : plugin.kind === "condition" ? "condition" : "task"} also takes: ${Object.keys(
      common,
    )
      .map((k) => `\`${k}\``)
      .join(", ")}.`,
    "",
  );

  if (plugin.outputs) {
    const outputs = jsonOf(plugin.outputs);
    const properties = (outputs.properties ?? {}) as Record<string, Json>;
    lines.push("## Outputs", "", "| output | type | description |", "|---|---|---|");
    for (const [name, node] of Object.entries(properties)) {
      lines.push(`| \`${name}\` | ${cell(typeOf(node))} | ${cell(String(node.description ?? ""))} |`);
    }
    lines.push("");
  }
  if (plugin.examples?.length) {
    lines.push("## Examples", "");
    for (const example of plugin.examples)
      lines.push(`### ${example.title}`, "", "```yaml", example.flow.trimEnd(), "```", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** A file name for a plugin's page: its canonical type. */
export function pluginPageName(plugin: Plugin): string {
  return `${plugin.type}.md`;
}
