import { z } from "zod";
import { loadFlow } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";
import { isFlowFile, namespaceOfPath, originOf, requireFlows, withNamespace } from "./flow-files";
import { branchShape, checkout, writeRows } from "./repository";

const TYPE = "git.SyncFlows";

type SyncState = "ADDED" | "OVERWRITTEN" | "UNCHANGED" | "DELETED";

interface SyncedFlow {
  gitPath?: string;
  namespace: string;
  flowId: string;
  revision?: number;
  syncState: SyncState;
}

export const syncFlowsPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Sync flows from a Git repository into a namespace.",
  description: [
    "Reads the `.yml`/`.yaml` files of `gitDirectory` on `branch` and saves each as a flow of",
    "`targetNamespace` (files in folders go to child namespaces with `includeChildNamespaces`), through the",
    "same flow service as the API: validated, saved as a new revision when it changed, with an audit entry",
    "naming this execution. Every file is validated before anything is saved, so an invalid file saves",
    "nothing (or is skipped with `ignoreInvalidFlows`). With `delete`, flows of those namespaces that have no",
    "file are deleted (never the flow running this task). `dryRun` only writes the `diff` file.",
  ].join("\n"),
  schema: z.object({
    ...branchShape,
    targetNamespace: z.string().min(1).describe("The namespace the flows are saved to."),
    gitDirectory: z
      .string()
      .default("_flows")
      .describe("The directory of the repository that holds the flow files."),
    includeChildNamespaces: z
      .boolean()
      .default(false)
      .describe(
        "Sync the files in folders of `gitDirectory` too, into child namespaces of `targetNamespace`.",
      ),
    delete: z
      .boolean()
      .default(false)
      .describe("Delete the flows of the target namespace(s) that have no file in Git."),
    dryRun: z
      .boolean()
      .default(false)
      .describe("Only compute what would change: nothing is saved or deleted."),
    ignoreInvalidFlows: z
      .boolean()
      .default(false)
      .describe("Skip invalid flow files with a warning instead of failing the task."),
  }),
  outputs: z.object({
    flows: z
      .array(z.record(z.string(), z.unknown()))
      .describe("Each flow synced: `namespace`, `flowId`, `revision`, `gitPath`, `syncState`."),
    diff: z.string().describe("A `kestra://` ION file with the same rows."),
  }),
  examples: [
    {
      title: "Sync the flows of a Git branch into the prod namespace every minute",
      flow: `id: sync_flows_from_git
namespace: system

tasks:
  - id: git
    type: io.kestra.plugin.git.SyncFlows
    url: https://github.com/kestra-io/flows
    branch: main
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    targetNamespace: prod
    includeChildNamespaces: true
    gitDirectory: flows
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
    const flows = requireFlows(ctx, TYPE);
    const registry = ctx.services.registry;
    if (!registry) throw new Error(`${TYPE} needs the plugin registry to validate flows`);
    const target = p.targetNamespace;
    const origin = originOf(ctx);

    const repo = await checkout(ctx, TYPE, p, p.gitDirectory);
    const candidates: { gitPath: string; namespace: string; id: string; source: string }[] = [];
    try {
      const invalid: string[] = [];
      for (const file of await repo.files()) {
        if (!isFlowFile(file.path)) continue;
        if (!p.includeChildNamespaces && file.path.includes("/")) continue;
        const namespace = namespaceOfPath(target, file.path);
        const source = withNamespace(new TextDecoder().decode(await file.read()), namespace);
        const load = loadFlow(source, { registry });
        if (!load.flow) {
          const why = load.errors.map((e) => `line ${e.line}: ${e.path ? `${e.path}: ` : ""}${e.message}`);
          invalid.push(`${file.path}: ${why.join("; ")}`);
          continue;
        }
        candidates.push({ gitPath: file.path, namespace, id: load.flow.id, source });
      }
      if (invalid.length > 0) {
        if (!p.ignoreInvalidFlows)
          throw new Error(
            `invalid flow file(s), nothing synced (set ignoreInvalidFlows to skip them): ${invalid.join(" | ")}`,
          );
        for (const message of invalid) ctx.logger.warn(`skipped invalid flow file ${message}`);
      }
    } finally {
      await repo.workspace.dispose();
    }

    const existing = new Map(
      (await flows.list(target, { includeChildNamespaces: p.includeChildNamespaces })).map((flow) => [
        `${flow.namespace}\u0000${flow.id}`,
        flow,
      ]),
    );
    const synced: SyncedFlow[] = [];
    const seen = new Set<string>();
    for (const flow of candidates) {
      const key = `${flow.namespace}\u0000${flow.id}`;
      if (seen.has(key))
        throw new Error(`two files define flow ${flow.namespace}.${flow.id} (${flow.gitPath})`);
      seen.add(key);
      const before = existing.get(key);
      if (p.dryRun) {
        const syncState: SyncState = !before
          ? "ADDED"
          : before.source === flow.source
            ? "UNCHANGED"
            : "OVERWRITTEN";
        synced.push({
          gitPath: flow.gitPath,
          namespace: flow.namespace,
          flowId: flow.id,
          ...(before ? { revision: before.revision } : {}),
          syncState,
        });
        continue;
      }
      const saved = await flows.save({ namespace: flow.namespace, id: flow.id, source: flow.source }, origin);
      const syncState: SyncState = saved.created ? "ADDED" : saved.changed ? "OVERWRITTEN" : "UNCHANGED";
      synced.push({
        gitPath: flow.gitPath,
        namespace: flow.namespace,
        flowId: flow.id,
        revision: saved.revision,
        syncState,
      });
    }
    if (p.delete) {
      for (const [key, flow] of existing) {
        if (seen.has(key)) continue;
        // The flow running the sync is never deleted by it.
        if (flow.namespace === ctx.execution.namespace && flow.id === ctx.execution.flowId) continue;
        if (!p.dryRun) await flows.delete(flow.namespace, flow.id, origin);
        synced.push({
          namespace: flow.namespace,
          flowId: flow.id,
          revision: flow.revision,
          syncState: "DELETED",
        });
      }
    }
    const counts = synced.reduce<Record<string, number>>((all, row) => {
      all[row.syncState] = (all[row.syncState] ?? 0) + 1;
      return all;
    }, {});
    ctx.logger.info(
      `${p.dryRun ? "Dry run: " : ""}${
        Object.entries(counts)
          .map(([state, n]) => `${n} ${state}`)
          .join(", ") || "no flows"
      } in ${target}`,
    );
    return { outputs: { flows: synced, diff: await writeRows(ctx, "diff.ion", synced) } };
  },
});
