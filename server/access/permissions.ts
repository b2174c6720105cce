// What can be done in a tenant: permissions (kinds of resource) × actions (ARCHITECTURE §5), and the
// built-in roles. The table in README "Roles" is this file in prose; test/access/rbac-matrix.test.ts
// checks every cell of it against authorize().

export const PERMISSIONS = [
  "FLOW",
  "EXECUTION",
  "NAMESPACE",
  "KVSTORE",
  "SECRET",
  "USER",
  "ROLE",
  "BINDING",
  "APITOKEN",
  "SERVICE_ACCOUNT",
  "AUDITLOG",
  "BLUEPRINT",
  "SETTING",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ACTIONS = ["CREATE", "READ", "UPDATE", "DELETE"] as const;
export type Action = (typeof ACTIONS)[number];

/** `FLOW:READ` */
export type Grant = `${Permission}:${Action}`;

/**
 * Permissions on things that live in a namespace: a binding on namespace `a.b` gives them on `a.b` and
 * its children. The others are about the tenant as a whole and only tenant-wide bindings give them.
 */
export const NAMESPACED_PERMISSIONS: ReadonlySet<Permission> = new Set([
  "FLOW",
  "EXECUTION",
  "NAMESPACE",
  "KVSTORE",
  "SECRET",
]);

export const BUILT_IN_ROLES = ["Admin", "Editor", "Launcher", "Viewer"] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

const all = (permission: Permission): Grant[] => ACTIONS.map((action) => `${permission}:${action}` as const);
const read = (...permissions: Permission[]): Grant[] => permissions.map((p) => `${p}:READ` as const);

/**
 * - Admin: everything.
 * - Editor: writes flows and everything flows use (namespaces, KV, secrets, blueprints) and operates
 *   executions; sees who is in the team; cannot change the team, roles, tokens of others or settings,
 *   nor read the audit log.
 * - Launcher: reads flows and what they use; runs executions and operates them (kill, pause, resume,
 *   restart, replay, backfills), cannot delete them nor change flows.
 * - Viewer: reads flows, executions and logs, namespaces, KV, secret names and blueprints.
 * Secret values are never readable by anyone: SECRET:READ lists names.
 */
export const BUILT_IN_ROLE_GRANTS: Record<BuiltInRole, ReadonlySet<Grant>> = {
  Admin: new Set(PERMISSIONS.flatMap(all)),
  Editor: new Set([
    ...all("FLOW"),
    ...all("EXECUTION"),
    ...all("NAMESPACE"),
    ...all("KVSTORE"),
    ...all("SECRET"),
    ...all("BLUEPRINT"),
    ...read("USER", "ROLE", "BINDING", "SERVICE_ACCOUNT"),
  ]),
  Launcher: new Set([
    ...read("FLOW", "NAMESPACE", "KVSTORE", "SECRET", "BLUEPRINT"),
    "EXECUTION:CREATE",
    "EXECUTION:READ",
    "EXECUTION:UPDATE",
  ]),
  Viewer: new Set(read("FLOW", "EXECUTION", "NAMESPACE", "KVSTORE", "SECRET", "BLUEPRINT")),
};

export const ROLE_DESCRIPTIONS: Record<BuiltInRole, string> = {
  Admin: "Everything, including the team, roles, bindings, tokens, settings and the audit log.",
  Editor:
    "Writes flows, namespaces, KV and secrets, and runs and operates executions; reads the team. No team changes, settings or audit log.",
  Launcher: "Reads flows; runs, kills, pauses, resumes, restarts and replays executions and backfills.",
  Viewer: "Reads flows, executions, logs, namespaces, KV and secret names.",
};

export function isBuiltInRole(name: string): name is BuiltInRole {
  return (BUILT_IN_ROLES as readonly string[]).includes(name);
}

export function isGrant(value: string): value is Grant {
  const [permission, action, extra] = value.split(":");
  return (
    extra === undefined &&
    (PERMISSIONS as readonly string[]).includes(permission ?? "") &&
    (ACTIONS as readonly string[]).includes(action ?? "")
  );
}

/** `a.b` covers `a.b` and `a.b.c`, not `a.bc` nor `a`; a tenant-wide grant (null) covers everything. */
export function namespaceCovers(granted: string | null, target: string): boolean {
  return granted === null || target === granted || target.startsWith(`${granted}.`);
}
