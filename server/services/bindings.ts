// Role bindings: a built-in or custom role given to a user, group or service account, on the whole
// tenant or on a namespace and its children. A tenant always keeps at least one tenant-wide Admin user.

import { isBuiltInRole } from "../access/permissions";
import type { TenantDb } from "../access/tenant-db";
import { ConflictError, NotFoundError, UnprocessableError } from "./errors";
import { audit, type ServiceScope } from "./scope";

export type SubjectType = "USER" | "GROUP" | "SERVICE_ACCOUNT";

export interface BindingJson {
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  subjectName: string;
  role: string;
  builtIn: boolean;
  roleId: string | null;
  namespace: string | null;
  created: string;
}

const include = {
  user: { select: { email: true } },
  group: { select: { name: true } },
  serviceAccount: { select: { name: true } },
  role: { select: { name: true } },
} as const;

type BindingRow = Awaited<ReturnType<TenantDb["binding"]["findFirstOrThrow"]>> & {
  user: { email: string } | null;
  group: { name: string } | null;
  serviceAccount: { name: string } | null;
  role: { name: string } | null;
};

export function bindingJson(row: BindingRow): BindingJson {
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: (row.userId ?? row.groupId ?? row.serviceAccountId) as string,
    subjectName: row.user?.email ?? row.group?.name ?? row.serviceAccount?.name ?? "?",
    role: row.builtInRole ?? row.role?.name ?? "?",
    builtIn: row.builtInRole !== null,
    roleId: row.roleId,
    namespace: row.namespace,
    created: row.createdAt.toISOString(),
  };
}

export async function listBindings(
  scope: ServiceScope,
  query: { subjectType?: SubjectType; subjectId?: string } = {},
): Promise<BindingJson[]> {
  const rows = await scope.db.binding.findMany({
    where: {
      ...(query.subjectType ? { subjectType: query.subjectType } : {}),
      ...(query.subjectId
        ? {
            OR: [
              { userId: query.subjectId },
              { groupId: query.subjectId },
              { serviceAccountId: query.subjectId },
            ],
          }
        : {}),
    },
    include,
    orderBy: { createdAt: "asc" },
  });
  return rows.map(bindingJson);
}

/** A role by built-in name, custom role name or custom role id. */
export async function resolveRole(
  db: TenantDb,
  role: string,
): Promise<{ builtInRole: string | null; roleId: string | null }> {
  if (isBuiltInRole(role)) return { builtInRole: role, roleId: null };
  const custom = await db.role.findFirst({
    where: { OR: [{ id: role }, { name: role }] },
    select: { id: true },
  });
  if (!custom)
    throw new UnprocessableError(
      `No role '${role}': use Admin, Editor, Launcher, Viewer or a custom role of this tenant.`,
    );
  return { builtInRole: null, roleId: custom.id };
}

/** Checks that the subject belongs to this tenant. */
async function subjectColumns(db: TenantDb, type: SubjectType, id: string) {
  if (type === "USER") {
    const member = await db.membership.findFirst({ where: { userId: id } });
    if (!member) throw new UnprocessableError(`User ${id} is not a member of this tenant.`);
    return { userId: id };
  }
  if (type === "GROUP") {
    if (!(await db.group.findFirst({ where: { id } })))
      throw new UnprocessableError(`No group ${id} in this tenant.`);
    return { groupId: id };
  }
  if (!(await db.serviceAccount.findFirst({ where: { id } })))
    throw new UnprocessableError(`No service account ${id} in this tenant.`);
  return { serviceAccountId: id };
}

export async function createBinding(
  scope: ServiceScope,
  request: { subjectType: SubjectType; subjectId: string; role: string; namespace?: string | null },
  db: TenantDb = scope.db,
): Promise<BindingJson> {
  const role = await resolveRole(db, request.role);
  const subject = await subjectColumns(db, request.subjectType, request.subjectId);
  const namespace = request.namespace ?? null;
  const duplicate = await db.binding.findFirst({ where: { ...subject, ...role, namespace } });
  if (duplicate) throw new ConflictError("This binding exists already.");
  return db.$transaction(async (tx) => {
    const row = await tx.binding.create({
      data: { tenantId: scope.tenant.id, subjectType: request.subjectType, ...subject, ...role, namespace },
      include,
    });
    const json = bindingJson(row);
    await audit(
      scope,
      {
        action: "CREATE",
        resourceType: "BINDING",
        resourceId: row.id,
        ...(namespace ? { namespace } : {}),
        after: json,
      },
      tx,
    );
    return json;
  });
}

/** Tenant-wide Admin bindings of users, except the given ones. */
export async function otherAdmins(
  db: TenantDb,
  except: { bindingIds?: string[]; userId?: string },
): Promise<number> {
  return db.binding.count({
    where: {
      builtInRole: "Admin",
      namespace: null,
      subjectType: "USER",
      ...(except.bindingIds?.length ? { id: { notIn: except.bindingIds } } : {}),
      ...(except.userId ? { NOT: { userId: except.userId } } : {}),
    },
  });
}

export async function deleteBinding(scope: ServiceScope, bindingId: string): Promise<void> {
  const row = await scope.db.binding.findUnique({ where: { id: bindingId }, include });
  if (!row) throw new NotFoundError(`Binding ${bindingId} not found.`);
  if (
    row.builtInRole === "Admin" &&
    row.namespace === null &&
    row.subjectType === "USER" &&
    (await otherAdmins(scope.db, { bindingIds: [row.id] })) === 0
  )
    throw new ConflictError("This is the tenant's last Admin: give Admin to someone else first.");
  await scope.db.$transaction(async (tx) => {
    await tx.binding.delete({ where: { id: bindingId } });
    await audit(
      scope,
      {
        action: "DELETE",
        resourceType: "BINDING",
        resourceId: bindingId,
        ...(row.namespace ? { namespace: row.namespace } : {}),
        before: bindingJson(row),
      },
      tx,
    );
  });
}
