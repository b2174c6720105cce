// The one authorization function. Every tRPC procedure, REST handler, SSE stream and webhook goes
// through a service, and every service calls authorize() (or namespaceFilter() for lists) before it
// reads or writes anything of a tenant.
import { ForbiddenError, NotFoundError } from "../services/errors";
import { type Action, NAMESPACED_PERMISSIONS, namespaceCovers, type Permission } from "./permissions";

/** A role given on the tenant (namespace null) or on a namespace and its children. */
export interface AccessGrant {
  /** `FLOW:READ`... */
  grants: ReadonlySet<string>;
  namespace: string | null;
  /** For messages and the `me` endpoint: the role's name. */
  role: string;
}

export interface TenantRef {
  id: string;
  slug: string;
  name: string;
}

/** Who is calling: a person (session or their token) or a service account (its token). */
export interface Principal {
  kind: "user" | "service-account";
  id: string;
  /** Email of a user, name of a service account. */
  name: string;
  via: "session" | "token";
  /** The API token used, if any. */
  tokenId?: string;
  /** The tenant the token is valid in (tokens belong to one tenant). */
  tokenTenantId?: string;
}

/** A principal with what it may do in the tenants resolved for this request. */
export interface AuthorizedPrincipal extends Principal {
  /** Tenant id -> the principal's grants there. A tenant absent from the map is one it cannot see. */
  access: ReadonlyMap<string, readonly AccessGrant[]>;
}

function label(permission: Permission, action: Action, namespace?: string): string {
  return `${permission}:${action}${namespace !== undefined ? ` on namespace ${namespace}` : ""}`;
}

/** Who lacks a right, as a refusal names them. */
function lacking(principal: AuthorizedPrincipal): string {
  return principal.kind === "user" ? "You lack" : `Service account '${principal.name}' lacks`;
}

function grantsIn(principal: AuthorizedPrincipal, tenant: TenantRef): readonly AccessGrant[] {
  const grants = principal.access.get(tenant.id);
  // Not a member (or a token of another tenant): the tenant must look as if it did not exist.
  if (!grants) throw new NotFoundError(`Tenant '${tenant.slug}' not found.`);
  return grants;
}

/** Whether `principal` may do `action` on `permission` in the tenant (and namespace) — without throwing. */
export function can(
  principal: AuthorizedPrincipal,
  permission: Permission,
  action: Action,
  target: { tenant: TenantRef; namespace?: string },
): boolean {
  const grants = principal.access.get(target.tenant.id);
  if (!grants) return false;
  const wanted = `${permission}:${action}`;
  const namespaced = NAMESPACED_PERMISSIONS.has(permission);
  return grants.some(
    (grant) =>
      grant.grants.has(wanted) &&
      (grant.namespace === null ||
        (namespaced && target.namespace !== undefined && namespaceCovers(grant.namespace, target.namespace))),
  );
}

/**
 * Throws unless `principal` may do `action` on `permission` in `tenant` — on `namespace` (and so under
 * its parents' bindings) when given, else tenant-wide. 404 when the principal cannot see the tenant at
 * all, 403 when it can but lacks the right.
 */
export function authorize(
  principal: AuthorizedPrincipal,
  permission: Permission,
  action: Action,
  target: { tenant: TenantRef; namespace?: string },
): void {
  grantsIn(principal, target.tenant);
  if (!can(principal, permission, action, target)) {
    throw new ForbiddenError(
      `${lacking(principal)} ${label(permission, action, target.namespace)} in tenant '${target.tenant.slug}'.`,
    );
  }
}

/** Which namespaces a list may show: all of them, or those under these prefixes (each `ns` or `ns.*`). */
export type NamespaceFilter = { all: true } | { all: false; prefixes: string[] };

/**
 * For lists across namespaces: where the principal may do `action` on `permission`. Throws 403 when
 * that is nowhere (so an empty list always means "nothing there", never "nothing you may see").
 */
export function namespaceFilter(
  principal: AuthorizedPrincipal,
  permission: Permission,
  action: Action,
  tenant: TenantRef,
): NamespaceFilter {
  const grants = grantsIn(principal, tenant).filter((grant) => grant.grants.has(`${permission}:${action}`));
  if (grants.some((grant) => grant.namespace === null)) return { all: true };
  const prefixes = NAMESPACED_PERMISSIONS.has(permission)
    ? [...new Set(grants.map((grant) => grant.namespace as string))]
    : [];
  if (prefixes.length === 0)
    throw new ForbiddenError(
      `${lacking(principal)} ${label(permission, action)} in tenant '${tenant.slug}'.`,
    );
  return { all: false, prefixes };
}

export function filterAllows(filter: NamespaceFilter, namespace: string): boolean {
  return filter.all || filter.prefixes.some((prefix) => namespaceCovers(prefix, namespace));
}

/**
 * A value for Prisma's `startsWith` that matches literally: Prisma passes it to LIKE unescaped, and
 * namespaces may contain `_` (LIKE's any-character), so `a_b.` would also match `axb.`.
 */
export function literalPrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A Prisma `where` fragment: the `column` (namespace by default) is `namespace` or under it. */
export function namespaceOrChildren(namespace: string, column = "namespace"): Record<string, unknown> {
  return { OR: [{ [column]: namespace }, { [column]: { startsWith: literalPrefix(`${namespace}.`) } }] };
}

/** A Prisma `where` fragment on a namespace column for a filter. */
export function namespaceWhere(filter: NamespaceFilter, column = "namespace"): Record<string, unknown> {
  if (filter.all) return {};
  return { OR: filter.prefixes.map((prefix) => namespaceOrChildren(prefix, column)) };
}
