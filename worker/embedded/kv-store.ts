import type { KvStore } from "@/engine/plugin";
import type { Queryable } from "./db";

/** The KV store of one tenant in the kv_entries table; expired entries read as absent and are purged later. */
export function databaseKvStore(db: Queryable, tenantId: string, now: () => Date): KvStore {
  return {
    async get(namespace, key) {
      const result = await db.query(
        `select value, expires_at from kv_entries where tenant_id = $1 and namespace = $2 and key = $3
           and (expires_at is null or expires_at > $4)`,
        [tenantId, namespace, key, now()],
      );
      const row = result.rows[0] as { value: unknown; expires_at: Date | null } | undefined;
      if (!row) return undefined;
      return { value: row.value, ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}) };
    },
    async set(namespace, key, value, options = {}) {
      const expiresAt = options.ttlMs !== undefined ? new Date(now().getTime() + options.ttlMs) : null;
      const result = await db.query(
        `insert into kv_entries (tenant_id, namespace, key, value, type, description, expires_at, updated_at)
         values ($1, $2, $3, $4::jsonb, $5, $6, $7, now())
         on conflict (tenant_id, namespace, key) do update set value = excluded.value, type = excluded.type,
           description = excluded.description, expires_at = excluded.expires_at, updated_at = now()
         where $8 or (kv_entries.expires_at is not null and kv_entries.expires_at <= $9)`,
        [
          tenantId,
          namespace,
          key,
          JSON.stringify(value ?? null),
          options.type ?? null,
          options.description ?? null,
          expiresAt,
          options.overwrite !== false,
          now(),
        ],
      );
      if ((result.rowCount ?? 0) === 0)
        throw new Error(`key '${key}' already exists in namespace ${namespace}`);
    },
    async delete(namespace, key) {
      const result = await db.query(
        `delete from kv_entries where tenant_id = $1 and namespace = $2 and key = $3 returning (expires_at is null or expires_at > $4) as live`,
        [tenantId, namespace, key, now()],
      );
      return (result.rows[0] as { live: boolean } | undefined)?.live === true;
    },
    async list(namespace, prefix = "") {
      const result = await db.query(
        `select key from kv_entries where tenant_id = $1 and namespace = $2 and starts_with(key, $3)
           and (expires_at is null or expires_at > $4) order by key`,
        [tenantId, namespace, prefix, now()],
      );
      return result.rows.map((row) => (row as { key: string }).key);
    },
  };
}
