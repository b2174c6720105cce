// A namespace's key-value store (the kv() function and the core.kv tasks read and write the same rows).
// Expired entries read as absent, as in the engine.
import { parseDuration } from "@/engine/util/duration";
import { BadRequestError, ConflictError, NotFoundError } from "./errors";
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

export const KV_TYPES: readonly KvType[] = [
  "STRING",
  "NUMBER",
  "BOOLEAN",
  "DATETIME",
  "DATE",
  "DURATION",
  "JSON",
];

/**
 * A value typed in a form (text) as the value of its type, as Kestra's UI sends it: a number, a boolean,
 * an ISO-8601 date-time (normalised to UTC), a date (YYYY-MM-DD), an ISO-8601 duration, or any JSON.
 * Anything that is not of its type is refused with a message saying what was expected.
 */
export function parseKvText(type: KvType, text: string): unknown {
  const bad = (expected: string) =>
    new BadRequestError(`A ${type} value must be ${expected}; got '${text}'.`);
  const trimmed = text.trim();
  switch (type) {
    case "STRING":
      return text;
    case "NUMBER": {
      const value = Number(trimmed);
      if (trimmed === "" || !Number.isFinite(value)) throw bad("a number, like 42 or 3.14");
      return value;
    }
    case "BOOLEAN":
      if (trimmed === "true" || trimmed === "false") return trimmed === "true";
      throw bad("true or false");
    case "DATETIME": {
      const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
      const date = new Date(trimmed);
      if (!iso.test(trimmed) || Number.isNaN(date.getTime()))
        throw bad("an ISO-8601 date and time with its offset, like 2026-12-06T10:00:00Z");
      return date.toISOString();
    }
    case "DATE": {
      const date = new Date(`${trimmed}T00:00:00Z`);
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ||
        Number.isNaN(date.getTime()) ||
        date.toISOString().slice(0, 10) !== trimmed
      )
        throw bad("a date, like 2026-12-06");
      return trimmed;
    }
    case "DURATION":
      if (parseDuration(trimmed) === undefined) throw bad("an ISO-8601 duration, like PT1H30M or P2D");
      return trimmed.toUpperCase();
    case "JSON":
      try {
        return JSON.parse(text);
      } catch {
        throw bad('JSON, like {"a": 1} or [1, 2]');
      }
  }
}

/** A TTL written as an ISO-8601 duration, in milliseconds. */
export function parseTtl(text: string): number {
  const ms = parseDuration(text.trim());
  if (ms === undefined || ms <= 0)
    throw new BadRequestError(`A TTL must be a positive ISO-8601 duration, like PT1H or P7D; got '${text}'.`);
  return ms;
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
