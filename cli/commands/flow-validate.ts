import { builtInRegistry } from "@/plugins";
import type { Command } from "../command";
import { formatError, loadFile } from "../flows/load-files";

export const flowValidate: Command = {
  path: ["flow", "validate"],
  summary: "Validate flow files; print file:line:col message for every problem (exit 1 if any).",
  usage: "FILE...",
  options: {},
  positionals: { min: 1 },
  async run({ positionals }, io) {
    const registry = builtInRegistry();
    let errors = 0;
    let flows = 0;
    for (const file of positionals) {
      const result = loadFile(file, registry);
      flows += result.flows.length;
      for (const error of result.errors) io.stdout(`${formatError(file, error)}\n`);
      for (const warning of result.warnings) io.stderr(`${formatError(file, warning)} (warning)\n`);
      errors += result.errors.length;
    }
    const files = positionals.length;
    io.stderr(
      errors === 0
        ? `${flows} flow${flows === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}: valid\n`
        : `${errors} error${errors === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}\n`,
    );
    return errors === 0 ? 0 : 1;
  },
};
