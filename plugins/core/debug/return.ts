import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

export const returnPlugin = definePlugin({
  type: "core.debug.Return",
  aliases: ["io.kestra.core.tasks.debugs.Return"],
  kind: "runnable",
  inline: true,
  title: "Render a value and return it as the output `value`.",
  schema: z.object({ format: z.string().optional().describe("The text to render and return.") }),
  outputs: z.object({ value: z.string() }),
  examples: [
    {
      title: "Return the flow id",
      flow: `id: return_example
namespace: company.team
tasks:
  - id: name
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.id }}"
`,
    },
  ],
  run: ({ properties }) => ({ outputs: { value: properties.format ?? "" } }),
});
