// What every tenant service function receives: the tenant, the authorized principal, a client that can
// only see this tenant, and the engine. Built once per request by tRPC's tenantProcedure and by the REST
// handler, from the same pieces (server/access).

import { maskValue, type Queryable } from "@/worker/embedded";
import {
  type AuthorizedPrincipal,
  authorize,
  type NamespaceFilter,
  namespaceFilter,
  type TenantRef,
} from "../access/authorize";
import type { Action, Permission } from "../access/permissions";
import { forTenant, type TenantDb } from "../access/tenant-db";
import { type AuditActor, type AuditEntry, actorOf, auditValue, writeAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { ServerEngine } from "../engine";

/** The tenant's own row (not a tenant-scoped model: reached only through this, bound to the scope's id). */
export interface TenantRecord {
  get(): Promise<{ id: string; slug: string; name: string; settings: unknown; createdAt: Date }>;
  update(data: {
    name?: string;
    settings?: object;
  }): Promise<{ id: string; slug: string; name: string; settings: unknown }>;
}

export interface ServiceScope {
  tenant: TenantRef;
  record: TenantRecord;
  principal: AuthorizedPrincipal;
  /** This tenant's rows only. */
  db: TenantDb;
  /** Client address, for the audit log. */
  ip?: string;
  engine(): Promise<ServerEngine>;
  now(): Date;
}

export function createScope(options: {
  db: PrismaClient;
  tenant: TenantRef;
  principal: AuthorizedPrincipal;
  ip?: string;
  engine: () => Promise<ServerEngine>;
  now?: () => Date;
}): ServiceScope {
  const id = options.tenant.id;
  return {
    tenant: options.tenant,
    record: {
      get: () => options.db.tenant.findUniqueOrThrow({ where: { id } }),
      update: (data) => options.db.tenant.update({ where: { id }, data }),
    },
    principal: options.principal,
    db: forTenant(options.db, options.tenant.id),
    ip: options.ip,
    engine: options.engine,
    now: options.now ?? (() => new Date()),
  };
}

/** authorize() in this scope's tenant. */
export function check(scope: ServiceScope, permission: Permission, action: Action, namespace?: string): void {
  authorize(scope.principal, permission, action, {
    tenant: scope.tenant,
    ...(namespace !== undefined ? { namespace } : {}),
  });
}

export function listFilter(scope: ServiceScope, permission: Permission, action: Action): NamespaceFilter {
  return namespaceFilter(scope.principal, permission, action, scope.tenant);
}

/**
 * The SQL of a tenant transaction, as the engine's SQL stores take it (saveFlowRevision...): the same
 * connection as the transaction's models and audit entry.
 */
export function sqlIn(tx: TenantDb): Queryable {
  if (!tx.$sql) throw new Error("sqlIn(): call it with the client of a $transaction");
  return tx.$sql as unknown as Queryable;
}

export function actor(scope: ServiceScope): AuditActor {
  return actorOf(scope.principal, scope.ip);
}

/**
 * Writes an audit entry for this scope's principal (through `db`, a transaction when given one), with
 * the tenant's secret values masked in what it copies (a label, a KV value, inputs...). Fails closed:
 * when the secrets cannot be loaded to mask them, the entry (and the change it records) is not written.
 */
export async function audit(scope: ServiceScope, entry: AuditEntry, db: TenantDb = scope.db): Promise<void> {
  const engine = await scope.engine();
  const mask = await engine.ctx.masker(engine.ctx.pool, scope.tenant.id);
  const masked = mask
    ? {
        ...entry,
        ...(entry.before !== undefined
          ? { before: maskValue(auditValue(entry.before, entry.resourceType), mask) }
          : {}),
        ...(entry.after !== undefined
          ? { after: maskValue(auditValue(entry.after, entry.resourceType), mask) }
          : {}),
      }
    : entry;
  return writeAudit(db, actor(scope), masked);
}

/** Page parameters shared by the lists: 1-based page, size at most 200. */
export interface Page {
  page: number;
  size: number;
}

export function paging(page: Page): { skip: number; take: number } {
  return { skip: (page.page - 1) * page.size, take: page.size };
}

export interface Paged<T> {
  results: T[];
  total: number;
}
