import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Flow, type FlowError, loadFlows } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";

export interface FileLoad {
  file: string;
  flows: Flow[];
  /** Each flow's own YAML (its document of the file). */
  sources: Map<Flow, string>;
  errors: FlowError[];
  warnings: FlowError[];
}

/** The YAML files of a path: the file itself, or every .yml/.yaml under a directory (recursively, sorted). */
export function yamlFiles(path: string): string[] {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Loads every flow of a file (several `---` documents allowed), with errors located in that file. */
export function loadFile(file: string, registry: PluginRegistry): FileLoad {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return {
      file,
      flows: [],
      sources: new Map(),
      errors: [
        {
          path: "",
          line: 1,
          column: 1,
          message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        },
      ],
      warnings: [],
    };
  }
  const loads = loadFlows(text, { registry });
  const sources = new Map<Flow, string>();
  for (const load of loads) if (load.flow) sources.set(load.flow, load.source.documentText);
  return {
    file,
    flows: loads.flatMap((l) => (l.flow ? [l.flow] : [])),
    sources,
    errors: loads.flatMap((l) => l.errors),
    warnings: loads.flatMap((l) => l.warnings),
  };
}

/** `file:line:col message`, the form editors and CI annotate; the file as the user named it. */
export function formatError(file: string, error: FlowError): string {
  return `${file}:${error.line}:${error.column} ${error.path ? `${error.path}: ` : ""}${error.message}`;
}
