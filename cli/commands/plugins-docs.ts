import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pluginMarkdown, pluginPageName } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import type { Command } from "../command";

export const pluginsDocs: Command = {
  path: ["plugins", "docs"],
  summary:
    "Write a Markdown page per plugin (properties, types, defaults, outputs, examples) from its schema.",
  usage: "[TYPE...] [--out DIR]",
  options: { out: { type: "string" } },
  optionHelp: { out: "write one TYPE.md per plugin and an index.md into DIR (default: print to stdout)" },
  async run({ values, positionals }, io) {
    const registry = builtInRegistry();
    const plugins = positionals.length
      ? positionals.map((type) => ({ type, plugin: registry.get(type) }))
      : registry.list().map((p) => ({ type: p.type, plugin: p }));
    const unknown = plugins.filter((p) => !p.plugin).map((p) => p.type);
    if (unknown.length) {
      for (const type of unknown) {
        const hint = registry.suggest(type);
        io.stderr(
          `cadenza plugins docs: unknown plugin '${type}'${hint.length ? `; did you mean ${hint.map((h) => `'${h}'`).join(", ")}?` : ""}\n`,
        );
      }
      return 2;
    }
    const pages = plugins.map(({ plugin }) => plugin as NonNullable<typeof plugin>);
    const out = values.out as string | undefined;
    if (!out) {
      io.stdout(pages.map((p) => pluginMarkdown(p)).join("\n---\n\n"));
      return 0;
    }
    mkdirSync(out, { recursive: true });
    for (const plugin of pages) writeFileSync(join(out, pluginPageName(plugin)), pluginMarkdown(plugin));
    const index = ["# Plugins", "", "| plugin | kind | what it does |", "|---|---|---|"];
    for (const plugin of pages)
      index.push(
        `| [${plugin.type}](${pluginPageName(plugin)}) | ${plugin.kind} | ${plugin.title.replace(/\|/g, "\\|")} |`,
      );
    writeFileSync(join(out, "index.md"), `${index.join("\n")}\n`);
    io.stderr(`${pages.length} plugin pages written to ${out}\n`);
    return 0;
  },
};
