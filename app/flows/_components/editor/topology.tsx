"use client";
// The live topology: the graph the server builds from the YAML (engine/graph), laid out by dagre in a Web
// Worker, drawn with React Flow as Kestra draws it (flowables as clusters, errors/finally/triggers with
// their own edges), with collapsible clusters, the change overlay, click-to-line and PNG/SVG export.
import {
  Background,
  Controls,
  type Edge,
  getNodesBounds,
  getViewportForBounds,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { toPng, toSvg } from "html-to-image";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { FlowGraph } from "@/engine/graph";
import type { Change } from "./flow-doc";
import type { Box, LayoutResult } from "./layout";
import { type DrawNode, drawModel } from "./topology-model";
import { TopologyPreview } from "./topology-preview";

interface NodeData extends Record<string, unknown> {
  node: DrawNode;
  onToggle: (id: string) => void;
  horizontal: boolean;
  /** The task's state in an execution (the execution page colours nodes by it). */
  state?: string;
}

const STATE_LOOK: Record<string, string> = {
  SUCCESS: "border-green-500 bg-green-50 dark:bg-green-950/40",
  WARNING: "border-amber-500 bg-amber-50 dark:bg-amber-950/40",
  FAILED: "border-red-500 bg-red-50 dark:bg-red-950/40",
  RUNNING: "border-blue-500 bg-blue-50 dark:bg-blue-950/40 animate-pulse",
  RETRYING: "border-orange-500 bg-orange-50 dark:bg-orange-950/40",
  PAUSED: "border-purple-500 bg-purple-50 dark:bg-purple-950/40",
  KILLED: "border-zinc-500 bg-zinc-100 dark:bg-zinc-800",
  CANCELLED: "border-zinc-400 bg-zinc-100 dark:bg-zinc-800",
  CREATED: "border-sky-400 bg-sky-50 dark:bg-sky-950/40",
  SKIPPED: "border-dashed border-zinc-400 bg-zinc-50 dark:bg-zinc-900",
};

const CHANGE_LOOK: Record<Change, string> = {
  added: "border-emerald-500 bg-emerald-50 dark:bg-emerald-950/50",
  changed: "border-amber-500 bg-amber-50 dark:bg-amber-950/50",
  removed: "border-dashed border-red-400 bg-red-50/60 opacity-60 dark:bg-red-950/30",
};

const shortType = (type?: string) => type?.split(".").at(-1) ?? "";

function Handles({ horizontal }: { horizontal: boolean }) {
  return (
    <>
      <Handle
        type="target"
        position={horizontal ? Position.Left : Position.Top}
        className="!opacity-0"
        isConnectable={false}
      />
      <Handle
        type="source"
        position={horizontal ? Position.Right : Position.Bottom}
        className="!opacity-0"
        isConnectable={false}
      />
    </>
  );
}

const TaskNode = memo(function TaskNode({ data }: NodeProps<Node<NodeData>>) {
  const { node, horizontal, onToggle, state } = data;
  const look = state
    ? (STATE_LOOK[state] ?? "border-zinc-300 bg-white dark:border-zinc-600 dark:bg-zinc-900")
    : node.change
      ? CHANGE_LOOK[node.change]
      : node.kind === "trigger"
        ? "border-violet-300 bg-violet-50 dark:border-violet-700 dark:bg-violet-950/40"
        : "border-zinc-300 bg-white dark:border-zinc-600 dark:bg-zinc-900";
  return (
    <div
      className={`flex h-[46px] w-[190px] items-center gap-2 rounded-md border px-2 text-left shadow-sm ${look}`}
      title={`${node.taskId} — ${node.type ?? ""}${node.change ? ` (${node.change})` : ""}`}
      data-task-id={node.taskId}
      data-change={node.change}
      data-state={state}
    >
      <Handles horizontal={horizontal} />
      <span
        className={`flex h-6 w-6 shrink-0 items-center justify-center rounded text-[10px] font-bold ${
          node.kind === "trigger" ? "bg-violet-200 text-violet-800" : "bg-brand-100 text-brand-700"
        }`}
        aria-hidden
      >
        {node.kind === "trigger" ? "⏱" : shortType(node.type).slice(0, 2)}
      </span>
      <span className="min-w-0">
        <span className="block truncate text-xs font-semibold text-zinc-800 dark:text-zinc-100">
          {node.taskId}
        </span>
        <span className="block truncate text-[10px] text-zinc-500">{shortType(node.type)}</span>
      </span>
      {node.kind === "collapsed" ? (
        <button
          type="button"
          className="nodrag ml-auto rounded border border-zinc-300 px-1 text-[10px] text-zinc-600 hover:bg-zinc-100 dark:border-zinc-600 dark:text-zinc-300"
          onClick={(event) => {
            event.stopPropagation();
            onToggle(node.id);
          }}
          aria-label={`Expand ${node.taskId}`}
          title="Expand"
        >
          +{node.size}
        </button>
      ) : null}
    </div>
  );
});

const ClusterNode = memo(function ClusterNode({ data }: NodeProps<Node<NodeData>>) {
  const { node, onToggle } = data;
  return (
    <div
      className={`h-full w-full rounded-lg border ${
        node.change === "added"
          ? "border-emerald-500"
          : node.change === "changed"
            ? "border-amber-500"
            : "border-zinc-300 dark:border-zinc-600"
      } bg-zinc-100/40 dark:bg-zinc-800/30`}
      data-task-id={node.taskId}
      data-change={node.change}
    >
      <div className="flex items-center gap-1 px-2 pt-1 text-[11px] text-zinc-600 dark:text-zinc-300">
        <button
          type="button"
          className="nodrag rounded px-0.5 hover:bg-zinc-200 dark:hover:bg-zinc-700"
          onClick={(event) => {
            event.stopPropagation();
            onToggle(node.id);
          }}
          aria-label={`Collapse ${node.taskId}`}
          title="Collapse"
        >
          ▾
        </button>
        <span className="font-semibold">{node.taskId}</span>
        <span className="text-zinc-400">{shortType(node.type)}</span>
      </div>
    </div>
  );
});

const DotNode = memo(function DotNode({ data }: NodeProps<Node<NodeData>>) {
  const { node, horizontal } = data;
  const big = node.kind === "start" || node.kind === "end";
  return (
    <div
      className={`rounded-full border-2 ${big ? "h-[18px] w-[18px]" : "h-3 w-3"} ${
        node.kind.endsWith("end")
          ? "border-zinc-500 bg-zinc-500"
          : "border-zinc-500 bg-white dark:bg-zinc-900"
      }`}
      title={node.kind}
    >
      <Handles horizontal={horizontal} />
    </div>
  );
});

const nodeTypes = { task: TaskNode, cluster: ClusterNode, dot: DotNode };

const EDGE_COLOUR: Record<string, string> = {
  ERROR: "#dc2626",
  FINALLY: "#7c3aed",
  AFTER_EXECUTION: "#7c3aed",
  TRIGGER: "#8b5cf6",
  CHOICE: "#0284c7",
};

function toFlow(
  model: ReturnType<typeof drawModel>,
  boxes: Record<string, Box>,
  onToggle: (id: string) => void,
  horizontal: boolean,
  states?: ReadonlyMap<string, string>,
  measuredOf?: (id: string, type: string) => { width: number; height: number } | undefined,
): { nodes: Node<NodeData>[]; edges: Edge[] } {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const depth = (n: DrawNode): number =>
    n.parent && byId.get(n.parent) ? 1 + depth(byId.get(n.parent) as DrawNode) : 0;
  const ordered = [...model.nodes].sort((a, b) => depth(a) - depth(b));
  const nodes: Node<NodeData>[] = [];
  for (const n of ordered) {
    const box = boxes[n.id];
    if (!box) continue;
    const parentBox = n.parent ? boxes[n.parent] : undefined;
    const type =
      n.kind === "cluster"
        ? "cluster"
        : ["task", "trigger", "collapsed", "ghost"].includes(n.kind)
          ? "task"
          : "dot";
    const measured = measuredOf?.(n.id, type);
    nodes.push({
      id: n.id,
      type,
      ...(measured ? { measured } : {}),
      position: parentBox ? { x: box.x - parentBox.x, y: box.y - parentBox.y } : { x: box.x, y: box.y },
      ...(parentBox && n.parent ? { parentId: n.parent } : {}),
      data: {
        node: n,
        onToggle,
        horizontal,
        ...(n.taskId && states?.has(n.taskId) ? { state: states.get(n.taskId) as string } : {}),
      },
      draggable: false,
      connectable: false,
      ...(n.kind === "cluster" ? { style: { width: box.width, height: box.height }, zIndex: -1 } : {}),
    });
  }
  const edges: Edge[] = model.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: "smoothstep",
    ...(e.label ? { label: e.label } : {}),
    style: {
      stroke: EDGE_COLOUR[e.relation] ?? "#71717a",
      strokeWidth: 1.4,
      ...(e.relation === "ERROR" || e.relation === "FINALLY" || e.relation === "TRIGGER"
        ? { strokeDasharray: "5 4" }
        : {}),
    },
    markerEnd: {
      type: MarkerType.ArrowClosed,
      width: 14,
      height: 14,
      color: EDGE_COLOUR[e.relation] ?? "#71717a",
    },
    labelStyle: { fontSize: 10 },
  }));
  return { nodes, edges };
}

let worker: Worker | undefined;
function layoutWorker(): Worker {
  worker ??= new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  return worker;
}

export interface TopologyProps {
  graph: FlowGraph | undefined;
  changes: ReadonlyMap<string, Change>;
  /** Why the graph shown is not the YAML's (the last good one is kept). */
  error?: string;
  onTaskClick?: (taskId: string) => void;
  /** Called with the time from a graph to its drawing (for the bench). */
  onDrawn?: (info: { nodes: number; layoutMs: number }) => void;
  /** Task id -> its state in an execution: nodes coloured by it (the execution page). */
  states?: ReadonlyMap<string, string>;
  /** Left to right from the start (a wide page); by default only on very wide screens. */
  defaultHorizontal?: boolean;
  /**
   * The graph laid out on the server (layout.ts on drawModel(graph) with nothing collapsed): drawn still
   * (TopologyPreview) until React Flow has drawn it, and React Flow's first layout, without the worker.
   */
  initialLayout?: { direction: "LR" | "TB"; boxes: Record<string, Box> };
}

export function Topology(props: TopologyProps) {
  return (
    <ReactFlowProvider>
      <TopologyInner {...props} />
    </ReactFlowProvider>
  );
}

function TopologyInner({
  graph,
  changes,
  error,
  onTaskClick,
  onDrawn,
  states,
  defaultHorizontal,
  initialLayout,
}: TopologyProps) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  // Left to right as Kestra draws it when the panel is wide; top to bottom in a narrow panel.
  const [horizontal, setHorizontal] = useState(
    () =>
      defaultHorizontal ??
      (typeof window !== "undefined" && window.matchMedia("(min-width: 2200px)").matches),
  );
  const paneRef = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<{
    nodes: Node<NodeData>[];
    edges: Edge[];
    layoutMs?: number;
    boxes?: Record<string, Box>;
  }>({
    nodes: [],
    edges: [],
  });
  const seq = useRef(0);
  const lastCount = useRef(-1);
  const pendingFit = useRef(false);
  const drawnHorizontal = useRef<boolean | undefined>(undefined);
  const flow = useReactFlow();
  const container = useRef<HTMLDivElement>(null);

  const model = useMemo(
    () => (graph ? drawModel(graph, { collapsed, changes, direction: horizontal ? "LR" : "TB" }) : undefined),
    [graph, collapsed, changes, horizontal],
  );

  // The server's layout, while it is the layout of what is drawn (nothing collapsed, its direction).
  const given =
    initialLayout &&
    model &&
    collapsed.size === 0 &&
    model.request.direction === initialLayout.direction &&
    model.request.nodes.every((n) => n.cluster || initialLayout.boxes[n.id])
      ? initialLayout.boxes
      : undefined;

  // The worker's scripts load while the graph is still on its way (the execution page asks for it after
  // hydration): a second saved on a busy machine. Not needed first when the server laid the graph out.
  useEffect(() => {
    if (!initialLayout) layoutWorker();
  }, [initialLayout]);

  useEffect(() => {
    if (!model) return;
    const mine = ++seq.current;
    const onToggle = (id: string) =>
      setCollapsed((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    // A new node object loses React Flow's measurement, and the node stays hidden until it is measured
    // again. Measuring starts only when the node turns from measured to unmeasured, so a second redraw
    // that lands between a measurement and its render (a few keystrokes in a row) left nodes hidden for
    // good. Carrying the measurement over, as applyNodeChanges does for controlled flows, closes that;
    // a node whose size then changes is still observed and re-measured. Not across a change of direction:
    // the handles move and must be measured again.
    const sameDirection = drawnHorizontal.current === horizontal;
    const measuredOf = (id: string, type: string) => {
      if (!sameDirection) return undefined;
      const internal = flow.getInternalNode(id);
      const size = internal?.measured;
      return internal?.type === type && size?.width !== undefined && size.height !== undefined
        ? { width: size.width, height: size.height }
        : undefined;
    };
    const draw = (boxes: Record<string, Box>, ms: number) => {
      const result = toFlow(model, boxes, onToggle, horizontal, states, measuredOf);
      drawnHorizontal.current = horizontal;
      setDrawn({ ...result, layoutMs: ms, boxes });
      onDrawn?.({ nodes: result.nodes.length, layoutMs: ms });
      if (result.nodes.length !== lastCount.current) {
        lastCount.current = result.nodes.length;
        pendingFit.current = true;
      }
    };
    if (given) {
      draw(given, 0);
      return;
    }
    const w = layoutWorker();
    const listener = (event: MessageEvent<LayoutResult & { error?: string }>) => {
      if (event.data.seq !== mine || event.data.error) return;
      draw(event.data.boxes, event.data.ms);
    };
    w.addEventListener("message", listener);
    w.postMessage({ ...model.request, seq: mine });
    return () => w.removeEventListener("message", listener);
  }, [model, horizontal, onDrawn, states, given, flow]);

  // Frame the whole graph from the layout's own boxes: React Flow's fitView knows only the nodes it has
  // rendered and measured, and it renders only those on screen (onlyRenderVisibleElements).
  const frameGraph = useCallback(() => {
    const boxes = Object.values(drawn.boxes ?? {});
    const pane = paneRef.current?.getBoundingClientRect();
    if (boxes.length === 0 || !pane || pane.width === 0) return;
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    const width = Math.max(...boxes.map((b) => b.x + b.width)) - x;
    const height = Math.max(...boxes.map((b) => b.y + b.height)) - y;
    void flow.setViewport(
      getViewportForBounds({ x, y, width, height }, pane.width, pane.height, 0.05, 1, 0.08),
    );
  }, [drawn, flow]);
  useEffect(() => {
    if (!pendingFit.current || drawn.nodes.length === 0) return;
    pendingFit.current = false;
    frameGraph();
  }, [drawn, frameGraph]);

  const exportImage = async (kind: "png" | "svg") => {
    const viewport = container.current?.querySelector<HTMLElement>(".react-flow__viewport");
    if (!viewport) return;
    const bounds = getNodesBounds(flow.getNodes());
    const width = Math.min(4096, Math.max(400, bounds.width + 80));
    const height = Math.min(4096, Math.max(300, bounds.height + 80));
    const view = getViewportForBounds(bounds, width, height, 0.1, 2, 0.05);
    const options = {
      backgroundColor: "#ffffff",
      width,
      height,
      style: {
        width: `${width}px`,
        height: `${height}px`,
        transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`,
      },
    };
    const url = kind === "png" ? await toPng(viewport, options) : await toSvg(viewport, options);
    const a = document.createElement("a");
    a.href = url;
    a.download = `topology.${kind}`;
    a.click();
  };

  return (
    <div
      className="relative flex h-full flex-col"
      ref={container}
      data-testid="topology"
      data-nodes={drawn.nodes.length}
      data-layout-ms={drawn.layoutMs?.toFixed(1)}
    >
      <div className="flex items-center gap-1 border-b border-zinc-200 px-2 py-1 text-xs dark:border-zinc-800">
        <span className="font-medium text-zinc-600 dark:text-zinc-300">Topology</span>
        <span className="ml-auto" />
        <ToolButton onClick={() => setHorizontal((h) => !h)} title="Switch direction">
          {horizontal ? "↔" : "↕"}
        </ToolButton>
        <ToolButton
          onClick={() => setCollapsed(new Set(graph?.clusters.map((c) => c.uid)))}
          title="Collapse all flowables"
        >
          Collapse
        </ToolButton>
        <ToolButton onClick={() => setCollapsed(new Set())} title="Expand all flowables">
          Expand
        </ToolButton>
        <ToolButton onClick={frameGraph} title="Fit to view">
          Fit
        </ToolButton>
        <ToolButton onClick={() => void exportImage("png")} title="Download as PNG">
          PNG
        </ToolButton>
        <ToolButton onClick={() => void exportImage("svg")} title="Download as SVG">
          SVG
        </ToolButton>
      </div>
      {error ? (
        <div
          role="status"
          className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-800 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200"
        >
          The YAML has errors: showing the last valid topology. {error}
        </div>
      ) : null}
      {changes.size > 0 ? (
        <div
          className="flex gap-3 px-3 py-1 text-[11px] text-zinc-500"
          title="Changes since the saved revision"
        >
          <Legend className="border-emerald-500 bg-emerald-50">added</Legend>
          <Legend className="border-amber-500 bg-amber-50">changed</Legend>
          <Legend className="border-dashed border-red-400 bg-red-50">removed</Legend>
        </div>
      ) : null}
      <div className="relative min-h-0 flex-1" ref={paneRef}>
        {drawn.nodes.length === 0 && given && model ? (
          <TopologyPreview model={model} boxes={given} {...(states ? { states } : {})} />
        ) : null}
        <ReactFlow
          nodes={drawn.nodes}
          edges={drawn.edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          minZoom={0.05}
          maxZoom={2}
          onlyRenderVisibleElements
          // No keyboard shortcuts: they listen on the document and would take keys typed in the code editor.
          panActivationKeyCode={null}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          zoomActivationKeyCode={null}
          proOptions={{ hideAttribution: true }}
          onNodeClick={(_event, node) => {
            const data = node.data as NodeData;
            if (data.node.taskId && data.node.kind !== "ghost") onTaskClick?.(data.node.taskId);
          }}
        >
          <Background gap={16} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </div>
  );
}

function ToolButton({ children, ...props }: React.ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      {...props}
      className="rounded px-1.5 py-0.5 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      {children}
    </button>
  );
}

function Legend({ className, children }: { className: string; children: React.ReactNode }) {
  return (
    <span className="flex items-center gap-1">
      <span className={`inline-block h-2.5 w-3.5 rounded-sm border ${className}`} />
      {children}
    </span>
  );
}
