import type { Flow } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import type { Queryable } from "./db";
import { syncTriggerStates, triggerTypes } from "./trigger-states";

export interface SavedFlow {
  revision: number;
  /** False when the source is identical to the current revision (nothing was written). */
  changed: boolean;
}

/**
 * Stores a validated flow: its namespace, the flow row (current revision, trigger types) and a new revision
 * when the source changed; then brings the schedule states in line. Run it in a transaction.
 */
export async function saveFlowRevision(
  db: Queryable,
  registry: PluginRegistry,
  tenantId: string,
  flow: Flow,
  source: string,
  options: { authorId?: string; now?: Date } = {},
): Promise<SavedFlow> {
  // Two saves of one flow at once must not both create revision N: serialise them on the flow.
  await db.query("select pg_advisory_xact_lock(hashtextextended($1, 2))", [
    `${tenantId}/${flow.namespace}/${flow.id}`,
  ]);
  await db.query("insert into namespaces (tenant_id, name) values ($1, $2) on conflict do nothing", [
    tenantId,
    flow.namespace,
  ]);
  const current = (
    await db.query(
      "select revision, source, deleted from flows where tenant_id = $1 and namespace = $2 and id = $3 for update",
      [tenantId, flow.namespace, flow.id],
    )
  ).rows[0] as { revision: number; source: string; deleted: boolean } | undefined;
  if (current && current.source === source && !current.deleted)
    return { revision: current.revision, changed: false };
  const revision = (current?.revision ?? 0) + 1;
  const types = triggerTypes(flow, registry);
  await db.query(
    `insert into flows (tenant_id, namespace, id, revision, source, disabled, deleted, trigger_types, updated_at)
     values ($1, $2, $3, $4, $5, $6, false, $7, now())
     on conflict (tenant_id, namespace, id) do update set revision = excluded.revision, source = excluded.source,
       disabled = excluded.disabled, deleted = false, trigger_types = excluded.trigger_types, updated_at = now()`,
    [tenantId, flow.namespace, flow.id, revision, source, flow.disabled, types],
  );
  await db.query(
    "insert into flow_revisions (tenant_id, namespace, flow_id, revision, source, author_id) values ($1, $2, $3, $4, $5, $6)",
    [tenantId, flow.namespace, flow.id, revision, source, options.authorId ?? null],
  );
  await syncTriggerStates(
    db,
    registry,
    tenantId,
    { ...flow, revision },
    { namespace: flow.namespace, id: flow.id },
    options.now ?? new Date(),
  );
  return { revision, changed: true };
}

/** Soft-deletes a flow (its revisions and executions stay) and stops its schedules. */
export async function deleteFlow(
  db: Queryable,
  registry: PluginRegistry,
  tenantId: string,
  namespace: string,
  id: string,
): Promise<boolean> {
  const result = await db.query(
    "update flows set deleted = true, updated_at = now() where tenant_id = $1 and namespace = $2 and id = $3 and not deleted",
    [tenantId, namespace, id],
  );
  await syncTriggerStates(db, registry, tenantId, undefined, { namespace, id }, new Date());
  return (result.rowCount ?? 0) > 0;
}
