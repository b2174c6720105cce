import { type Flow, loadFlow } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import type { Queryable } from "./db";

/** A flow revision that no longer validates (a plugin was removed, a rule got stricter). */
export class StoredFlowError extends Error {}

/**
 * Flows as the engine reads them: a revision is immutable, so parsed flows are cached by
 * (tenant, namespace, id, revision) for the life of the process.
 */
export class FlowStore {
  readonly #cache = new Map<string, Flow>();

  constructor(private readonly registry: PluginRegistry) {}

  parse(tenantId: string, source: string, revision: number): Flow {
    const { flow, errors } = loadFlow(source, { registry: this.registry });
    if (!flow) throw new StoredFlowError(errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("; "));
    return { ...flow, revision, tenantId };
  }

  /** A given revision of a flow. */
  async revision(
    db: Queryable,
    tenantId: string,
    namespace: string,
    flowId: string,
    revision: number,
  ): Promise<Flow> {
    const key = `${tenantId}\u0000${namespace}\u0000${flowId}\u0000${revision}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const result = await db.query(
      "select source from flow_revisions where tenant_id = $1 and namespace = $2 and flow_id = $3 and revision = $4",
      [tenantId, namespace, flowId, revision],
    );
    const source = (result.rows[0] as { source: string } | undefined)?.source;
    if (source === undefined)
      throw new StoredFlowError(`flow ${namespace}.${flowId} revision ${revision} not found`);
    const flow = this.parse(tenantId, source, revision);
    this.#cache.set(key, flow);
    return flow;
  }

  /** The revision an execution runs. */
  ofExecution(
    db: Queryable,
    tenantId: string,
    execution: { namespace: string; flowId: string; flowRevision: number },
  ): Promise<Flow> {
    return this.revision(db, tenantId, execution.namespace, execution.flowId, execution.flowRevision);
  }

  /** The current revision of a flow, or undefined when it does not exist or is deleted. */
  async current(
    db: Queryable,
    tenantId: string,
    namespace: string,
    flowId: string,
  ): Promise<Flow | undefined> {
    const result = await db.query(
      "select revision from flows where tenant_id = $1 and namespace = $2 and id = $3 and not deleted",
      [tenantId, namespace, flowId],
    );
    const row = result.rows[0] as { revision: number } | undefined;
    return row ? this.revision(db, tenantId, namespace, flowId, row.revision) : undefined;
  }

  /** Current flows of a tenant that have a trigger of the given canonical type. */
  async withTrigger(db: Queryable, tenantId: string, type: string): Promise<Flow[]> {
    const result = await db.query(
      "select namespace, id, revision from flows where tenant_id = $1 and not deleted and $2 = any(trigger_types)",
      [tenantId, type],
    );
    const flows: Flow[] = [];
    for (const row of result.rows as { namespace: string; id: string; revision: number }[]) {
      try {
        flows.push(await this.revision(db, tenantId, row.namespace, row.id, row.revision));
      } catch {
        // A stored flow that no longer validates cannot be triggered; deploying it again reports why.
      }
    }
    return flows;
  }
}
