// The flow service tasks get (git.SyncFlows, git.PushFlows): the same validation (parseOrThrow), revisions
// (saveFlowRevision), schedule sync and audit entries as the REST API's flow service, with the execution
// that made the change as the audit entry's actor. Authorization is the namespace boundary the worker
// already puts around task services (worker/namespace-access.ts), as for every other task service.
import { randomUUID } from "node:crypto";
import type { FlowChangeOrigin, FlowService, StoredFlowSource } from "@/engine/plugin";
import {
  deleteFlow as deleteStoredFlow,
  type EngineContext,
  maskValue,
  type Queryable,
  saveFlowRevision,
  withTransaction,
} from "@/worker/embedded";
import { type AuditEntry, auditValue } from "../audit/audit";
import { parseOrThrow } from "./flows";

/** Writes an audit entry in the change's transaction, its copied values masked like the API's (scope.audit). */
async function auditTask(
  ctx: EngineContext,
  db: Queryable,
  tenantId: string,
  origin: FlowChangeOrigin,
  entry: AuditEntry,
): Promise<void> {
  const mask = await ctx.masker(ctx.pool, tenantId);
  const copy = (value: unknown) => {
    if (value === undefined) return null;
    const plain = auditValue(value, entry.resourceType);
    return JSON.stringify(mask ? maskValue(plain, mask) : plain);
  };
  await db.query(
    `insert into audit_logs (id, tenant_id, actor_type, actor_id, actor_name, action, resource_type, resource_id, namespace, before, after)
     values ($1, $2, 'SYSTEM', $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)`,
    [
      randomUUID(),
      tenantId,
      origin.executionId,
      `execution ${origin.executionId} (${origin.namespace}.${origin.flowId}, task ${origin.taskId})`,
      entry.action,
      entry.resourceType,
      entry.resourceId ?? null,
      entry.namespace ?? null,
      copy(entry.before),
      copy(entry.after),
    ],
  );
}

/**
 * The flow service of one tenant for tasks. `flowChanged` runs after each committed change (the
 * Temporal Schedules' sync, as the API's flow service does).
 */
export function taskFlowService(
  ctx: EngineContext,
  tenantId: string,
  flowChanged: (flow: { namespace: string; id: string }) => Promise<void> = async () => {},
): FlowService {
  return {
    async list(namespace, options = {}) {
      const result = await ctx.pool.query(
        `select namespace, id, revision, source from flows
         where tenant_id = $1 and not deleted and (namespace = $2 or ($3 and starts_with(namespace, $2 || '.')))
         order by namespace, id`,
        [tenantId, namespace, options.includeChildNamespaces === true],
      );
      return result.rows as StoredFlowSource[];
    },
    async save(given, origin) {
      const { flow } = parseOrThrow(given.source);
      if (flow.namespace !== given.namespace || flow.id !== given.id)
        throw new Error(
          `the flow's YAML says ${flow.namespace}.${flow.id}, not ${given.namespace}.${given.id}`,
        );
      const outcome = await withTransaction(ctx.pool, async (db) => {
        const before = (
          await db.query(
            "select source, deleted from flows where tenant_id = $1 and namespace = $2 and id = $3",
            [tenantId, flow.namespace, flow.id],
          )
        ).rows[0] as { source: string; deleted: boolean } | undefined;
        const created = !before || before.deleted;
        const saved = await saveFlowRevision(db, ctx.registry, tenantId, flow, given.source);
        if (saved.changed)
          await auditTask(ctx, db, tenantId, origin, {
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
      const deleted = await withTransaction(ctx.pool, async (db) => {
        const before = (
          await db.query(
            "select revision, source from flows where tenant_id = $1 and namespace = $2 and id = $3 and not deleted",
            [tenantId, namespace, id],
          )
        ).rows[0] as { revision: number; source: string } | undefined;
        if (!before) return false;
        await deleteStoredFlow(db, ctx.registry, tenantId, namespace, id);
        await auditTask(ctx, db, tenantId, origin, {
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
