// A Prisma client that can only see one tenant. Services get a TenantDb and nothing else: it exposes only
// the tenant-scoped models, and a query extension adds `tenantId` to every `where` and every `data`, so a
// query that forgets the tenant still cannot read or write another tenant's rows. Global tables (users,
// rate limits, the engine's own) are reached only from server/auth and server/access, deliberately.
import type { PrismaClient } from "../db/client";

/** Delegates of the models that carry tenant_id; a TenantDb has exactly these. */
export const TENANT_MODELS = [
  "namespace",
  "flow",
  "flowRevision",
  "execution",
  "taskRun",
  "logEntry",
  "triggerState",
  "kvEntry",
  "membership",
  "group",
  "groupMember",
  "serviceAccount",
  "role",
  "binding",
  "apiToken",
  "secret",
  "auditLog",
  "invitation",
  "tenantBlueprint",
] as const;
type TenantModel = (typeof TENANT_MODELS)[number];

/** Prisma model names (`FlowRevision`) of the delegates above. */
const SCOPED = new Set<string>(TENANT_MODELS.map((m) => m.charAt(0).toUpperCase() + m.slice(1)));

const WHERE_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
]);

export class TenantScopeError extends Error {
  override name = "TenantScopeError";
}

type Args = Record<string, unknown> | undefined;

function checkData(data: unknown, tenantId: string, model: string): Record<string, unknown> {
  const record = (data ?? {}) as Record<string, unknown>;
  if ("tenantId" in record && record.tenantId !== tenantId)
    throw new TenantScopeError(`${model}: a query scoped to one tenant tried to write another tenant's id`);
  if ("tenant" in record)
    throw new TenantScopeError(`${model}: set tenantId through the scoped client, not a tenant relation`);
  return record;
}

function scopeWhere(where: unknown, tenantId: string, model: string): Record<string, unknown> {
  const record = (where ?? {}) as Record<string, unknown>;
  if ("tenantId" in record && record.tenantId !== tenantId)
    throw new TenantScopeError(`${model}: a query scoped to one tenant asked for another tenant's rows`);
  return { ...record, tenantId };
}

/** The arguments of one operation with the tenant added; exported for tests. */
export function scopeArgs(model: string, operation: string, args: Args, tenantId: string): Args {
  const next: Record<string, unknown> = { ...(args ?? {}) };
  if (WHERE_OPERATIONS.has(operation)) {
    next.where = scopeWhere(next.where, tenantId, model);
    if ("data" in next) {
      const data = next.data;
      for (const item of Array.isArray(data) ? data : [data]) checkData(item, tenantId, model);
    }
    return next;
  }
  switch (operation) {
    case "create":
      next.data = { ...checkData(next.data, tenantId, model), tenantId };
      return next;
    case "createMany":
    case "createManyAndReturn": {
      const rows = Array.isArray(next.data) ? next.data : [next.data];
      next.data = rows.map((row) => ({ ...checkData(row, tenantId, model), tenantId }));
      return next;
    }
    case "upsert":
      next.where = scopeWhere(next.where, tenantId, model);
      next.create = { ...checkData(next.create, tenantId, model), tenantId };
      checkData(next.update, tenantId, model);
      return next;
    default:
      throw new TenantScopeError(`${model}.${operation} is not available on a tenant-scoped client`);
  }
}

function extend(db: PrismaClient, tenantId: string) {
  return db.$extends({
    name: `tenant:${tenantId}`,
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!SCOPED.has(model)) throw new TenantScopeError(`${model} is not a tenant-scoped model`);
          return query(scopeArgs(model, operation, args as Args, tenantId) as typeof args);
        },
      },
    },
  });
}

type Extended = ReturnType<typeof extend>;
type Delegates = { [K in TenantModel]: Extended[K] };

/**
 * SQL on the transaction's own connection, for the engine's stores that speak SQL (the flow store: its
 * advisory lock, revision numbering and trigger states). It exists only inside `$transaction`, so a
 * service's writes and its audit entry commit together on one connection: there is no second data path
 * through the engine's pool. Every statement those stores send names its tenant_id.
 */
export interface TenantSql {
  readonly tenantId: string;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
}

/** The models of one tenant, and transactions over them. */
export interface TenantDb extends Delegates {
  readonly tenantId: string;
  /** Inside `$transaction` only (undefined outside): SQL on the transaction's connection. */
  readonly $sql?: TenantSql;
  $transaction<T>(work: (tx: TenantDb) => Promise<T>, options?: { timeout?: number }): Promise<T>;
}

/** Statements that return no rows go through $executeRaw (the row count); the rest through $queryRaw. */
const NO_ROWS =
  /^\s*(?:(?:insert|update|delete)\b(?![\s\S]*\breturning\b)|select\s+pg_advisory_xact_lock\b)/i;

function sqlOf(tx: Extended, tenantId: string): TenantSql {
  return {
    tenantId,
    async query(text, values = []) {
      if (NO_ROWS.test(text)) return { rows: [], rowCount: await tx.$executeRawUnsafe(text, ...values) };
      const rows = (await tx.$queryRawUnsafe(text, ...values)) as Record<string, unknown>[];
      return { rows, rowCount: rows.length };
    },
  };
}

function wrap(client: Extended, tenantId: string, root: Extended | undefined): TenantDb {
  const scoped = { tenantId } as Record<string, unknown>;
  for (const model of TENANT_MODELS) scoped[model] = client[model];
  if (!root) scoped.$sql = sqlOf(client, tenantId);
  scoped.$transaction = root
    ? <T>(work: (tx: TenantDb) => Promise<T>, options?: { timeout?: number }) =>
        root.$transaction((tx) => work(wrap(tx as unknown as Extended, tenantId, undefined)), options)
    : // Already in a transaction: nested work joins it.
      <T>(work: (tx: TenantDb) => Promise<T>) => work(scoped as unknown as TenantDb);
  return scoped as unknown as TenantDb;
}

/** The tenant-scoped view of `db` for `tenantId`. */
export function forTenant(db: PrismaClient, tenantId: string): TenantDb {
  if (!tenantId) throw new TenantScopeError("forTenant needs a tenant id");
  const root = extend(db, tenantId);
  return wrap(root, tenantId, root);
}
