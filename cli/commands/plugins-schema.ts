import { flowJsonSchema } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import type { Command } from "../command";

export const pluginsSchema: Command = {
  path: ["plugins", "schema"],
  summary: "Print the JSON Schema of the flow language (for editors: completion, hover docs, validation).",
  usage: "",
  options: {},
  positionals: { max: 0 },
  async run(_args, io) {
    io.stdout(`${JSON.stringify(flowJsonSchema(builtInRegistry()), null, 2)}\n`);
    return 0;
  },
};
