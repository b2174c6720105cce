import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { flowIdNeedsNamespace, isoDate } from "../log/purge-logs";
import { executionOfFile, inNamespaceTree } from "./execution-tree";

const TYPE = "core.storage.PurgeStorage";

/** Where the files of the scope live: one flow's executions, a namespace's tree or the whole tenant. */
function scopePrefix(namespace: string | undefined, flowId: string | undefined): string {
  if (namespace === undefined) return "kestra:///";
  const path = namespace.split(".").join("/");
  return flowId === undefined ? `kestra:///${path}/` : `kestra:///${path}/${flowId}/executions/`;
}

/**
 * Kestra 2.0's io.kestra.plugin.core.storage.PurgeStorage (with its StoragePurgeService): walks the
 * storage, not the executions, so it reaches the files of flows and executions that no longer exist.
 */
export const purgeStoragePlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  services: ["storage", "reach"],
  title: "Purge execution files from the internal storage by last-modified date.",
  description: [
    "**Irreversible.** Always start with `dryRun: true` (the default) and review the counts before running",
    "again with `dryRun: false`.",
    "",
    "Deletes the execution files (inputs, task outputs, trigger files) last modified between `startDate` and",
    "`endDate`. Its main use is reclaiming the files of flows that no longer exist, which",
    "`PurgeExecutions` cannot reach since there is no execution left to delete.",
    "",
    "`namespace` is recursive: `company` also purges `company.team`. Without `namespace` every namespace",
    "of the tenant is purged, which needs the flow to reach them all (namespace boundaries): nothing is",
    "purged when one is out of reach. Set `endDate` to (or before) your `PurgeExecutions` retention so that",
    "only files of already purged executions go.",
    "",
    "Outputs `scannedCount` (the executions whose files were looked at), `purgedCount` (those with at least",
    "one file in the window) and `deletedFilesCount` (0 on a dry run), and the same as the metrics",
    "`scanned`, `purged` and `deleted.files`.",
  ].join("\n"),
  schema: z.object({
    namespace: z
      .string()
      .optional()
      .describe(
        "The namespace whose execution files are purged, with its sub-namespaces; every namespace when not set.",
      ),
    flowId: z.string().optional().describe("Only the files of this flow's executions (needs `namespace`)."),
    startDate: z.string().optional().describe("Only files last modified after this ISO-8601 date-time."),
    endDate: z.string().describe("Only files last modified before this ISO-8601 date-time (required)."),
    dryRun: dyn(z.boolean()).default(true).describe("Only count what would be deleted, deleting nothing."),
  }),
  outputs: z.object({
    scannedCount: z.number().int().describe("The number of execution file trees scanned."),
    purgedCount: z
      .number()
      .int()
      .describe("The number of executions with at least one file in the date window."),
    deletedFilesCount: z.number().int().describe("The number of deleted files (0 when `dryRun` is true)."),
  }),
  validate: flowIdNeedsNamespace,
  examples: [
    {
      title: "Delete the execution files older than 7 days of a namespace",
      flow: `id: purge_storage
namespace: system

tasks:
  - id: purge
    type: io.kestra.plugin.core.storage.PurgeStorage
    namespace: company.team
    endDate: "{{ now() | dateAdd(-7, 'DAYS') }}"
    dryRun: false
`,
    },
  ],
  async run(ctx) {
    const { storage, reach } = ctx.services;
    const { namespace, flowId, dryRun } = ctx.properties;
    // Checked again at run time: a rendered namespace may be empty.
    if (flowId && !namespace) throw new Error("'namespace' is required when 'flowId' is set.");
    const scope = namespace || undefined;
    const start = ctx.properties.startDate ? isoDate(ctx.properties.startDate, "startDate") : undefined;
    const end = isoDate(ctx.properties.endDate, "endDate");
    if (!storage.modified) throw new Error(`${TYPE} needs the last-modified dates of the internal storage`);

    // Every execution in scope, with its files: the namespaces are checked before a date is even read.
    const executions = new Map<string, { namespace: string; files: string[] }>();
    for (const uri of await storage.list(scopePrefix(scope, flowId || undefined))) {
      const found = executionOfFile(uri);
      if (!found) continue;
      if (scope !== undefined && !inNamespaceTree(found.namespace, scope)) continue;
      if (flowId && (found.namespace !== scope || found.flowId !== flowId)) continue;
      const key = `${found.namespace}/${found.flowId}/${found.executionId}`;
      const entry = executions.get(key) ?? { namespace: found.namespace, files: [] };
      entry.files.push(uri);
      executions.set(key, entry);
    }
    if (scope !== undefined) await reach.check(scope);
    for (const target of new Set([...executions.values()].map((e) => e.namespace))) await reach.check(target);

    ctx.logger.info(
      `purging execution files (dryRun=${dryRun}) of ${scope ?? "every namespace"}${flowId ? `, flow ${flowId}` : ""}, modified in [${start ?? "-"}, ${end}]`,
    );
    const window = { start: start ? Date.parse(start) : undefined, end: Date.parse(end) };
    let purgedCount = 0;
    let deletedFilesCount = 0;
    for (const { files } of executions.values()) {
      ctx.signal.throwIfAborted();
      let matched = false;
      for (const uri of files) {
        const modified = (await storage.modified(uri))?.getTime();
        if (modified === undefined) continue;
        if (window.start !== undefined && modified < window.start) continue;
        if (modified > window.end) continue;
        matched = true;
        if (!dryRun && (await storage.delete(uri))) deletedFilesCount++;
      }
      if (matched) purgedCount++;
    }

    const scannedCount = executions.size;
    ctx.metric({ name: "scanned", type: "counter", value: scannedCount });
    ctx.metric({ name: "purged", type: "counter", value: purgedCount });
    ctx.metric({ name: "deleted.files", type: "counter", value: deletedFilesCount });
    ctx.logger.info(
      `purge of execution files done (dryRun=${dryRun}): scanned=${scannedCount}, purged=${purgedCount}, deletedFiles=${deletedFilesCount}`,
    );
    return { outputs: { scannedCount, purgedCount, deletedFilesCount } };
  },
});
