import type { ExecutionService, LogReader, LogRecord, TriggerService } from "@/engine/plugin";
import { executionDetail } from "../execution-detail";
import { LEVEL_ORDER } from "../logs";
import { applyEvent } from "./apply";
import type { EngineContext } from "./context";
import type { Queryable } from "./db";
import { loadExecution } from "./execution-store";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;

/** The logs of a tenant's executions, for core.log.Fetch. */
export function databaseLogReader(ctx: EngineContext, tenantId: string): LogReader {
  return {
    async fetch({ executionId, taskIds, minLevel }) {
      const levels = LEVELS.filter((level) => LEVEL_ORDER[level] >= LEVEL_ORDER[minLevel ?? "TRACE"]);
      const result = await ctx.pool.query(
        `select execution_id as "executionId", namespace, flow_id as "flowId", task_id as "taskId", task_run_id as "taskRunId",
           attempt_number as "attemptNumber", level, message, timestamp
         from log_entries where tenant_id = $1 and execution_id = $2 and level = any($3::log_level[])
           and ($4::text[] is null or task_id = any($4::text[]))
         order by timestamp, id`,
        [tenantId, executionId, levels, taskIds?.length ? taskIds : null],
      );
      return result.rows.map((row) => ({
        ...row,
        taskId: row.taskId ?? undefined,
        taskRunId: row.taskRunId ?? undefined,
        attemptNumber: row.attemptNumber ?? undefined,
        timestamp: (row.timestamp as Date).toISOString(),
      })) as LogRecord[];
    },
  };
}

/** Counting and resuming a tenant's executions, for core.execution.Count and Resume. */
export function databaseExecutionService(ctx: EngineContext, tenantId: string): ExecutionService {
  return {
    async get(executionId) {
      const stored = await loadExecution(ctx.pool, executionId);
      if (!stored || stored.tenantId !== tenantId) return undefined;
      const { id, namespace, flowId } = stored.execution;
      return { id, namespace, flowId, state: stored.execution.state.current };
    },
    async detail(executionId) {
      const stored = await loadExecution(ctx.pool, executionId);
      if (!stored || stored.tenantId !== tenantId) return undefined;
      return executionDetail(stored.execution);
    },
    async countByFlow(filter) {
      const flows = filter.flows ?? [];
      const namespaces = filter.namespaces ?? [];
      const result = await ctx.pool.query(
        `with wanted as (
           select f.namespace, f."flowId" as flow_id from jsonb_to_recordset($2::jsonb) as f(namespace text, "flowId" text)
           union
           select namespace, id from flows where tenant_id = $1 and not deleted
             and exists (select 1 from unnest($3::text[]) p where namespace = p or starts_with(namespace, p || '.'))
         )
         select w.namespace, w.flow_id as "flowId", count(e.id)::int as count
         from wanted w left join executions e on e.tenant_id = $1 and e.namespace = w.namespace and e.flow_id = w.flow_id
           and e.start_date between $4 and $5 and ($6::text[] is null or e.state::text = any($6::text[]))
         group by w.namespace, w.flow_id order by w.namespace, w.flow_id`,
        [
          tenantId,
          JSON.stringify(flows.map((f) => ({ namespace: f.namespace, flowId: f.flowId }))),
          namespaces,
          filter.startDate,
          filter.endDate,
          filter.states?.length ? filter.states : null,
        ],
      );
      return result.rows as { namespace: string; flowId: string; count: number }[];
    },
    async resume(executionId, inputs) {
      const stored = await loadExecution(ctx.pool, executionId);
      if (!stored || stored.tenantId !== tenantId) throw new Error(`execution ${executionId} not found`);
      await applyEvent(ctx, executionId, { type: "resume", inputs });
    },
  };
}

/** Triggers disabled at run time (Toggle task, stopAfter), by `namespace/flowId/triggerId`. */
export async function disabledTriggers(db: Queryable, tenantId: string): Promise<Set<string>> {
  const result = await db.query(
    "select namespace, flow_id, trigger_id from trigger_states where tenant_id = $1 and disabled",
    [tenantId],
  );
  return new Set(result.rows.map((r) => `${r.namespace}/${r.flow_id}/${r.trigger_id}`));
}

/** Enabling and disabling triggers at run time (core.trigger.Toggle): a flag on the trigger's state row. */
export function databaseTriggerService(ctx: EngineContext, tenantId: string): TriggerService {
  return {
    async setEnabled(namespace, flowId, triggerId, enabled) {
      const flow = await ctx.flows.current(ctx.pool, tenantId, namespace, flowId);
      if (!flow) throw new Error(`flow ${namespace}.${flowId} not found`);
      if (!flow.triggers.some((t) => t.id === triggerId))
        throw new Error(`flow ${namespace}.${flowId} has no trigger '${triggerId}'`);
      await ctx.pool.query(
        `insert into trigger_states (tenant_id, namespace, flow_id, trigger_id, disabled, updated_at) values ($1, $2, $3, $4, $5, now())
         on conflict (tenant_id, namespace, flow_id, trigger_id) do update set disabled = excluded.disabled, updated_at = now()`,
        [tenantId, namespace, flowId, triggerId, !enabled],
      );
    },
  };
}
