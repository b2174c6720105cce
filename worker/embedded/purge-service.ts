import type { PurgeFilter, PurgeService } from "@/engine/plugin";
import type { EngineContext } from "./context";

/**
 * `$n`-numbered SQL for a PurgeFilter on a table with namespace, flow_id and a date column; `params` starts
 * with the tenant id as $1.
 */
function where(filter: PurgeFilter, dateColumn: string, params: unknown[]): string {
  const clauses = ["tenant_id = $1"];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.flowId !== undefined) {
    clauses.push(`namespace = ${add(filter.namespace ?? "")} and flow_id = ${add(filter.flowId)}`);
  } else if (filter.namespace) {
    const ns = add(filter.namespace);
    clauses.push(`(namespace = ${ns} or starts_with(namespace, ${ns} || '.'))`);
  }
  clauses.push(`${dateColumn} < ${add(filter.endDate)}`);
  if (filter.startDate) clauses.push(`${dateColumn} >= ${add(filter.startDate)}`);
  return clauses.join(" and ");
}

function logCondition(filter: PurgeFilter & { levels?: string[] }, params: unknown[]): string {
  let condition = where(filter, "timestamp", params);
  if (filter.levels?.length) {
    params.push(filter.levels);
    condition += ` and level = any($${params.length}::log_level[])`;
  }
  return condition;
}

/** Purging a tenant's executions and logs, for PurgeExecutions and PurgeLogs. Deletes in batches. */
export function databasePurgeService(ctx: EngineContext, tenantId: string, batch = 5_000): PurgeService {
  return {
    async logNamespaces(filter) {
      const params: unknown[] = [tenantId];
      const condition = logCondition(filter, params);
      const result = await ctx.pool.query(
        `select distinct namespace from log_entries where ${condition}`,
        params,
      );
      return result.rows.map((row) => row.namespace as string);
    },
    async deleteLogs(filter) {
      const params: unknown[] = [tenantId];
      const condition = logCondition(filter, params);
      params.push(batch);
      const sql = `delete from log_entries where id in (select id from log_entries where ${condition} limit $${params.length})`;
      let total = 0;
      for (;;) {
        const deleted = (await ctx.pool.query(sql, params)).rowCount ?? 0;
        total += deleted;
        if (deleted < batch) return total;
      }
    },
    async endedExecutions(filter, limit) {
      const params: unknown[] = [tenantId];
      let condition = `${where(filter, "end_date", params)} and end_date is not null`;
      if (filter.states?.length) {
        params.push(filter.states);
        condition += ` and state::text = any($${params.length}::text[])`;
      }
      if (filter.exclude) {
        params.push(filter.exclude);
        condition += ` and id <> $${params.length}`;
      }
      if (filter.after) {
        params.push(filter.after);
        condition += ` and id > $${params.length}`;
      }
      params.push(limit);
      const result = await ctx.pool.query(
        `select id, namespace, flow_id as "flowId", state::text as state from executions
         where ${condition} order by id limit $${params.length}`,
        params,
      );
      return result.rows as { id: string; namespace: string; flowId: string; state: string }[];
    },
    async deleteExecutionLogs(ids) {
      const result = await ctx.pool.query(
        "delete from log_entries where tenant_id = $1 and execution_id = any($2::text[])",
        [tenantId, ids],
      );
      return result.rowCount ?? 0;
    },
    async countExecutionMetrics(ids) {
      const result = await ctx.pool.query(
        `select coalesce(sum(jsonb_array_length(a->'metrics')), 0)::int as n
         from task_runs t cross join lateral jsonb_array_elements(t.attempts) a
         where t.execution_id = any($1::text[]) and jsonb_typeof(a->'metrics') = 'array'`,
        [ids],
      );
      return (result.rows[0] as { n: number }).n;
    },
    async deleteExecutions(ids) {
      const result = await ctx.pool.query(
        "delete from executions where tenant_id = $1 and id = any($2::text[]) and end_date is not null",
        [tenantId, ids],
      );
      return result.rowCount ?? 0;
    },
  };
}
