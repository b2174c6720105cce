// Namespaces: they appear by themselves as flows, KV entries and secrets are saved in them; they can
// also be created ahead (with a description) and deleted once empty.
import { filterAllows, namespaceWhere } from "../access/authorize";
import { ConflictError, NotFoundError } from "./errors";
import { audit, listFilter, type ServiceScope } from "./scope";

export interface NamespaceJson {
  id: string;
  description: string | null;
  /** Namespaces whose flows may reach this one, besides itself and its descendants (`*`: all). */
  allowedNamespaces: string[];
  created: string;
}

const json = (row: {
  name: string;
  description: string | null;
  allowedNamespaces: string[];
  createdAt: Date;
}): NamespaceJson => ({
  id: row.name,
  description: row.description,
  allowedNamespaces: row.allowedNamespaces,
  created: row.createdAt.toISOString(),
});

export async function listNamespaces(
  scope: ServiceScope,
  query: { q?: string } = {},
): Promise<NamespaceJson[]> {
  const filter = listFilter(scope, "NAMESPACE", "READ");
  const rows = await scope.db.namespace.findMany({
    where: {
      AND: [namespaceWhere(filter, "name"), query.q ? { name: { contains: query.q } } : {}],
    },
    orderBy: { name: "asc" },
  });
  return rows.filter((row) => filterAllows(filter, row.name)).map(json);
}

export async function getNamespace(scope: ServiceScope, namespace: string): Promise<NamespaceJson> {
  const row = await scope.db.namespace.findUnique({
    where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
  });
  if (!row) throw new NotFoundError(`Namespace ${namespace} not found.`);
  return json(row);
}

export async function createNamespace(
  scope: ServiceScope,
  namespace: string,
  description?: string,
): Promise<NamespaceJson> {
  const existing = await scope.db.namespace.findUnique({
    where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
  });
  if (existing) throw new ConflictError(`Namespace ${namespace} already exists.`);
  return scope.db.$transaction(async (tx) => {
    const row = await tx.namespace.create({
      data: { tenantId: scope.tenant.id, name: namespace, description: description ?? null },
    });
    await audit(
      scope,
      {
        action: "CREATE",
        resourceType: "NAMESPACE",
        resourceId: namespace,
        namespace,
        after: { description },
      },
      tx,
    );
    return json(row);
  });
}

export async function deleteNamespace(scope: ServiceScope, namespace: string): Promise<void> {
  const row = await scope.db.namespace.findUnique({
    where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
  });
  if (!row) throw new NotFoundError(`Namespace ${namespace} not found.`);
  const [flows, kv, secrets] = await Promise.all([
    scope.db.flow.count({ where: { namespace } }),
    scope.db.kvEntry.count({ where: { namespace } }),
    scope.db.secret.count({ where: { namespace } }),
  ]);
  if (flows + kv + secrets > 0)
    throw new ConflictError(
      `Namespace ${namespace} is not empty (${flows} flow(s), deleted ones included; ${kv} KV entr(ies); ${secrets} secret(s)).`,
    );
  await scope.db.$transaction(async (tx) => {
    await tx.namespace.delete({ where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } } });
    await audit(
      scope,
      {
        action: "DELETE",
        resourceType: "NAMESPACE",
        resourceId: namespace,
        namespace,
        before: { description: row.description },
      },
      tx,
    );
  });
}

/**
 * Sets which namespaces' flows may reach `namespace` (worker/namespace-access.ts): NAMESPACE:UPDATE
 * on the namespace being opened, since it is its data that others will read. Creates the namespace
 * row when it only existed through its flows, KV entries or secrets.
 */
export async function setAllowedNamespaces(
  scope: ServiceScope,
  namespace: string,
  allowedNamespaces: string[],
): Promise<NamespaceJson> {
  const allowed = [...new Set(allowedNamespaces)].sort();
  const where = { tenantId_name: { tenantId: scope.tenant.id, name: namespace } };
  return scope.db.$transaction(async (tx) => {
    const before = await tx.namespace.findUnique({ where });
    const row = await tx.namespace.upsert({
      where,
      create: { tenantId: scope.tenant.id, name: namespace, allowedNamespaces: allowed },
      update: { allowedNamespaces: allowed },
    });
    await audit(
      scope,
      {
        action: "UPDATE",
        resourceType: "NAMESPACE",
        resourceId: namespace,
        namespace,
        before: { allowedNamespaces: before?.allowedNamespaces ?? [] },
        after: { allowedNamespaces: allowed },
      },
      tx,
    );
    return json(row);
  });
}
