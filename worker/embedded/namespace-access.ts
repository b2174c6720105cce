import {
  type NamespaceAccess,
  type NamespaceIsolation,
  openNamespaceAccess,
  reaches,
} from "../namespace-access";
import type { Queryable } from "./db";

/**
 * The namespace boundaries of a tenant as the server stores them: the tenant's `namespaceIsolation`
 * setting (`strict` when unset, or `fallback` when given) and each namespace's `allowed_namespaces`.
 * Read on every check, so a change applies to the next task without restarting anything.
 */
export function databaseNamespaceAccess(
  db: Queryable,
  tenantId: string,
  fallback: NamespaceIsolation = "strict",
): NamespaceAccess {
  return {
    async allows(from, target) {
      if (from === target || from.startsWith(`${target}.`)) return true;
      const result = await db.query(
        `select (select settings->>'namespaceIsolation' from tenants where id = $1) as isolation,
                (select allowed_namespaces from namespaces where tenant_id = $1 and name = $2) as allowed`,
        [tenantId, target],
      );
      const row = result.rows[0] as { isolation: string | null; allowed: string[] | null } | undefined;
      const isolation = row?.isolation ?? fallback;
      if (isolation === "open") return openNamespaceAccess.allows(from, target);
      return reaches(from, target, row?.allowed ?? []);
    },
  };
}
