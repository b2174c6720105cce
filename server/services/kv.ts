// A namespace's key-value store (the kv() function and the core.kv tasks read and write the same rows).
// Expired entries read as absent, as in the engine.
import { ConflictError, NotFoundError } from "./errors";
import { audit, check, type ServiceScope } from "./scope";

export type KvType = "STRING" | "NUMBER" | "BOOLEAN" | "DATETIME" | "DATE" | "DURATION" | "JSON";

export interface KvEntryJson {
  key: string;
  type: string | null;
  description: string | null;
  expirationDate: string | null;
  creationDate: string;
  updateDate: string;
}

/** Kestra's type of a JSON value. */
export function kvTypeOf(value: unknown): KvType {
  if (typeof value === "string") return "STRING";
  if (typeof value === "number") return "NUMBER";
  if (typeof value === "boolean") return "BOOLEAN";
  return "JSON";
}

const live = (now: Date) => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

/** Small values go into the audit log as they are; big ones by size only. */
function auditedValue(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= 2048 ? value : `<${text.length} bytes>`;
}

export async function listKv(scope: ServiceScope, namespace: string): Promise<KvEntryJson[]> {
  check(scope, "KVSTORE", "READ", namespace);
  const rows = await scope.db.kvEntry.findMany({
    where: { namespace, ...live(scope.now()) },
    orderBy: { key: "asc" },
  });
  return rows.map((row) => ({
    key: row.key,
    type: row.type,
    description: row.description,
    expirationDate: row.expiresAt?.toISOString() ?? null,
    creationDate: row.createdAt.toISOString(),
    updateDate: row.updatedAt.toISOString(),
  }));
}

export async function getKv(
  scope: ServiceScope,
  namespace: string,
  key: string,
): Promise<{ type: string; value: unknown }> {
  check(scope, "KVSTORE", "READ", namespace);
  const row = await scope.db.kvEntry.findFirst({ where: { namespace, key, ...live(scope.now()) } });
  if (!row) throw new NotFoundError(`No key '${key}' in namespace ${namespace}.`);
  return { type: row.type ?? kvTypeOf(row.value), value: row.value };
}

export async function setKv(
  scope: ServiceScope,
  namespace: string,
  key: string,
  value: unknown,
  options: { type?: KvType; ttlMs?: number; description?: string; overwrite?: boolean } = {},
): Promise<KvEntryJson> {
  const now = scope.now();
  const existing = await scope.db.kvEntry.findFirst({ where: { namespace, key, ...live(now) } });
  check(scope, "KVSTORE", existing ? "UPDATE" : "CREATE", namespace);
  if (existing && options.overwrite === false)
    throw new ConflictError(`Key '${key}' already exists in namespace ${namespace}.`);
  const data = {
    value: (value ?? null) as object,
    type: options.type ?? kvTypeOf(value),
    description: options.description ?? null,
    expiresAt: options.ttlMs !== undefined ? new Date(now.getTime() + options.ttlMs) : null,
  };
  const saved = await scope.db.$transaction(async (tx) => {
    // Namespaces appear as they are used, as when a flow is saved in one.
    await tx.namespace.upsert({
      where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
      create: { tenantId: scope.tenant.id, name: namespace },
      update: {},
    });
    const entry = await tx.kvEntry.upsert({
      where: { tenantId_namespace_key: { tenantId: scope.tenant.id, namespace, key } },
      create: { tenantId: scope.tenant.id, namespace, key, ...data },
      update: data,
    });
    await audit(
      scope,
      {
        action: existing ? "UPDATE" : "CREATE",
        resourceType: "KVSTORE",
        resourceId: key,
        namespace,
        before: existing ? { type: existing.type, value: auditedValue(existing.value) } : undefined,
        after: {
          type: data.type,
          value: auditedValue(value),
          expirationDate: data.expiresAt?.toISOString() ?? null,
        },
      },
      tx,
    );
    return entry;
  });
  return {
    key: saved.key,
    type: saved.type,
    description: saved.description,
    expirationDate: saved.expiresAt?.toISOString() ?? null,
    creationDate: saved.createdAt.toISOString(),
    updateDate: saved.updatedAt.toISOString(),
  };
}

export async function deleteKv(scope: ServiceScope, namespace: string, key: string): Promise<void> {
  check(scope, "KVSTORE", "DELETE", namespace);
  const existing = await scope.db.kvEntry.findFirst({ where: { namespace, key, ...live(scope.now()) } });
  if (!existing) throw new NotFoundError(`No key '${key}' in namespace ${namespace}.`);
  await scope.db.$transaction(async (tx) => {
    await tx.kvEntry.delete({
      where: { tenantId_namespace_key: { tenantId: scope.tenant.id, namespace, key } },
    });
    await audit(
      scope,
      {
        action: "DELETE",
        resourceType: "KVSTORE",
        resourceId: key,
        namespace,
        before: { type: existing.type },
      },
      tx,
    );
  });
}
