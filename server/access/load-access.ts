// What a principal may do in one tenant: its bindings (direct, through its groups, or as a service
// account) turned into grants. Read once per request, then authorize() works on the result.
import type { PrismaClient } from "../db/client";
import { NotFoundError } from "../services/errors";
import type { AccessGrant, AuthorizedPrincipal, Principal, TenantRef } from "./authorize";
import { BUILT_IN_ROLE_GRANTS, isBuiltInRole, isGrant } from "./permissions";

interface BindingRow {
  namespace: string | null;
  builtInRole: string | null;
  role: { name: string; permissions: string[] } | null;
}

export function grantsOfBindings(bindings: readonly BindingRow[]): AccessGrant[] {
  return bindings.flatMap((binding): AccessGrant[] => {
    if (binding.builtInRole && isBuiltInRole(binding.builtInRole))
      return [
        {
          grants: BUILT_IN_ROLE_GRANTS[binding.builtInRole],
          namespace: binding.namespace,
          role: binding.builtInRole,
        },
      ];
    if (binding.role)
      return [
        {
          grants: new Set(binding.role.permissions.filter(isGrant)),
          namespace: binding.namespace,
          role: binding.role.name,
        },
      ];
    return [];
  });
}

/** The principal's grants in a tenant, or undefined when it cannot see that tenant at all. */
export async function grantsIn(
  db: PrismaClient,
  principal: Principal,
  tenantId: string,
): Promise<AccessGrant[] | undefined> {
  if (principal.tokenTenantId !== undefined && principal.tokenTenantId !== tenantId) return undefined;
  const select = {
    namespace: true,
    builtInRole: true,
    role: { select: { name: true, permissions: true } },
  } as const;
  if (principal.kind === "service-account") {
    const account = await db.serviceAccount.findFirst({
      where: { id: principal.id, tenantId },
      select: { id: true },
    });
    if (!account) return undefined;
    return grantsOfBindings(
      await db.binding.findMany({ where: { tenantId, serviceAccountId: principal.id }, select }),
    );
  }
  const member = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId, userId: principal.id } },
  });
  if (!member) return undefined;
  const groups = await db.groupMember.findMany({
    where: { tenantId, userId: principal.id },
    select: { groupId: true },
  });
  const bindings = await db.binding.findMany({
    where: {
      tenantId,
      OR: [
        { userId: principal.id },
        ...(groups.length > 0 ? [{ groupId: { in: groups.map((g) => g.groupId) } }] : []),
      ],
    },
    select,
  });
  return grantsOfBindings(bindings);
}

/** The tenant of `slug` and the principal with its grants there; 404 when it cannot see the tenant. */
export async function loadTenantAccess(
  db: PrismaClient,
  principal: Principal,
  slug: string,
): Promise<{ tenant: TenantRef; principal: AuthorizedPrincipal }> {
  const notFound = new NotFoundError(`Tenant '${slug}' not found.`);
  const tenant = /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)
    ? await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } })
    : null;
  if (!tenant) throw notFound;
  const grants = await grantsIn(db, principal, tenant.id);
  if (!grants) throw notFound;
  return { tenant, principal: { ...principal, access: new Map([[tenant.id, grants]]) } };
}
