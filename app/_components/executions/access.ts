// What the person may do where, from their grants (team.access): used to disable actions with a tooltip
// naming the permission and namespace. The server refuses regardless; this only spares a useless click.
export type Grants = readonly { namespace: string | null; permissions: readonly string[] }[];

function covers(granted: string | null, namespace: string | undefined): boolean {
  if (granted === null) return true;
  if (namespace === undefined) return false;
  return namespace === granted || namespace.startsWith(`${granted}.`);
}

/** Whether `grant` (e.g. EXECUTION:UPDATE) holds on `namespace` (tenant-wide when undefined). */
export function allowed(grants: Grants | undefined, grant: string, namespace?: string): boolean {
  return (grants ?? []).some((g) => g.permissions.includes(grant) && covers(g.namespace, namespace));
}

/** Whether `grant` holds anywhere (some namespace at least). */
export function allowedSomewhere(grants: Grants | undefined, grant: string): boolean {
  return (grants ?? []).some((g) => g.permissions.includes(grant));
}

/** The tooltip of a disabled action. */
export function needs(grant: string, namespaces: string[]): string {
  const list = [...new Set(namespaces)];
  return list.length
    ? `You need ${grant} on namespace ${list.slice(0, 3).join(", ")}${list.length > 3 ? "…" : ""}`
    : `You need ${grant} in this tenant`;
}
