import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { listNamespaceFiles, requireNamespaceStorage } from "../core/namespace/files";
import { globMatcher } from "../core/storage/glob";
import { branchShape, checkout, finishPush, pushOutputs, pushShape } from "./repository";

const TYPE = "git.PushNamespaceFiles";

export const pushNamespaceFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Commit and push namespace files to a Git repository.",
  description: [
    "Copies the namespace files of `namespace` that match `files` (globs, all by default) into `gitDirectory`",
    "of `branch`, commits and pushes them. With `delete` (the default), files of `gitDirectory` that match",
    "`files` but are no longer namespace files are removed. `dryRun` only writes the `diff` file. The remote",
    "is reached over HTTP(S) with the `git` program under the outbound-address policy of `git.Clone`.",
  ].join("\n"),
  schema: z.object({
    ...branchShape,
    ...pushShape,
    namespace: z
      .string()
      .optional()
      .describe("The namespace whose files are pushed; default: the namespace of this flow."),
    files: z
      .union([z.string(), z.array(z.string())])
      .default("**")
      .describe("Which namespace files to push: one glob or a list of globs (all by default)."),
    gitDirectory: z.string().default("_files").describe("The directory of the repository the files go to."),
    delete: z
      .boolean()
      .default(true)
      .describe("Remove files from Git that match `files` but are no longer namespace files."),
  }),
  outputs: pushOutputs,
  examples: [
    {
      title: "Push the scripts of a namespace to Git",
      flow: `id: push_scripts
namespace: company.team

tasks:
  - id: commit_and_push
    type: io.kestra.plugin.git.PushNamespaceFiles
    namespace: company.team
    files: "scripts/**"
    gitDirectory: _files
    url: https://github.com/kestra-io/scripts
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    branch: main
    commitMessage: "add namespace files"
    dryRun: true
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const namespace = p.namespace ?? ctx.execution.namespace;
    const storage = requireNamespaceStorage(ctx, TYPE);
    const wanted = globMatcher(typeof p.files === "string" ? [p.files] : p.files);
    const files = (await listNamespaceFiles(storage, namespace)).filter((file) => wanted(file.path));
    const repo = await checkout(ctx, TYPE, p, p.gitDirectory);
    try {
      const written = new Set<string>();
      for (const file of files) {
        await repo.write(file.path, await storage.get(file.uri));
        written.add(file.path);
      }
      if (p.delete) {
        const stale = (await repo.files())
          .map((file) => file.path)
          .filter((path) => wanted(path) && !written.has(path));
        await repo.remove(stale);
      }
      ctx.logger.info(`${files.length} namespace file(s) of ${namespace} copied to ${repo.directory}`);
      const outputs = await finishPush(
        ctx,
        repo,
        p,
        p.commitMessage ?? `Add files from ${namespace} namespace`,
      );
      return { outputs };
    } finally {
      await repo.workspace.dispose();
    }
  },
});
