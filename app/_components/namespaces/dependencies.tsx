"use client";
// Which flows call or trigger which, around a namespace: a React Flow graph (laid out by
// dependency-layout.ts), each node a link to its flow, plus the same as a list for keyboards and screen
// readers.
import "@xyflow/react/dist/style.css";
import { useQuery } from "@tanstack/react-query";
import { Background, Controls, Handle, type Node, type NodeProps, Position, ReactFlow } from "@xyflow/react";
import Link from "next/link";
import { useMemo } from "react";
import { useTRPC } from "../../_trpc/react";
import { Loading } from "../admin/states";
import { useIsDark } from "../preferences";
import { Card, Empty, ErrorText } from "../ui";
import { type FlowNodeData, layoutDependencies, NODE_HEIGHT, NODE_WIDTH } from "./dependency-layout";

const flowHref = (namespace: string, id: string) =>
  `/flows/${encodeURIComponent(namespace)}/${encodeURIComponent(id)}`;

function FlowNode({ data }: NodeProps<Node<FlowNodeData>>) {
  return (
    <div
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      className={`flex flex-col justify-center rounded-lg border px-3 text-left shadow-sm ${
        data.inside
          ? "border-brand-500 bg-brand-50 text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100"
          : "border-zinc-300 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      }`}
    >
      <Handle type="target" position={Position.Left} />
      <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">{data.namespace}</span>
      <a href={flowHref(data.namespace, data.id)} className="truncate font-medium hover:underline">
        {data.id}
      </a>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { flow: FlowNode };

export function NamespaceDependencies({ tenant, namespace }: { tenant: string; namespace: string }) {
  const trpc = useTRPC();
  const dark = useIsDark();
  const graph = useQuery(trpc.console.namespaceDependencies.queryOptions({ tenant, namespace }));
  const laid = useMemo(
    () => (graph.data ? layoutDependencies(graph.data, namespace) : null),
    [graph.data, namespace],
  );
  if (graph.isPending) return <Loading what="Computing dependencies" />;
  if (graph.error) return <ErrorText>{graph.error.message}</ErrorText>;
  if (!laid || laid.nodes.length === 0)
    return (
      <Card>
        <Empty>
          No flow of {namespace} calls or triggers another, and none is triggered by one. Dependencies appear
          when a flow uses a <code>Subflow</code> or <code>ForEachItem</code> task, or a <code>Flow</code>{" "}
          trigger naming another flow.
        </Empty>
      </Card>
    );
  const byUid = new Map(graph.data.nodes.map((n) => [n.uid, n]));
  return (
    <>
      <section
        className="mb-6 h-[28rem] rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950"
        aria-label={`Dependency graph of ${namespace}`}
      >
        <ReactFlow
          nodes={laid.nodes}
          edges={laid.edges}
          nodeTypes={nodeTypes}
          fitView
          nodesConnectable={false}
          proOptions={{ hideAttribution: true }}
          colorMode={dark ? "dark" : "light"}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </section>
      <Card title="As a list">
        <ul aria-label="Dependencies" className="space-y-1 text-sm">
          {graph.data.edges.map((e) => {
            const from = byUid.get(e.source);
            const to = byUid.get(e.target);
            if (!from || !to) return null;
            return (
              <li key={`${e.source}-${e.target}-${e.relation.relationType}`}>
                <Link href={flowHref(from.namespace, from.id)} className="font-mono underline">
                  {from.namespace}.{from.id}
                </Link>{" "}
                {e.relation.relationType === "FLOW_TASK" ? "calls" : "triggers"}{" "}
                <Link href={flowHref(to.namespace, to.id)} className="font-mono underline">
                  {to.namespace}.{to.id}
                </Link>
              </li>
            );
          })}
        </ul>
      </Card>
    </>
  );
}
