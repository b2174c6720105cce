import { executionStoragePrefix, type FileStorage } from "@/engine/plugin";
import type { Db } from "./db";

export interface PurgeResult {
  executions: number;
  logs: number;
  kvEntries: number;
  failedJobs: number;
  /** Files of purged executions removed from the internal storage. */
  files: number;
}

/**
 * Retention: ended executions (with their task runs, logs and internal-storage files), stray logs, expired KV entries and permanently
 * failed queue rows older than `olderThan` go away, so no table grows without bound (Kestra's most reported
 * problem is its ever-growing queues table). Deletes in batches to keep transactions short.
 */
export async function purgeOlderThan(
  pool: Db,
  olderThan: Date,
  batch = 5_000,
  storage?: (tenantId: string) => FileStorage,
): Promise<PurgeResult> {
  const result: PurgeResult = { executions: 0, logs: 0, kvEntries: 0, failedJobs: 0, files: 0 };
  const repeat = async (sql: string, params: unknown[]) => {
    let total = 0;
    for (;;) {
      const deleted = (await pool.query(sql, params)).rowCount ?? 0;
      total += deleted;
      if (deleted < batch) return total;
    }
  };
  // Executions go batch by batch with their files in the internal storage (task outputs, uploads).
  for (;;) {
    const deleted = await pool.query(
      `delete from executions where id in (select id from executions where end_date < $1
         and state in ('SUCCESS','WARNING','FAILED','KILLED','CANCELLED','RETRIED','SKIPPED') limit $2)
       returning tenant_id, namespace, flow_id, id`,
      [olderThan, batch],
    );
    result.executions += deleted.rowCount ?? 0;
    if (storage) {
      for (const row of deleted.rows as {
        tenant_id: string;
        namespace: string;
        flow_id: string;
        id: string;
      }[]) {
        const files = storage(row.tenant_id);
        for (const uri of await files.list(executionStoragePrefix(row.namespace, row.flow_id, row.id)))
          if (await files.delete(uri)) result.files++;
      }
    }
    if ((deleted.rowCount ?? 0) < batch) break;
  }
  result.logs = await repeat(
    "delete from log_entries where id in (select id from log_entries where timestamp < $1 limit $2)",
    [olderThan, batch],
  );
  result.kvEntries = await repeat(
    "delete from kv_entries where ctid in (select ctid from kv_entries where expires_at < now() limit $1)",
    [batch],
  );
  result.failedJobs = await repeat(
    `delete from graphile_worker._private_jobs where id in (select id from graphile_worker._private_jobs
       where attempts >= max_attempts and locked_at is null and updated_at < $1 limit $2)`,
    [olderThan, batch],
  );
  return result;
}
