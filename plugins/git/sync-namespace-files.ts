import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { listNamespaceFiles, namespaceFileUri, requireNamespaceStorage } from "../core/namespace/files";
import { branchShape, checkout, writeRows } from "./repository";

const TYPE = "git.SyncNamespaceFiles";

type SyncState = "ADDED" | "OVERWRITTEN" | "UNCHANGED" | "DELETED";

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

export const syncNamespaceFilesPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Sync namespace files from a Git repository.",
  description: [
    "Copies every file of `gitDirectory` on `branch` into the namespace files of `namespace` (same relative",
    "paths). With `delete`, namespace files that have no file in Git are deleted. `dryRun` only writes the",
    "`diff` file (`gitPath`, `kestraPath`, `syncState`: ADDED, OVERWRITTEN, UNCHANGED or DELETED).",
  ].join("\n"),
  schema: z.object({
    ...branchShape,
    namespace: z
      .string()
      .optional()
      .describe("The namespace whose files are synced; default: the namespace of this flow."),
    gitDirectory: z
      .string()
      .default("_files")
      .describe("The directory of the repository that holds the files."),
    delete: z.boolean().default(false).describe("Delete the namespace files that have no file in Git."),
    dryRun: z
      .boolean()
      .default(false)
      .describe("Only compute what would change: no file is written or deleted."),
  }),
  outputs: z.object({
    diff: z
      .string()
      .describe("A `kestra://` ION file: one row per file with `gitPath`, `kestraPath`, `syncState`."),
  }),
  examples: [
    {
      title: "Sync the scripts of a Git repository into the namespace files every minute",
      flow: `id: sync_files_from_git
namespace: company.team

tasks:
  - id: git
    type: io.kestra.plugin.git.SyncNamespaceFiles
    namespace: company.team
    gitDirectory: _files
    url: https://github.com/kestra-io/scripts
    branch: main
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    delete: true
    dryRun: true

triggers:
  - id: every_minute
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const namespace = p.namespace ?? ctx.execution.namespace;
    const storage = requireNamespaceStorage(ctx, TYPE);
    const existing = new Map((await listNamespaceFiles(storage, namespace)).map((f) => [f.path, f.uri]));
    const rows: { gitPath?: string; kestraPath: string; syncState: SyncState }[] = [];
    const repo = await checkout(ctx, TYPE, p, p.gitDirectory);
    try {
      for (const file of await repo.files()) {
        const content = await file.read();
        const uri = existing.get(file.path);
        const syncState: SyncState =
          uri === undefined
            ? "ADDED"
            : sameBytes(await storage.get(uri), content)
              ? "UNCHANGED"
              : "OVERWRITTEN";
        if (!p.dryRun && syncState !== "UNCHANGED")
          await storage.put(namespaceFileUri(namespace, file.path), content);
        existing.delete(file.path);
        rows.push({
          gitPath: `${repo.directory === "." ? "" : `${repo.directory}/`}${file.path}`,
          kestraPath: `/${file.path}`,
          syncState,
        });
      }
    } finally {
      await repo.workspace.dispose();
    }
    if (p.delete) {
      for (const [path, uri] of existing) {
        if (!p.dryRun) await storage.delete(uri);
        rows.push({ kestraPath: `/${path}`, syncState: "DELETED" });
      }
    }
    ctx.logger.info(
      `${p.dryRun ? "Dry run: " : ""}${rows.filter((r) => r.syncState !== "UNCHANGED").length} namespace file(s) of ${namespace} changed`,
    );
    return { outputs: { diff: await writeRows(ctx, "diff.ion", rows) } };
  },
});
