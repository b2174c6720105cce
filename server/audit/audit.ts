// The audit log: one row per change made through the UI or the API (flows, execution operations,
// members, invitations, groups, roles, bindings, tokens, service accounts, secrets, KV, settings), written
// in the same transaction as the change when there is one. Never holds a secret value or a hash.

import type { AuthorizedPrincipal, Principal } from "../access/authorize";
import type { TenantDb } from "../access/tenant-db";

export type AuditActorType = "USER" | "SERVICE_ACCOUNT" | "WEBHOOK" | "SYSTEM";

export interface AuditActor {
  type: AuditActorType;
  id?: string;
  name?: string;
  ip?: string;
}

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string;
  namespace?: string;
  before?: unknown;
  after?: unknown;
}

export function actorOf(principal: Principal | AuthorizedPrincipal, ip?: string): AuditActor {
  return {
    type: principal.kind === "user" ? "USER" : "SERVICE_ACCOUNT",
    id: principal.id,
    name: principal.name,
    ...(ip ? { ip } : {}),
  };
}

/** Keys that never go into the audit log, whatever the resource. */
const NEVER = new Set([
  "hash",
  "passwordHash",
  "tokenHash",
  "ciphertext",
  "iv",
  "authTag",
  "token",
  "password",
]);

/** A JSON-safe copy without the keys above (and without `value` for secrets). */
export function auditValue(value: unknown, resourceType?: string): unknown {
  if (value === undefined) return undefined;
  const drop = resourceType === "SECRET" ? new Set([...NEVER, "value"]) : NEVER;
  return JSON.parse(
    JSON.stringify(value, (key, item) =>
      drop.has(key) ? undefined : typeof item === "bigint" ? String(item) : item,
    ),
  );
}

function row(actor: AuditActor, entry: AuditEntry) {
  return {
    actorType: actor.type,
    actorId: actor.id ?? null,
    actorName: actor.name ?? null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    namespace: entry.namespace ?? null,
    before: auditValue(entry.before, entry.resourceType) ?? null,
    after: auditValue(entry.after, entry.resourceType) ?? null,
    ip: actor.ip ?? null,
  };
}

/** The `data` of an audit_logs row, for a Prisma create. */
export function auditRecord(tenantId: string, actor: AuditActor, entry: AuditEntry) {
  const data = row(actor, entry);
  return {
    ...data,
    tenantId,
    before: data.before === null ? undefined : (data.before as object),
    after: data.after === null ? undefined : (data.after as object),
  };
}

/** Writes an entry through a tenant-scoped client (inside the change's transaction when given one). */
export async function writeAudit(db: TenantDb, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({ data: auditRecord(db.tenantId, actor, entry) });
}

/** Top-level keys whose values differ between before and after (what the UI highlights). */
export function changedKeys(before: unknown, after: unknown): string[] {
  const a = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const b = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .sort();
}
