// Reading the audit log (AUDITLOG:READ), newest first, with filters.
import { check, type Page, type Paged, paging, type ServiceScope } from "../services/scope";
import { changedKeys } from "./audit";

export interface AuditLogJson {
  id: string;
  date: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  resourceType: string;
  resourceId: string | null;
  namespace: string | null;
  before: unknown;
  after: unknown;
  /** Top-level keys that differ between before and after. */
  changed: string[];
  ip: string | null;
}

export interface AuditSearch extends Page {
  resourceType?: string;
  resourceId?: string;
  action?: string;
  actorId?: string;
  namespace?: string;
  from?: Date;
  to?: Date;
}

export async function searchAuditLog(scope: ServiceScope, query: AuditSearch): Promise<Paged<AuditLogJson>> {
  check(scope, "AUDITLOG", "READ");
  const where = {
    ...(query.resourceType ? { resourceType: query.resourceType } : {}),
    ...(query.resourceId ? { resourceId: query.resourceId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.namespace ? { namespace: query.namespace } : {}),
    ...(query.from || query.to
      ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) } }
      : {}),
  };
  const [rows, total] = await Promise.all([
    scope.db.auditLog.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...paging(query) }),
    scope.db.auditLog.count({ where }),
  ]);
  return {
    results: rows.map((row) => ({
      id: row.id,
      date: row.createdAt.toISOString(),
      actor: { type: row.actorType, id: row.actorId, name: row.actorName },
      action: row.action,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
      namespace: row.namespace,
      before: row.before,
      after: row.after,
      changed: changedKeys(row.before, row.after),
      ip: row.ip,
    })),
    total,
  };
}
