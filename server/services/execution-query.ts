// The executions list's filter as SQL, shared by the list (keyset pages), its chart, its "changed since"
// poll, the bulk operations "by query" and the dashboard. Raw SQL rather than Prisma because the list
// needs row-value keyset comparisons, date_trunc in the viewer's time zone and percentile_cont, which
// Prisma cannot express; the tenant is always the first condition, bound from the scope, never from input,
// and the principal's namespace filter is always the second.
import type { ExecutionKind } from "@/engine/executor";
import type { NamespaceFilter } from "../access/authorize";
import type { ExecutionState } from "./executions";
import { listFilter, type ServiceScope } from "./scope";

export interface ExecutionFilter {
  /** This namespace and its children. */
  namespace?: string;
  flowId?: string;
  states?: ExecutionState[];
  labels?: { key: string; value: string }[];
  /** start_date >= from */
  from?: Date;
  /** start_date < to */
  to?: Date;
  /** The trigger's type, canonical or Kestra's (`Schedule`, `core.trigger.Schedule`...): matched on its last segment. */
  triggerType?: string;
  /** Subflow executions of this execution. */
  parentId?: string;
  /**
   * Kestra's execution kind: NORMAL (stored as null) or one of the others. Unset: every kind but LOOP, as
   * Kestra's list hides a Loop's iterations (they are reached from their loop, by id, or by this filter).
   */
  kind?: ExecutionKindFilter;
}

/** What the `kind` filter accepts: Kestra's NORMAL (no kind) and the stored kinds. */
export type ExecutionKindFilter = "NORMAL" | ExecutionKind;

/** The SQL condition on the `kind` column for a filter's kind (unset: all but LOOP). */
export function kindCondition(sql: Sql, column: string, kind: ExecutionKindFilter | undefined): string {
  if (kind === undefined) return `${column} is distinct from 'LOOP'`;
  if (kind === "NORMAL") return `${column} is null`;
  return `${column} = ${sql.param(kind)}`;
}

/** `like` pattern matching `text` literally. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A WHERE clause and its parameters, built up condition by condition. */
export class Sql {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];

  /** Adds a parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  get clause(): string {
    return this.conditions.length ? `where ${this.conditions.join(" and ")}` : "";
  }
}

function namespaceCondition(sql: Sql, column: string, prefix: string): string {
  return `(${column} = ${sql.param(prefix)} or ${column} like ${sql.param(`${likeLiteral(prefix)}.%`)})`;
}

/** The tenant, what the principal may read, and the person's filter, on the `executions` table (alias e). */
export function executionWhere(
  tenantId: string,
  access: NamespaceFilter,
  filter: ExecutionFilter,
  alias = "e",
  /** false on the stats tables, which have no `kind` (they count no LOOP execution). */
  hasKind = true,
): Sql {
  const sql = new Sql();
  const col = (name: string) => `${alias}.${name}`;
  sql.where(`${col("tenant_id")} = ${sql.param(tenantId)}`);
  if (!access.all)
    sql.where(`(${access.prefixes.map((p) => namespaceCondition(sql, col("namespace"), p)).join(" or ")})`);
  if (filter.namespace) sql.where(namespaceCondition(sql, col("namespace"), filter.namespace));
  if (filter.flowId) sql.where(`${col("flow_id")} = ${sql.param(filter.flowId)}`);
  if (filter.states?.length) sql.where(`${col("state")} = any(${sql.param(filter.states)}::state[])`);
  for (const label of filter.labels ?? [])
    sql.where(`${col("labels")} @> ${sql.param(JSON.stringify([label]))}::jsonb`);
  if (filter.from) sql.where(`${col("start_date")} >= ${sql.param(filter.from)}`);
  if (filter.to) sql.where(`${col("start_date")} < ${sql.param(filter.to)}`);
  if (filter.triggerType) {
    const last = filter.triggerType.split(".").pop() ?? filter.triggerType;
    sql.where(
      `(${col("trigger")}->>'type' = ${sql.param(last)} or ${col("trigger")}->>'type' like ${sql.param(`%.${likeLiteral(last)}`)})`,
    );
  }
  if (filter.parentId) sql.where(`${col("parent_id")} = ${sql.param(filter.parentId)}`);
  if (hasKind) sql.where(kindCondition(sql, col("kind"), filter.kind));
  return sql;
}

/** executionWhere for the scope's tenant and what its principal may READ. */
export function scopedExecutionWhere(
  scope: ServiceScope,
  filter: ExecutionFilter,
  alias = "e",
  hasKind = true,
): Sql {
  return executionWhere(scope.tenant.id, listFilter(scope, "EXECUTION", "READ"), filter, alias, hasKind);
}

/** Runs a read query on the engine's pool (the scope's tenant is in `sql`). */
export async function readRows<T>(scope: ServiceScope, text: string, params: unknown[]): Promise<T[]> {
  const engine = await scope.engine();
  const result = await engine.ctx.pool.query(text, params);
  return result.rows as T[];
}
