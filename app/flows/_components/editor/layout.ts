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

/**
 * dagre's compound layout (clusters as boxes it sizes) is exact but slow: 1.4 s for 230 nodes, 2.2 s for
 * 580. Above this many nodes the clusters are left out of dagre and drawn around their children afterwards
 * (0.4 s for 580 nodes); a node of another branch can then sit inside a cluster's box, which is the price.
 */
export const COMPOUND_LIMIT = 120;

const PAD = { top: 28, side: 12, bottom: 12 };

export function layoutGraph(request: LayoutRequest): LayoutResult {
  if (request.nodes.length > COMPOUND_LIMIT) return layoutFlat(request);
  const started = performance.now();
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: request.direction, nodesep: 20, ranksep: 36, edgesep: 10, marginx: 16, marginy: 16 });
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

/** Without clusters in dagre: lay out the other nodes, then fit each cluster around its children. */
function layoutFlat(request: LayoutRequest): LayoutResult {
  const started = performance.now();
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: request.direction, nodesep: 20, ranksep: 36, edgesep: 10, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of request.nodes)
    if (!node.cluster) g.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of request.edges)
    if (g.hasNode(edge.source) && g.hasNode(edge.target) && edge.source !== edge.target)
      g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  const boxes: Record<string, Box> = {};
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number } | undefined;
    if (n) boxes[id] = { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  }
  // Innermost clusters first, so that a parent cluster is fitted around its children's boxes.
  const byId = new Map(request.nodes.map((n) => [n.id, n]));
  const depth = (id: string | undefined): number => {
    let d = 0;
    for (let at = id ? byId.get(id)?.parent : undefined; at; at = byId.get(at)?.parent) d++;
    return d;
  };
  const clusters = request.nodes.filter((n) => n.cluster).sort((a, b) => depth(b.id) - depth(a.id));
  const children = new Map<string, string[]>();
  for (const node of request.nodes)
    if (node.parent) children.set(node.parent, [...(children.get(node.parent) ?? []), node.id]);
  for (const cluster of clusters) {
    const inside = (children.get(cluster.id) ?? []).map((id) => boxes[id]).filter((b): b is Box => !!b);
    if (inside.length === 0) continue;
    const minX = Math.min(...inside.map((b) => b.x)) - PAD.side;
    const minY = Math.min(...inside.map((b) => b.y)) - PAD.top;
    const maxX = Math.max(...inside.map((b) => b.x + b.width)) + PAD.side;
    const maxY = Math.max(...inside.map((b) => b.y + b.height)) + PAD.bottom;
    boxes[cluster.id] = { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  }
  return { seq: request.seq, boxes, ms: performance.now() - started };
}
