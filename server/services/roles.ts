// Roles: the four built-in ones (fixed, defined in server/access/permissions.ts) and the tenant's custom
// roles, each a set of PERMISSION:ACTION grants.
import {
  ACTIONS,
  BUILT_IN_ROLE_GRANTS,
  BUILT_IN_ROLES,
  isBuiltInRole,
  isGrant,
  PERMISSIONS,
  ROLE_DESCRIPTIONS,
} from "../access/permissions";
import { ConflictError, NotFoundError, UnprocessableError } from "./errors";
import { audit, type ServiceScope } from "./scope";

export interface RoleJson {
  id: string;
  name: string;
  description: string | null;
  builtIn: boolean;
  permissions: string[];
}

const order = (grants: Iterable<string>) => {
  const rank = (grant: string) => {
    const [permission, action] = grant.split(":");
    return PERMISSIONS.indexOf(permission as never) * 10 + ACTIONS.indexOf(action as never);
  };
  return [...grants].sort((a, b) => rank(a) - rank(b));
};

export function builtInRoles(): RoleJson[] {
  return BUILT_IN_ROLES.map((name) => ({
    id: name,
    name,
    description: ROLE_DESCRIPTIONS[name],
    builtIn: true,
    permissions: order(BUILT_IN_ROLE_GRANTS[name]),
  }));
}

const json = (row: {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
}): RoleJson => ({
  id: row.id,
  name: row.name,
  description: row.description,
  builtIn: false,
  permissions: order(row.permissions),
});

function validPermissions(permissions: string[]): string[] {
  const wrong = permissions.filter((p) => !isGrant(p));
  if (wrong.length > 0)
    throw new UnprocessableError(
      `Unknown permission(s) ${wrong.join(", ")}: each is PERMISSION:ACTION with PERMISSION one of ${PERMISSIONS.join(", ")} and ACTION one of ${ACTIONS.join(", ")}.`,
    );
  return order(new Set(permissions));
}

export async function listRoles(scope: ServiceScope): Promise<RoleJson[]> {
  const custom = await scope.db.role.findMany({ orderBy: { name: "asc" } });
  return [...builtInRoles(), ...custom.map(json)];
}

export async function createRole(
  scope: ServiceScope,
  request: { name: string; description?: string; permissions: string[] },
): Promise<RoleJson> {
  if (isBuiltInRole(request.name)) throw new ConflictError(`${request.name} is a built-in role.`);
  const permissions = validPermissions(request.permissions);
  if (await scope.db.role.findFirst({ where: { name: request.name } }))
    throw new ConflictError(`A role named ${request.name} exists already.`);
  return scope.db.$transaction(async (tx) => {
    const row = await tx.role.create({
      data: {
        tenantId: scope.tenant.id,
        name: request.name,
        description: request.description ?? null,
        permissions,
      },
    });
    await audit(scope, { action: "CREATE", resourceType: "ROLE", resourceId: row.id, after: json(row) }, tx);
    return json(row);
  });
}

export async function updateRole(
  scope: ServiceScope,
  roleId: string,
  request: { name?: string; description?: string | null; permissions?: string[] },
): Promise<RoleJson> {
  if (isBuiltInRole(roleId)) throw new ConflictError(`${roleId} is a built-in role: it cannot be changed.`);
  const before = await scope.db.role.findUnique({ where: { id: roleId } });
  if (!before) throw new NotFoundError(`Role ${roleId} not found.`);
  if (request.name !== undefined && isBuiltInRole(request.name))
    throw new ConflictError(`${request.name} is a built-in role.`);
  const permissions = request.permissions ? validPermissions(request.permissions) : undefined;
  return scope.db.$transaction(async (tx) => {
    const row = await tx.role.update({
      where: { id: roleId },
      data: {
        ...(request.name !== undefined ? { name: request.name } : {}),
        ...(request.description !== undefined ? { description: request.description } : {}),
        ...(permissions ? { permissions } : {}),
      },
    });
    await audit(
      scope,
      { action: "UPDATE", resourceType: "ROLE", resourceId: roleId, before: json(before), after: json(row) },
      tx,
    );
    return json(row);
  });
}

export async function deleteRole(scope: ServiceScope, roleId: string): Promise<void> {
  if (isBuiltInRole(roleId)) throw new ConflictError(`${roleId} is a built-in role: it cannot be deleted.`);
  const before = await scope.db.role.findUnique({ where: { id: roleId } });
  if (!before) throw new NotFoundError(`Role ${roleId} not found.`);
  await scope.db.$transaction(async (tx) => {
    // Its bindings and pending invitations go with it (foreign keys cascade).
    await tx.role.delete({ where: { id: roleId } });
    await audit(
      scope,
      { action: "DELETE", resourceType: "ROLE", resourceId: roleId, before: json(before) },
      tx,
    );
  });
}
