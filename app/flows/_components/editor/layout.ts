// Dagre layout of a topology (compound: flowables are boxes around their children). Pure: it runs in
// layout.worker.ts so that typing never waits for it, and in the bench as is.
import dagre from "@dagrejs/dagre";

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** The cluster box this node sits in. */
  parent?: string;
  /** A cluster: sized by dagre around its children. */
  cluster?: boolean;
}

export interface LayoutRequest {
  seq: number;
  nodes: LayoutNode[];
  edges: { source: string; target: string }[];
  direction: "LR" | "TB";
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutResult {
  seq: number;
  /** Top-left corners and sizes, absolute. */
  boxes: Record<string, Box>;
  ms: number;
}

export function layoutGraph(request: LayoutRequest): LayoutResult {
  const started = performance.now();
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: request.direction, nodesep: 24, ranksep: 48, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of request.nodes)
    g.setNode(
      node.id,
      node.cluster
        ? { paddingTop: 28, paddingLeft: 12, paddingRight: 12, paddingBottom: 12 }
        : { width: node.width, height: node.height },
    );
  for (const node of request.nodes)
    if (node.parent && g.hasNode(node.parent)) g.setParent(node.id, node.parent);
  for (const edge of request.edges)
    if (g.hasNode(edge.source) && g.hasNode(edge.target) && edge.source !== edge.target)
      g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  const boxes: Record<string, Box> = {};
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!n) continue;
    boxes[id] = { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  }
  return { seq: request.seq, boxes, ms: performance.now() - started };
}
