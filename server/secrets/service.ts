// Secrets of a namespace: set, list (names only), delete. Values are sealed with AES-256-GCM before they
// reach the database and are never returned by any API: only flows read them, through secret('NAME').

import { NotFoundError } from "../services/errors";
import { audit, check, type ServiceScope } from "../services/scope";
import { seal } from "./crypto";
import { namespaceAncestry } from "./engine";
import { configuredSecretKey } from "./key";

export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/;
export const MAX_SECRET_BYTES = 64 * 1024;

export interface SecretInfo {
  key: string;
  namespace: string;
  description: string | null;
  updated: string;
}

const info = (row: {
  name: string;
  namespace: string;
  description: string | null;
  updatedAt: Date;
}): SecretInfo => ({
  key: row.name,
  namespace: row.namespace,
  description: row.description,
  updated: row.updatedAt.toISOString(),
});

export async function listSecrets(scope: ServiceScope, namespace: string): Promise<SecretInfo[]> {
  check(scope, "SECRET", "READ", namespace);
  const rows = await scope.db.secret.findMany({
    where: { namespace },
    select: { name: true, namespace: true, description: true, updatedAt: true },
    orderBy: { name: "asc" },
  });
  return rows.map(info);
}

/** The names secret() sees from `namespace`: its own and its parents', the nearest first for each name. */
export async function inheritedSecrets(scope: ServiceScope, namespace: string): Promise<SecretInfo[]> {
  check(scope, "SECRET", "READ", namespace);
  const ancestry = namespaceAncestry(namespace);
  const rows = await scope.db.secret.findMany({
    where: { namespace: { in: ancestry } },
    select: { name: true, namespace: true, description: true, updatedAt: true },
  });
  const nearest = new Map<string, (typeof rows)[number]>();
  for (const row of rows.sort((a, b) => b.namespace.length - a.namespace.length))
    if (!nearest.has(row.name)) nearest.set(row.name, row);
  return [...nearest.values()].sort((a, b) => a.name.localeCompare(b.name)).map(info);
}

export async function setSecret(
  scope: ServiceScope,
  namespace: string,
  name: string,
  value: string,
  description?: string,
): Promise<SecretInfo> {
  const existing = await scope.db.secret.findUnique({
    where: { tenantId_namespace_name: { tenantId: scope.tenant.id, namespace, name } },
    select: { name: true, description: true },
  });
  check(scope, "SECRET", existing ? "UPDATE" : "CREATE", namespace);
  const sealed = seal(configuredSecretKey(), { tenantId: scope.tenant.id, namespace, name }, value);
  const saved = await scope.db.$transaction(async (tx) => {
    await tx.namespace.upsert({
      where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
      create: { tenantId: scope.tenant.id, name: namespace },
      update: {},
    });
    const row = await tx.secret.upsert({
      where: { tenantId_namespace_name: { tenantId: scope.tenant.id, namespace, name } },
      create: { tenantId: scope.tenant.id, namespace, name, ...sealed, description: description ?? null },
      update: { ...sealed, ...(description !== undefined ? { description } : {}) },
      select: { name: true, namespace: true, description: true, updatedAt: true },
    });
    await audit(
      scope,
      {
        action: existing ? "UPDATE" : "CREATE",
        resourceType: "SECRET",
        resourceId: name,
        namespace,
        before: existing ? { name, description: existing.description } : undefined,
        after: { name, description: row.description, valueChanged: true },
      },
      tx,
    );
    return row;
  });
  return info(saved);
}

export async function deleteSecret(scope: ServiceScope, namespace: string, name: string): Promise<void> {
  check(scope, "SECRET", "DELETE", namespace);
  const existing = await scope.db.secret.findUnique({
    where: { tenantId_namespace_name: { tenantId: scope.tenant.id, namespace, name } },
    select: { name: true },
  });
  if (!existing) throw new NotFoundError(`No secret '${name}' in namespace ${namespace}.`);
  await scope.db.$transaction(async (tx) => {
    await tx.secret.delete({
      where: { tenantId_namespace_name: { tenantId: scope.tenant.id, namespace, name } },
    });
    await audit(
      scope,
      { action: "DELETE", resourceType: "SECRET", resourceId: name, namespace, before: { name } },
      tx,
    );
  });
}
