// Whether to offer writing tenant blueprints: a hint for the UI only (the server checks BLUEPRINT:* on
// every call). Custom roles may grant it, so they get the buttons and the server's answer.
import { BUILT_IN_ROLE_GRANTS, type BuiltInRole } from "@/server/access/permissions";

export function mayWriteBlueprints(roles: string[]): boolean {
  return roles.some((role) => {
    const grants = BUILT_IN_ROLE_GRANTS[role as BuiltInRole];
    return grants ? grants.has("BLUEPRINT:CREATE") : true;
  });
}
