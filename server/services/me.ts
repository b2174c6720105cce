// What the caller is and may do in the scope's tenant (GET /me, the UI's menus).
import { ACTIONS, NAMESPACED_PERMISSIONS, PERMISSIONS } from "../access/permissions";
import type { ServiceScope } from "./scope";

export interface AccessDescription {
  principal: { kind: string; id: string; name: string; via: string };
  tenant: { id: string; slug: string; name: string };
  grants: { role: string; namespace: string | null; permissions: string[] }[];
}

export function describeAccess(scope: ServiceScope): AccessDescription {
  const grants = scope.principal.access.get(scope.tenant.id) ?? [];
  const order = PERMISSIONS.flatMap((p) => ACTIONS.map((a) => `${p}:${a}`));
  return {
    principal: {
      kind: scope.principal.kind,
      id: scope.principal.id,
      name: scope.principal.name,
      via: scope.principal.via,
    },
    tenant: scope.tenant,
    grants: grants.map((grant) => ({
      role: grant.role,
      namespace: grant.namespace,
      // A namespace binding gives only the namespaced permissions.
      permissions: order.filter(
        (g) =>
          grant.grants.has(g) &&
          (grant.namespace === null || NAMESPACED_PERMISSIONS.has(g.split(":")[0] as never)),
      ),
    })),
  };
}
