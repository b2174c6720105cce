import type { Execution } from "../executor/model";
import type { StateType } from "../executor/states";
import type { FlowGraph, GraphNode } from "./model";

/** One task run of a node, as the execution page colours it. */
export interface NodeRun {
  id: string;
  state: StateType;
  value?: string | null;
  iteration?: number | null;
  attempts: number;
}

export interface ExecutionGraph extends FlowGraph {
  /** runCount: how many runs the task had, when `runs` holds only some (a Loop's many iterations). */
  nodes: (GraphNode & { runs?: NodeRun[]; runCount?: number })[];
}

/**
 * The flow's graph with each task node (and each cluster's start) carrying the runs of its task in this
 * execution: several for a task inside a loop, none for a task that has not run (or was skipped by its
 * branch).
 */
export function executionGraph(graph: FlowGraph, execution: Execution): ExecutionGraph {
  const byTask = new Map<string, NodeRun[]>();
  for (const run of execution.taskRunList) {
    const list = byTask.get(run.taskId) ?? [];
    list.push({
      id: run.id,
      state: run.state.current,
      ...(run.value !== undefined ? { value: run.value } : {}),
      ...(run.iteration !== undefined ? { iteration: run.iteration } : {}),
      attempts: run.attempts.length,
    });
    byTask.set(run.taskId, list);
  }
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const carries = node.kind === "task" || node.kind === "cluster-start";
      const runs = carries && node.taskId ? byTask.get(node.taskId) : undefined;
      return runs ? { ...node, runs } : node;
    }),
  };
}
