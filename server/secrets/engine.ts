// The engine's view of the secrets: secret('NAME') for a flow in namespace `a.b.c` reads NAME from
// a.b.c, else a.b, else a; and every secret value of the tenant, which the engine masks as ****** in logs,
// outputs and errors before they are written.
import type { Queryable } from "@/worker/embedded/db";
import { open, type SecretKey } from "./crypto";

/** `a.b.c` -> [`a.b.c`, `a.b`, `a`]. */
export function namespaceAncestry(namespace: string): string[] {
  const parts = namespace.split(".");
  return parts.map((_, index) => parts.slice(0, parts.length - index).join("."));
}

interface Row {
  namespace: string;
  name: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_id: string;
}

const sealed = (row: Row) => ({
  ciphertext: new Uint8Array(row.ciphertext),
  iv: new Uint8Array(row.iv),
  authTag: new Uint8Array(row.auth_tag),
  keyId: row.key_id,
});

export function databaseSecrets(pool: Queryable, key: () => SecretKey, report?: (message: string) => void) {
  return {
    async secret(tenantId: string, namespace: string, name: string): Promise<string | undefined> {
      const result = await pool.query(
        `select namespace, name, ciphertext, iv, auth_tag, key_id from secrets
         where tenant_id = $1 and name = $2 and namespace = any($3::text[]) order by length(namespace) desc limit 1`,
        [tenantId, name, namespaceAncestry(namespace)],
      );
      const row = result.rows[0] as Row | undefined;
      return row
        ? open(key(), { tenantId, namespace: row.namespace, name: row.name }, sealed(row))
        : undefined;
    },
    async secretValues(db: Queryable, tenantId: string): Promise<string[]> {
      const result = await db.query(
        "select namespace, name, ciphertext, iv, auth_tag, key_id from secrets where tenant_id = $1",
        [tenantId],
      );
      const values: string[] = [];
      for (const row of result.rows as Row[]) {
        try {
          values.push(open(key(), { tenantId, namespace: row.namespace, name: row.name }, sealed(row)));
        } catch (error) {
          // Undecryptable here means unreadable by secret() too: it cannot reach a log, so nothing to mask.
          report?.(`secret ${row.namespace}/${row.name} of tenant ${tenantId}: ${(error as Error).message}`);
        }
      }
      return values;
    },
  };
}
