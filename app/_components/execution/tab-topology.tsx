"use client";
// Topology: the execution's graph (engine/graph through executions.graph), drawn by the flow editor's
// topology (React Flow + dagre in a worker), each task coloured by its state, live from the shared stream;
// clicking a task shows its runs, attempts, outputs (a subflow's child execution) and logs.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { ExecutionGraph, FlowGraph } from "@/engine/graph";
import { useTRPC } from "../../_trpc/react";
import type { Box } from "../../flows/_components/editor/layout";
import { Topology } from "../../flows/_components/editor/topology";
import type { TabProps } from "./execution-page";
import { useNow } from "./live";
import { TaskRunDetail } from "./task-run-detail";

const NO_CHANGES = new Map();
// When a task ran several times (a loop), the node shows the most telling state.
const RANK = [
  "FAILED",
  "RUNNING",
  "RETRYING",
  "PAUSED",
  "KILLED",
  "CANCELLED",
  "WARNING",
  "CREATED",
  "SUCCESS",
  "SKIPPED",
];

export function TopologyTab({
  tenant,
  execution,
  logs,
  running,
  onChanged,
  initialGraph,
  initialLayout,
}: TabProps & {
  initialGraph?: FlowGraph;
  /** initialGraph laid out on the server (left to right, nothing collapsed). */
  initialLayout?: { direction: "LR" | "TB"; boxes: Record<string, Box> };
}) {
  const trpc = useTRPC();
  const now = useNow(running);
  const graph = useQuery({
    ...trpc.executions.graph.queryOptions(
      { tenant, executionId: execution.id },
      { trpc: { context: { skipBatch: true } } }, // not behind the page's slower queries (log counts)
    ),
    // Sent with the page when it opens on this tab (nodes without their runs: not drawn).
    // Stale at once: the runs (a Loop's iterations' among them) are read on mount.
    ...(initialGraph ? { initialData: initialGraph as ExecutionGraph, initialDataUpdatedAt: 0 } : {}),
    // A Loop's iterations run as executions of their own (kind LOOP): their runs reach this page only
    // with the graph, so it is read again while the execution runs.
    refetchInterval: running ? 3_000 : false,
  });
  const [selected, setSelected] = useState<string>();
  const key = execution.taskRunList.map((r) => `${r.taskId}=${r.state.current}`).join(",");
  const nodes = (graph.data as ExecutionGraph | undefined)?.nodes;
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when a state changes (the key), not on every message
  const states = useMemo(() => {
    const map = new Map<string, string>();
    const rank = (s: string) => (RANK.indexOf(s) < 0 ? RANK.length : RANK.indexOf(s));
    const consider = (taskId: string, state: string) => {
      const old = map.get(taskId);
      if (!old || rank(state) < rank(old)) map.set(taskId, state);
    };
    for (const run of execution.taskRunList) consider(run.taskId, run.state.current);
    // Tasks inside a Loop ran in its iterations' executions: their states come with the graph's runs.
    const own = new Set(execution.taskRunList.map((run) => run.taskId));
    for (const node of nodes ?? [])
      if (node.taskId && !own.has(node.taskId))
        for (const run of node.runs ?? []) consider(node.taskId, run.state);
    return map;
  }, [key, nodes]);
  if (graph.error) return <p className="text-sm text-red-600">{graph.error.message}</p>;
  return (
    <div className={`grid gap-4 ${selected ? "xl:grid-cols-[1fr_22rem]" : ""}`}>
      <div
        className="flex h-[520px] flex-col overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
        data-testid="execution-topology"
      >
        <Topology
          graph={graph.data as FlowGraph | undefined}
          changes={NO_CHANGES}
          states={states}
          onTaskClick={setSelected}
          defaultHorizontal
          {...(initialLayout ? { initialLayout } : {})}
        />
      </div>
      {selected ? (
        <TaskRunDetail
          tenant={tenant}
          execution={execution}
          onChanged={onChanged}
          taskId={selected}
          runs={execution.taskRunList.filter((run) => run.taskId === selected)}
          logs={logs}
          now={now}
          onClose={() => setSelected(undefined)}
        />
      ) : (
        <p className="-mt-2 text-xs text-zinc-500">
          Click a task to see its runs, attempts, outputs and logs.
        </p>
      )}
    </div>
  );
}
