// A flow's topology (engine/graph's FlowGraph) as React Flow nodes and edges, laid out by dagre. Plain
// data in, plain data out: the components only draw. Flowable tasks (clusters) become boxes behind their
// children; dagre's compound layout gives each box its size, and every node is placed absolutely (no
// React Flow parent-relative positions), which keeps the mapping one pass.
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";
import type { FlowGraph, GraphNode, NodeKind, Relation } from "@/engine/graph";

export type TopologyNodeKind = NodeKind | "cluster";

export interface TopologyNodeData extends Record<string, unknown> {
  kind: TopologyNodeKind;
  /** Task, trigger or cluster id. */
  label?: string;
  /** The plugin type as written (io.kestra.plugin.core.log.Log). */
  type?: string;
  /** Where the task sits in its parent (then, else, errors, finally...), when not `tasks`. */
  slot?: string;
}

export type TopologyNode = Node<TopologyNodeData>;

const SIZES: Record<NodeKind, { width: number; height: number }> = {
  start: { width: 18, height: 18 },
  end: { width: 18, height: 18 },
  task: { width: 200, height: 54 },
  trigger: { width: 190, height: 46 },
  "cluster-start": { width: 10, height: 10 },
  "cluster-end": { width: 10, height: 10 },
};

/** `io.kestra.plugin.core.flow.Pause` → `Pause`. */
export function shortType(type: string | undefined): string {
  if (!type) return "";
  return type.slice(type.lastIndexOf(".") + 1);
}

/** Families whose task names say enough alone (Pause, Log, Return...); others keep theirs (kv.Set, http.Request). */
const PLAIN_FAMILIES = new Set(["flow", "log", "debug", "execution", "output", "templating"]);

/** A canonical type as a badge: `core.flow.Pause` → `Pause`, `core.kv.Set` → `kv.Set`, `scripts.python.Script` → `python.Script`. */
export function badgeType(type: string): string {
  const parts = type.split(".");
  const name = parts.at(-1) ?? type;
  const family = parts.at(-2);
  return !family || PLAIN_FAMILIES.has(family) ? name : `${family}.${name}`;
}

const EDGE_COLORS: Partial<Record<Relation, string>> = {
  ERROR: "#dc2626",
  FINALLY: "#71717a",
  AFTER_EXECUTION: "#71717a",
  TRIGGER: "#a1a1aa",
};

export function layoutTopology(
  graph: FlowGraph,
  options: { direction?: "LR" | "TB" } = {},
): { nodes: TopologyNode[]; edges: Edge[]; width: number; height: number } {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: options.direction ?? "LR", nodesep: 22, ranksep: 42, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));

  const clusterOf = new Map<string, string>();
  for (const cluster of graph.clusters) {
    g.setNode(cluster.uid, { paddingTop: 28, paddingLeft: 12, paddingRight: 12, paddingBottom: 12 });
    if (cluster.parent) g.setParent(cluster.uid, cluster.parent);
    clusterOf.set(cluster.start, cluster.uid);
    clusterOf.set(cluster.end, cluster.uid);
  }
  for (const node of graph.nodes) {
    g.setNode(node.uid, { ...SIZES[node.kind] });
    const parent = node.cluster ?? clusterOf.get(node.uid);
    if (parent) g.setParent(node.uid, parent);
  }
  graph.edges.forEach((edge, index) => {
    g.setEdge(edge.source, edge.target, {}, String(index));
  });
  dagre.layout(g);

  const place = (uid: string) => {
    const laid = g.node(uid) as { x: number; y: number; width: number; height: number };
    return {
      x: laid.x - laid.width / 2,
      y: laid.y - laid.height / 2,
      width: laid.width,
      height: laid.height,
    };
  };
  const depth = (uid: string | undefined): number => {
    let d = 0;
    for (let c = uid; c; c = graph.clusters.find((k) => k.uid === c)?.parent) d++;
    return d;
  };

  const nodes: TopologyNode[] = [];
  for (const cluster of graph.clusters) {
    const box = place(cluster.uid);
    nodes.push({
      id: cluster.uid,
      type: "cluster",
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      style: { width: box.width, height: box.height },
      zIndex: depth(cluster.parent),
      selectable: false,
      draggable: false,
      data: { kind: "cluster", label: cluster.taskId, type: cluster.type },
    });
  }
  for (const node of graph.nodes) {
    const box = place(node.uid);
    nodes.push({
      id: node.uid,
      type: node.kind,
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      zIndex: 100,
      draggable: false,
      data: nodeData(node),
    });
  }
  const edges: Edge[] = graph.edges.map((edge, index) => ({
    id: `e${index}`,
    source: edge.source,
    target: edge.target,
    ...(edge.label ? { label: edge.label } : {}),
    zIndex: 50,
    animated: edge.relation === "TRIGGER",
    style: {
      stroke: EDGE_COLORS[edge.relation] ?? "#8b8bb0",
      ...(edge.relation === "ERROR" || edge.relation === "FINALLY" ? { strokeDasharray: "5 4" } : {}),
    },
  }));
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

function nodeData(node: GraphNode): TopologyNodeData {
  return {
    kind: node.kind,
    ...(node.taskId ? { label: node.taskId } : {}),
    ...(node.type ? { type: node.type } : {}),
    ...(node.slot && node.slot !== "tasks" ? { slot: node.slot } : {}),
  };
}
