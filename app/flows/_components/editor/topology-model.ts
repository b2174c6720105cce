// The flow's graph (engine/graph, built by the server) as boxes to lay out and draw: tasks and triggers as
// cards, flowables as clusters around their children (with their start and end dots inside), collapsed
// clusters as one card, and the tasks removed since the saved revision as ghost cards.
import type { FlowGraph, GraphEdge, GraphNode, Relation } from "@/engine/graph";
import type { Change } from "./flow-doc";
import type { LayoutRequest } from "./layout";

export interface DrawNode {
  id: string;
  kind: GraphNode["kind"] | "cluster" | "collapsed" | "ghost";
  taskId?: string;
  type?: string;
  parent?: string;
  change?: Change;
  /** On clusters and collapsed clusters: how many tasks they hold. */
  size?: number;
}

export interface DrawEdge {
  id: string;
  source: string;
  target: string;
  relation: Relation;
  label?: string;
}

export interface DrawModel {
  nodes: DrawNode[];
  edges: DrawEdge[];
  request: Omit<LayoutRequest, "seq">;
}

const SIZE: Record<string, [number, number]> = {
  task: [190, 46],
  trigger: [190, 46],
  collapsed: [190, 46],
  ghost: [190, 46],
  start: [18, 18],
  end: [18, 18],
  "cluster-start": [12, 12],
  "cluster-end": [12, 12],
};

export function drawModel(
  graph: FlowGraph,
  options: { collapsed: ReadonlySet<string>; changes: ReadonlyMap<string, Change>; direction?: "LR" | "TB" },
): DrawModel {
  const clusters = new Map(graph.clusters.map((c) => [c.uid, c]));
  const clusterOfStartEnd = new Map<string, string>();
  for (const c of graph.clusters) {
    clusterOfStartEnd.set(c.start, c.uid);
    clusterOfStartEnd.set(c.end, c.uid);
  }
  const clusterOf = (node: GraphNode) => clusterOfStartEnd.get(node.uid) ?? node.cluster;
  // The outermost collapsed cluster holding a cluster or node, if any: everything inside folds into it.
  const foldedInto = (cluster: string | undefined): string | undefined => {
    let found: string | undefined;
    for (let at = cluster; at; at = clusters.get(at)?.parent) if (options.collapsed.has(at)) found = at;
    return found;
  };
  const nodes: DrawNode[] = [];
  const rename = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const node of graph.nodes) {
    const cluster = clusterOf(node);
    const folded = foldedInto(cluster);
    if (folded) {
      rename.set(node.uid, folded);
      if (node.kind === "task") counts.set(folded, (counts.get(folded) ?? 0) + 1);
      continue;
    }
    const change = node.taskId && node.kind !== "trigger" ? options.changes.get(node.taskId) : undefined;
    nodes.push({
      id: node.uid,
      kind: node.kind,
      ...(node.taskId ? { taskId: node.taskId } : {}),
      ...(node.type ? { type: node.type } : {}),
      ...(cluster ? { parent: cluster } : {}),
      ...(change ? { change } : {}),
    });
  }
  for (const c of graph.clusters) {
    const outer = foldedInto(c.parent);
    if (outer) continue;
    const parent = c.parent ? { parent: c.parent } : {};
    const change = options.changes.get(c.taskId);
    if (options.collapsed.has(c.uid))
      nodes.push({
        id: c.uid,
        kind: "collapsed",
        taskId: c.taskId,
        type: c.type,
        size: counts.get(c.uid) ?? 0,
        ...parent,
        ...(change ? { change } : {}),
      });
    else
      nodes.push({
        id: c.uid,
        kind: "cluster",
        taskId: c.taskId,
        type: c.type,
        ...parent,
        ...(change ? { change } : {}),
      });
  }
  for (const [taskId, change] of options.changes)
    if (change === "removed") nodes.push({ id: `$ghost.${taskId}`, kind: "ghost", taskId, change });

  const seen = new Set<string>();
  const edges: DrawEdge[] = [];
  graph.edges.forEach((edge: GraphEdge) => {
    const source = rename.get(edge.source) ?? edge.source;
    const target = rename.get(edge.target) ?? edge.target;
    const key = `${source}>${target}`;
    if (source === target || seen.has(key)) return;
    seen.add(key);
    edges.push({
      id: key,
      source,
      target,
      relation: edge.relation,
      ...(edge.label ? { label: edge.label } : {}),
    });
  });

  return {
    nodes,
    edges,
    request: {
      direction: options.direction ?? "LR",
      nodes: nodes.map((n) => {
        const [width, height] = SIZE[n.kind] ?? [190, 46];
        return {
          id: n.id,
          width,
          height,
          ...(n.parent ? { parent: n.parent } : {}),
          ...(n.kind === "cluster" ? { cluster: true } : {}),
        };
      }),
      edges: edges.map((e) => ({ source: e.source, target: e.target })),
    },
  };
}
