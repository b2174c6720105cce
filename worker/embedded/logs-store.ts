import type { Execution, ExecutorLog } from "@/engine/executor";
import type { LogEntry } from "../logs";
import type { Queryable } from "./db";

/** Inserts log lines in one statement. */
export async function insertLogs(
  db: Queryable,
  tenantId: string,
  entries: readonly LogEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.query(insertLogsFrom("$1", "$2"), [tenantId, JSON.stringify(entries)]);
}

/** Inserts log entries given as a JSON array in `entries` (a parameter) for tenant `tenant`. */
export const insertLogsFrom = (tenant: string, entries: string, guard = "") =>
  `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_run_id, task_id, attempt_number, trigger_id, level, message, timestamp)
     select ${tenant}, x.namespace, x."flowId", x."executionId", x."taskRunId", x."taskId", x."attemptNumber", x."triggerId", x.level::log_level, x.message, x.timestamp
     from jsonb_to_recordset(${entries}::jsonb) as x(namespace text, "flowId" text, "executionId" text, "taskRunId" text, "taskId" text,
       "attemptNumber" int, "triggerId" text, level text, message text, timestamp timestamptz)
     ${guard}`;

export function executorLogEntry(execution: Execution, log: ExecutorLog): LogEntry {
  return {
    executionId: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    ...(log.taskId ? { taskId: log.taskId } : {}),
    ...(log.taskRunId ? { taskRunId: log.taskRunId } : {}),
    ...(log.attempt ? { attemptNumber: log.attempt } : {}),
    level: log.level,
    message: log.message,
    timestamp: log.timestamp,
  };
}

/** The ERROR logs of an execution, for errorLogs(). */
export async function errorLogsOf(db: Queryable, executionId: string): Promise<Record<string, unknown>[]> {
  const result = await db.query(
    `select task_id as "taskId", task_run_id as "taskRunId", attempt_number as "attemptNumber", level, message,
       timestamp, namespace, flow_id as "flowId", execution_id as "executionId"
     from log_entries where execution_id = $1 and level = 'ERROR' order by timestamp, id`,
    [executionId],
  );
  return result.rows.map((row) => ({ ...row, timestamp: (row.timestamp as Date).toISOString() }));
}
