// The flow service tasks get (git.SyncFlows, git.PushFlows): the same validation (parseOrThrow), revisions
// (saveFlowRevision), schedule sync and audit entries as the REST API's flow service, through the
// tenant-scoped client in one transaction per change, with the execution that made the change as the audit
// entry's actor. Authorization is the namespace boundary the worker puts around every task service
// (worker/namespace-access.ts).
import type { FlowChangeOrigin, FlowService, StoredFlowSource } from "@/engine/plugin";
import {
  deleteFlow as deleteStoredFlow,
  type EngineContext,
  maskValue,
  saveFlowRevision,
} from "@/worker/embedded";
import { forTenant, type TenantDb } from "../access/tenant-db";
import { type AuditEntry, auditValue, writeAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { parseOrThrow } from "./flows";
import { sqlIn } from "./scope";

/** Writes the audit entry of a task's change, its copied values masked like the API's (scope.audit). */
async function auditTask(
  ctx: EngineContext,
  tx: TenantDb,
  origin: FlowChangeOrigin,
  entry: AuditEntry,
): Promise<void> {
  const mask = await ctx.masker(ctx.pool, tx.tenantId);
  const masked = (value: unknown) =>
    value === undefined || !mask ? value : maskValue(auditValue(value, entry.resourceType), mask);
  await writeAudit(
    tx,
    {
      type: "SYSTEM",
      id: origin.executionId,
      name: `execution ${origin.executionId} (${origin.namespace}.${origin.flowId}, task ${origin.taskId})`,
    },
    { ...entry, before: masked(entry.before), after: masked(entry.after) },
  );
}

/**
 * The flow service of one tenant for tasks. `flowChanged` runs after each committed change (the Temporal
 * Schedules' sync, as the API's flow service does).
 */
export function taskFlowService(
  ctx: EngineContext,
  db: () => PrismaClient,
  tenantId: string,
  flowChanged: (flow: { namespace: string; id: string }) => Promise<void> = async () => {},
): FlowService {
  const tenant = () => forTenant(db(), tenantId);
  const current = (tx: TenantDb, namespace: string, id: string) =>
    tx.flow.findUnique({ where: { tenantId_namespace_id: { tenantId, namespace, id } } });
  return {
    async list(namespace, options = {}) {
      const rows = await tenant().flow.findMany({
        where: {
          deleted: false,
          OR: [
            { namespace },
            ...(options.includeChildNamespaces ? [{ namespace: { startsWith: `${namespace}.` } }] : []),
          ],
        },
        orderBy: [{ namespace: "asc" }, { id: "asc" }],
      });
      return rows.map(
        (row): StoredFlowSource => ({
          namespace: row.namespace,
          id: row.id,
          revision: row.revision,
          source: row.source,
        }),
      );
    },
    async save(given, origin) {
      const { flow } = parseOrThrow(given.source);
      if (flow.namespace !== given.namespace || flow.id !== given.id)
        throw new Error(
          `the flow's YAML says ${flow.namespace}.${flow.id}, not ${given.namespace}.${given.id}`,
        );
      const outcome = await tenant().$transaction(async (tx) => {
        const before = await current(tx, flow.namespace, flow.id);
        const created = !before || before.deleted;
        const saved = await saveFlowRevision(sqlIn(tx), ctx.registry, tenantId, flow, given.source);
        if (saved.changed)
          await auditTask(ctx, tx, origin, {
            action: created ? "CREATE" : "UPDATE",
            resourceType: "FLOW",
            resourceId: `${flow.namespace}.${flow.id}`,
            namespace: flow.namespace,
            before: created ? undefined : { source: before?.source },
            after: { revision: saved.revision, source: given.source },
          });
        return { revision: saved.revision, created: created && saved.changed, changed: saved.changed };
      });
      if (outcome.changed) await flowChanged(flow);
      return outcome;
    },
    async delete(namespace, id, origin) {
      const deleted = await tenant().$transaction(async (tx) => {
        const before = await current(tx, namespace, id);
        if (!before || before.deleted) return false;
        await deleteStoredFlow(sqlIn(tx), ctx.registry, tenantId, namespace, id);
        await auditTask(ctx, tx, origin, {
          action: "DELETE",
          resourceType: "FLOW",
          resourceId: `${namespace}.${id}`,
          namespace,
          before: { revision: before.revision, source: before.source },
        });
        return true;
      });
      if (deleted) await flowChanged({ namespace, id });
      return deleted;
    },
  };
}
