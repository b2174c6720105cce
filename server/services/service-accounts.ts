// Service accounts: non-human principals of one tenant (CI, other systems). No password, no UI: they act
// through API tokens, with the roles bound to them.
import { ConflictError, NotFoundError } from "./errors";
import { audit, type ServiceScope } from "./scope";

export interface ServiceAccountJson {
  id: string;
  name: string;
  description: string | null;
  created: string;
}

const json = (row: {
  id: string;
  name: string;
  description: string | null;
  createdAt: Date;
}): ServiceAccountJson => ({
  id: row.id,
  name: row.name,
  description: row.description,
  created: row.createdAt.toISOString(),
});

export const SERVICE_ACCOUNT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export async function listServiceAccounts(scope: ServiceScope): Promise<ServiceAccountJson[]> {
  return (await scope.db.serviceAccount.findMany({ orderBy: { name: "asc" } })).map(json);
}

export async function createServiceAccount(
  scope: ServiceScope,
  request: { name: string; description?: string },
): Promise<ServiceAccountJson> {
  if (await scope.db.serviceAccount.findFirst({ where: { name: request.name } }))
    throw new ConflictError(`A service account named ${request.name} exists already.`);
  return scope.db.$transaction(async (tx) => {
    const row = await tx.serviceAccount.create({
      data: { tenantId: scope.tenant.id, name: request.name, description: request.description ?? null },
    });
    await audit(
      scope,
      { action: "CREATE", resourceType: "SERVICE_ACCOUNT", resourceId: row.id, after: json(row) },
      tx,
    );
    return json(row);
  });
}

export async function deleteServiceAccount(scope: ServiceScope, serviceAccountId: string): Promise<void> {
  const row = await scope.db.serviceAccount.findUnique({ where: { id: serviceAccountId } });
  if (!row) throw new NotFoundError(`Service account ${serviceAccountId} not found.`);
  await scope.db.$transaction(async (tx) => {
    // Its tokens and bindings go with it (foreign keys cascade).
    await tx.serviceAccount.delete({ where: { id: serviceAccountId } });
    await audit(
      scope,
      { action: "DELETE", resourceType: "SERVICE_ACCOUNT", resourceId: serviceAccountId, before: json(row) },
      tx,
    );
  });
}
