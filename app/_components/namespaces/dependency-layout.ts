// The dependency graph (server/services/dependencies.ts) as React Flow nodes and edges, laid out left to
// right by dagre. Kept apart from the component that draws it. Dependency graphs are small (the flows
// around one namespace), so the layout runs inline rather than in a worker.
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";
import type { DependencyGraph } from "@/server/services/dependencies";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 56;

export interface FlowNodeData extends Record<string, unknown> {
  namespace: string;
  id: string;
  /** In the namespace the page is about (or one of its children). */
  inside: boolean;
}

export function layoutDependencies(
  graph: DependencyGraph,
  namespace: string,
): { nodes: Node<FlowNodeData>[]; edges: Edge[] } {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.uid, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  const inside = (ns: string) => ns === namespace || ns.startsWith(`${namespace}.`);
  return {
    nodes: graph.nodes.map((node) => {
      const { x, y } = g.node(node.uid);
      return {
        id: node.uid,
        type: "flow",
        position: { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 },
        data: { namespace: node.namespace, id: node.id, inside: inside(node.namespace) },
      };
    }),
    edges: graph.edges.map((edge) => ({
      id: `${edge.source}->${edge.target}:${edge.relation.relationType}`,
      source: edge.source,
      target: edge.target,
      label: edge.relation.relationType === "FLOW_TASK" ? "calls" : "triggers",
      animated: edge.relation.relationType === "FLOW_TRIGGER",
      markerEnd: { type: "arrowclosed" as const },
    })),
  };
}
