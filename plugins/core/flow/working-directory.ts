import { workingDirectoryHandler, workingDirectorySchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const workingDirectoryPlugin = definePlugin({
  type: "core.flow.WorkingDirectory",
  aliases: [old("WorkingDirectory"), old("Worker")],
  kind: "flowable",
  title: "Run tasks that share a working directory.",
  description:
    "Runs its tasks in order, in one working directory that they all share: a file written by one task is " +
    "there for the next. The directory starts empty (with `inputFiles` written into it) and is removed when the " +
    "execution ends. A retried task sees the directory as the earlier tasks left it; restarting a failed " +
    "execution runs the whole WorkingDirectory again, from an empty directory. " +
    "Script tasks in it still declare `outputFiles` to keep files after the execution. The directory lives on " +
    "the machine that runs the tasks: with engines on several machines, run WorkingDirectory flows on one.",
  schema: workingDirectorySchema,
  handler: workingDirectoryHandler,
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
