"use client";
// A read-only topology of a flow: React Flow drawing what layout.ts computed.
import "@xyflow/react/dist/style.css";
import { Background, Controls, Handle, type NodeProps, Position, ReactFlow } from "@xyflow/react";
import { useMemo } from "react";
import type { FlowGraph } from "@/engine/graph";
import { layoutTopology, shortType, type TopologyNode } from "./layout";

const hidden = { opacity: 0, width: 1, height: 1, minWidth: 0, minHeight: 0, border: 0 };

function Ports() {
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} style={hidden} />
      <Handle type="source" position={Position.Right} isConnectable={false} style={hidden} />
    </>
  );
}

function TaskNode({ data }: NodeProps<TopologyNode>) {
  return (
    <div
      className="flex h-full w-full flex-col justify-center rounded-md border border-zinc-300 bg-white px-2.5 shadow-sm dark:border-zinc-600 dark:bg-zinc-900"
      title={data.type}
    >
      <Ports />
      <span className="truncate font-mono text-[12px] font-medium text-zinc-900 dark:text-zinc-100">
        {data.label}
      </span>
      <span className="truncate text-[10px] text-zinc-500">
        {shortType(data.type)}
        {data.slot ? ` · ${data.slot}` : ""}
      </span>
    </div>
  );
}

function TriggerNode({ data }: NodeProps<TopologyNode>) {
  return (
    <div
      className="flex h-full w-full flex-col justify-center rounded-full border border-dashed border-brand-500 bg-brand-50 px-3 dark:bg-brand-700/20"
      title={data.type}
    >
      <Ports />
      <span className="truncate font-mono text-[11px] font-medium">{data.label}</span>
      <span className="truncate text-[10px] text-brand-700 dark:text-brand-100">{shortType(data.type)}</span>
    </div>
  );
}

function Dot({ data }: NodeProps<TopologyNode>) {
  const big = data.kind === "start" || data.kind === "end";
  return (
    <div
      title={big ? data.kind : undefined}
      className={`h-full w-full rounded-full ${big ? "border-2 border-zinc-500 bg-white dark:bg-zinc-900" : "bg-zinc-400"}`}
    >
      <Ports />
    </div>
  );
}

function ClusterNode({ data }: NodeProps<TopologyNode>) {
  return (
    <div
      className="h-full w-full rounded-lg border border-zinc-300 bg-zinc-100/70 dark:border-zinc-700 dark:bg-zinc-800/50"
      title={data.type}
    >
      <div className="truncate px-2 pt-1 text-[10px] font-medium text-zinc-600 dark:text-zinc-300">
        <span className="font-mono">{data.label}</span> · {shortType(data.type)}
      </div>
    </div>
  );
}

const nodeTypes = {
  task: TaskNode,
  trigger: TriggerNode,
  start: Dot,
  end: Dot,
  "cluster-start": Dot,
  "cluster-end": Dot,
  cluster: ClusterNode,
};

export function Topology({ graph, label = "Topology" }: { graph: FlowGraph; label?: string }) {
  const { nodes, edges, height } = useMemo(() => layoutTopology(graph), [graph]);
  return (
    <figure
      aria-label={label}
      className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
      style={{ height: Math.min(Math.max(height + 48, 200), 560) }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.06, maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </figure>
  );
}
