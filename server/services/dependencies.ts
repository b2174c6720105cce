// Which flows start which: a flow calls another through a Subflow or ForEachItem task (FLOW_TASK), and a flow
// is started by another through a Flow trigger whose conditions (ExecutionFlow, also inside Or and
// MultipleCondition), preconditions (`flows:`, and `where:` filters naming a namespace and a flow id) or
// Kestra 2.0's `dependsOn` entries name the upstream flow (FLOW_TRIGGER). The answer has Kestra's shape (FlowTopologyGraph: nodes with a uid,
// edges from source to target with a relation type), edges always pointing the way executions go.
//
// Only flows the caller may read appear; a reference to a flow that does not exist (or is deleted, or
// unreadable) is left out, as Kestra does. References written as expressions (`{{ ... }}`) cannot be
// resolved before a run and are left out too.
import { type Flow, forEachTask, loadFlow } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import { filterAllows, namespaceWhere } from "../access/authorize";
import { NotFoundError } from "./errors";
import { listFilter, type ServiceScope } from "./scope";

export type RelationType = "FLOW_TASK" | "FLOW_TRIGGER";

export interface DependencyNode {
  uid: string;
  namespace: string;
  id: string;
}

export interface DependencyEdge {
  /** uid of the flow whose execution comes first (the caller, or the upstream of a trigger). */
  source: string;
  target: string;
  relation: { relationType: RelationType };
}

export interface DependencyGraph {
  nodes: DependencyNode[];
  edges: DependencyEdge[];
}

interface Reference {
  namespace: string;
  id: string;
}

/** A flow's reference to another, before we know whether that one exists. */
export interface FlowLink {
  source: Reference;
  target: Reference;
  relationType: RelationType;
}

export const uidOf = (ref: Reference) => `${ref.namespace}_${ref.id}`;

const literal = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0 && !value.includes("{{");

function conditionUpstreams(
  conditions: unknown,
  registry: PluginRegistry,
  out: Reference[],
  negated = false,
): void {
  if (!Array.isArray(conditions)) return;
  for (const condition of conditions as Record<string, unknown>[]) {
    const type = registry.get(String(condition?.type ?? ""))?.type;
    if (type === "core.condition.ExecutionFlow" && !negated) {
      if (literal(condition.namespace) && literal(condition.flowId))
        out.push({ namespace: condition.namespace, id: condition.flowId });
    } else if (type === "core.condition.Or" || type === "core.condition.MultipleCondition") {
      const nested = condition.conditions;
      conditionUpstreams(
        Array.isArray(nested) ? nested : Object.values((nested as object | undefined) ?? {}),
        registry,
        out,
        negated,
      );
    }
  }
}

function preconditionUpstreams(preconditions: unknown, out: Reference[]): void {
  if (!preconditions || typeof preconditions !== "object") return;
  const { flows, where } = preconditions as { flows?: unknown; where?: unknown };
  if (Array.isArray(flows))
    for (const f of flows as Record<string, unknown>[])
      if (literal(f?.namespace) && literal(f?.flowId)) out.push({ namespace: f.namespace, id: f.flowId });
  if (Array.isArray(where))
    for (const group of where as { filters?: { field?: string; type?: string; value?: unknown }[] }[]) {
      const equal = (field: string) =>
        group.filters?.find((f) => f.field === field && (f.type ?? "EQUAL_TO") === "EQUAL_TO")?.value;
      const namespace = equal("NAMESPACE");
      const id = equal("FLOW_ID");
      if (literal(namespace) && literal(id)) out.push({ namespace, id });
    }
}

/** Kestra 2.0's `dependsOn` entries that name both a namespace and a flow id. */
function dependsOnUpstreams(dependsOn: unknown, out: Reference[]): void {
  if (!Array.isArray(dependsOn)) return;
  for (const d of dependsOn as Record<string, unknown>[])
    if (literal(d?.namespace) && literal(d?.flowId)) out.push({ namespace: d.namespace, id: d.flowId });
}

/** Every reference a flow makes, to flows it calls and to flows whose executions trigger it. */
export function flowLinks(flow: Flow, registry: PluginRegistry): FlowLink[] {
  const self = { namespace: flow.namespace, id: flow.id };
  const links: FlowLink[] = [];
  forEachTask(flow, registry, ({ task }) => {
    const type = registry.get(task.type)?.type;
    if (type !== "core.flow.Subflow" && type !== "core.flow.ForEachItem") return;
    const namespace = task.namespace;
    const id = task.flowId;
    if (literal(namespace) && literal(id))
      links.push({ source: self, target: { namespace, id }, relationType: "FLOW_TASK" });
  });
  for (const trigger of flow.triggers) {
    if (registry.get(trigger.type)?.type !== "core.trigger.Flow") continue;
    const upstreams: Reference[] = [];
    conditionUpstreams(trigger.conditions, registry, upstreams);
    preconditionUpstreams(trigger.preconditions, upstreams);
    dependsOnUpstreams(trigger.dependsOn, upstreams);
    for (const upstream of upstreams)
      links.push({ source: upstream, target: self, relationType: "FLOW_TRIGGER" });
  }
  return links;
}

/** The graph of `links` among `flows` (links to flows not in the list are dropped), without duplicates. */
export function dependencyGraph(flows: Reference[], links: FlowLink[]): DependencyGraph {
  const known = new Map(flows.map((f) => [uidOf(f), f]));
  const edges = new Map<string, DependencyEdge>();
  for (const link of links) {
    const source = uidOf(link.source);
    const target = uidOf(link.target);
    if (!known.has(source) || !known.has(target) || source === target) continue;
    edges.set(`${source}\n${target}\n${link.relationType}`, {
      source,
      target,
      relation: { relationType: link.relationType },
    });
  }
  const used = new Set([...edges.values()].flatMap((e) => [e.source, e.target]));
  const nodes = [...used]
    .map((uid) => known.get(uid) as Reference)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id))
    .map((f) => ({ uid: uidOf(f), namespace: f.namespace, id: f.id }));
  return { nodes, edges: [...edges.values()] };
}

/** The part of `graph` connected to `start`: its direct neighbours, or (expandAll) everything reachable. */
export function neighbourhood(graph: DependencyGraph, start: string[], expandAll: boolean): DependencyGraph {
  const reached = new Set(start);
  let frontier = [...start];
  const edges = new Set<DependencyEdge>();
  while (frontier.length) {
    const next: string[] = [];
    for (const edge of graph.edges) {
      const from = frontier.includes(edge.source)
        ? edge.target
        : frontier.includes(edge.target)
          ? edge.source
          : null;
      if (from === null) continue;
      edges.add(edge);
      if (!reached.has(from)) {
        reached.add(from);
        next.push(from);
      }
    }
    frontier = expandAll ? next : [];
  }
  // Without expandAll, the edges among the neighbours themselves are shown too (they are on the page).
  const kept = graph.edges.filter((e) => edges.has(e) || (reached.has(e.source) && reached.has(e.target)));
  return { nodes: graph.nodes.filter((n) => reached.has(n.uid)), edges: kept };
}

let registry: PluginRegistry | undefined;
const plugins = () => {
  registry ??= builtInRegistry();
  return registry;
};

/** The graph among every current flow of the tenant the caller may read. */
async function tenantGraph(scope: ServiceScope): Promise<DependencyGraph> {
  const filter = listFilter(scope, "FLOW", "READ");
  const rows = await scope.db.flow.findMany({
    where: { AND: [namespaceWhere(filter), { deleted: false }] },
    select: { namespace: true, id: true, source: true },
  });
  const readable = rows.filter((row) => filterAllows(filter, row.namespace));
  const links: FlowLink[] = [];
  for (const row of readable) {
    try {
      const flow = loadFlow(row.source, { registry: plugins() }).flow;
      if (flow) links.push(...flowLinks(flow, plugins()));
    } catch {
      // A stored flow that no longer validates (a plugin removed since) still has its node, without links.
    }
  }
  return dependencyGraph(readable, links);
}

/** Kestra's GET /flows/{namespace}/{id}/dependencies. */
export async function flowDependencies(
  scope: ServiceScope,
  namespace: string,
  id: string,
  options: { expandAll?: boolean } = {},
): Promise<DependencyGraph> {
  const exists = await scope.db.flow.findFirst({
    where: { namespace, id, deleted: false },
    select: { id: true },
  });
  if (!exists) throw new NotFoundError(`Flow ${namespace}.${id} not found.`);
  const graph = await tenantGraph(scope);
  return neighbourhood(graph, [uidOf({ namespace, id })], options.expandAll ?? false);
}

/** Kestra's GET /namespaces/{namespace}/dependencies: the flows of a namespace (and its children) and
 * every flow they call or are triggered by. */
export async function namespaceDependencies(
  scope: ServiceScope,
  namespace: string,
): Promise<DependencyGraph> {
  const graph = await tenantGraph(scope);
  const inside = (ns: string) => ns === namespace || ns.startsWith(`${namespace}.`);
  const start = graph.nodes.filter((n) => inside(n.namespace)).map((n) => n.uid);
  return neighbourhood(graph, start, false);
}
