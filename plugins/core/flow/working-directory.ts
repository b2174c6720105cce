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
    "there for the next. The directory starts from its `cache` (when it has one), then its `namespaceFiles` " +
    "and `inputFiles`, and is removed when the execution ends. Once its tasks are done, the files matching " +
    "`outputFiles` go to the internal storage (`outputs.<id>.outputFiles['name']`) and the `cache` is " +
    "archived for the next execution. A retried task sees the directory as the earlier tasks left it; " +
    "restarting a failed execution runs the whole WorkingDirectory again, from an empty directory. " +
    "The directory lives on the machine that runs the tasks: with engines on several machines, run " +
    "WorkingDirectory flows on one.",
  schema: workingDirectorySchema,
  handler: workingDirectoryHandler,
  examples: [
    {
      title: "Keep a file the tasks wrote, and cache the dependencies between executions",
      flow: `id: wdir_files
namespace: company.team

tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles:
      - report.txt
    cache:
      patterns:
        - deps/**
      ttl: PT1H
    tasks:
      - id: build
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - test -d deps || (mkdir deps && echo "fetched" > deps/lib.txt)
          - cat deps/lib.txt > report.txt

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.wdir.outputFiles['report.txt']) }}"
`,
    },
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
