// What the editor may offer inside `{{ }}` for one namespace: secret names for `secret('` and KV keys for
// `kv('` (names only, never values; each list empty when the person may not read it), and whether the
// person may save the flow (FLOW:UPDATE there) — the server refuses a save regardless.
import { can } from "../access/authorize";
import { inheritedSecrets } from "../secrets/service";
import { listKv } from "./kv";
import type { ServiceScope } from "./scope";

export interface EditorContext {
  secrets: string[];
  kvKeys: string[];
  canUpdate: boolean;
  canCreate: boolean;
  /** EXECUTION:CREATE: may run the flow. */
  canExecute: boolean;
  /** NAMESPACE:UPDATE: may change the namespace's files. */
  canEditFiles: boolean;
}

function allowed(
  scope: ServiceScope,
  permission: "SECRET" | "KVSTORE" | "FLOW" | "EXECUTION" | "NAMESPACE",
  action: "READ" | "UPDATE" | "CREATE",
  namespace: string,
) {
  return can(scope.principal, permission, action, { tenant: scope.tenant, namespace });
}

/** For one namespace; without one, only whether the person may create a flow in some namespace. */
export async function editorContext(scope: ServiceScope, namespace?: string): Promise<EditorContext> {
  if (namespace === undefined) {
    const grants = scope.principal.access.get(scope.tenant.id) ?? [];
    return {
      secrets: [],
      kvKeys: [],
      canUpdate: false,
      canCreate: grants.some((grant) => grant.grants.has("FLOW:CREATE")),
      canExecute: false,
      canEditFiles: false,
    };
  }
  const [secrets, kv] = await Promise.all([
    allowed(scope, "SECRET", "READ", namespace) ? inheritedSecrets(scope, namespace) : [],
    allowed(scope, "KVSTORE", "READ", namespace) ? listKv(scope, namespace) : [],
  ]);
  return {
    secrets: [...new Set(secrets.map((s) => s.key))].sort(),
    kvKeys: kv.map((entry) => entry.key),
    canUpdate: allowed(scope, "FLOW", "UPDATE", namespace),
    canCreate: allowed(scope, "FLOW", "CREATE", namespace),
    canExecute: allowed(scope, "EXECUTION", "CREATE", namespace),
    canEditFiles: allowed(scope, "NAMESPACE", "UPDATE", namespace),
  };
}
