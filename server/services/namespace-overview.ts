// The console's view of namespaces: the tree of the tenant (every namespace with a row — created ahead, or
// by a flow, a KV entry or a secret saved in it — plus the parents they imply, `a` for `a.b.c`), and one
// namespace's overview: its flows and how many of its executions are in each state.
import { can, filterAllows, namespaceWhere } from "../access/authorize";
import { listFilter, type ServiceScope } from "./scope";

export interface NamespaceNode {
  id: string;
  description: string | null;
  /** False for a parent only implied by its children. */
  stored: boolean;
  /** Current flows directly in it. */
  flowCount: number;
}

/** Every namespace the caller may read, with their parents, sorted so that parents come first. */
export async function namespaceTree(scope: ServiceScope): Promise<NamespaceNode[]> {
  const filter = listFilter(scope, "NAMESPACE", "READ");
  const flowFilter = listFilter(scope, "FLOW", "READ");
  const [rows, counts] = await Promise.all([
    scope.db.namespace.findMany({ where: namespaceWhere(filter, "name"), orderBy: { name: "asc" } }),
    scope.db.flow.groupBy({
      by: ["namespace"],
      where: { AND: [namespaceWhere(flowFilter), { deleted: false }] },
      _count: { _all: true },
    }),
  ]);
  const flows = new Map(
    counts.filter((c) => filterAllows(flowFilter, c.namespace)).map((c) => [c.namespace, c._count._all]),
  );
  const nodes = new Map<string, NamespaceNode>();
  for (const row of rows) {
    if (!filterAllows(filter, row.name)) continue;
    nodes.set(row.name, {
      id: row.name,
      description: row.description,
      stored: true,
      flowCount: flows.get(row.name) ?? 0,
    });
  }
  for (const name of [...nodes.keys()]) {
    const parts = name.split(".");
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(".");
      if (!nodes.has(parent))
        nodes.set(parent, { id: parent, description: null, stored: false, flowCount: 0 });
    }
  }
  return [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export interface NamespaceOverview {
  namespace: string;
  description: string | null;
  flows: { id: string; namespace: string; revision: number; disabled: boolean; updated: string }[];
  /** State -> count, for executions of flows of this namespace; null when the caller may not read them. */
  executions: Record<string, number> | null;
  may: { kv: boolean; secrets: boolean; writeKv: boolean; writeSecrets: boolean; flows: boolean };
}

export async function namespaceOverview(scope: ServiceScope, namespace: string): Promise<NamespaceOverview> {
  const target = { tenant: scope.tenant, namespace };
  const allowed = (permission: Parameters<typeof can>[1], action: Parameters<typeof can>[2]) =>
    can(scope.principal, permission, action, target);
  const [row, flows, states] = await Promise.all([
    scope.db.namespace.findUnique({
      where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
    }),
    allowed("FLOW", "READ")
      ? scope.db.flow.findMany({ where: { namespace, deleted: false }, orderBy: { id: "asc" } })
      : Promise.resolve([]),
    allowed("EXECUTION", "READ")
      ? scope.db.execution.groupBy({ by: ["state"], where: { namespace }, _count: { _all: true } })
      : Promise.resolve(null),
  ]);
  return {
    namespace,
    description: row?.description ?? null,
    flows: flows.map((f) => ({
      id: f.id,
      namespace: f.namespace,
      revision: f.revision,
      disabled: f.disabled,
      updated: f.updatedAt.toISOString(),
    })),
    executions: states ? Object.fromEntries(states.map((s) => [s.state, s._count._all])) : null,
    may: {
      flows: allowed("FLOW", "READ"),
      kv: allowed("KVSTORE", "READ"),
      secrets: allowed("SECRET", "READ"),
      writeKv: allowed("KVSTORE", "CREATE") || allowed("KVSTORE", "UPDATE"),
      writeSecrets: allowed("SECRET", "CREATE") || allowed("SECRET", "UPDATE"),
    },
  };
}
