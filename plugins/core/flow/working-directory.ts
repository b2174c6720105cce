import { workingDirectorySchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const workingDirectoryPlugin = definePlugin({
  type: "core.flow.WorkingDirectory",
  aliases: [old("WorkingDirectory"), old("Worker")],
  kind: "flowable",
  title: "Run tasks that share a working directory.",
  description:
    "Cadenza runs the tasks in order; a directory shared between them comes with the script runner.",
  schema: workingDirectorySchema,
  examples: [
    {
      title: "Two script tasks that share files",
      flow: `id: shared_directory
namespace: company.team

tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - echo "hello" > greeting.txt

      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - cat greeting.txt
`,
    },
  ],
});
