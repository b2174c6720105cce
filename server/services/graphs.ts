// Topology graphs for the editor and the execution page: of a saved flow (any revision), of YAML being
// edited (not saved), and of an execution (its flow revision, with each task's runs).
import type { Execution } from "@/engine/executor";
import { type ExecutionGraph, executionGraph, type FlowGraph, flowGraph } from "@/engine/graph";
import { builtInRegistry } from "@/plugins";
import { NotFoundError } from "./errors";
import { getFlow, parseOrThrow } from "./flows";
import { listFilter, type ServiceScope } from "./scope";

const registry = builtInRegistry();

export async function savedFlowGraph(
  scope: ServiceScope,
  namespace: string,
  id: string,
  options: { revision?: number } = {},
): Promise<FlowGraph> {
  const flow = await getFlow(scope, namespace, id, options);
  return flowGraph(parseOrThrow(flow.source).flow, registry);
}

/**
 * The graph of YAML as typed (the editor's preview): nothing is saved or read, but like every flow
 * operation it needs FLOW:READ, somewhere in the tenant before parsing and then in the flow's namespace.
 * Invalid YAML is a 422 with line and column.
 */
export function sourceFlowGraph(scope: ServiceScope, source: string): FlowGraph {
  listFilter(scope, "FLOW", "READ");
  const { flow } = parseOrThrow(source);
  return flowGraph(flow, registry);
}

/** The graph of a source the caller was already allowed to read (a blueprint, under BLUEPRINT:READ). */
export function graphOfSource(source: string): FlowGraph {
  return flowGraph(parseOrThrow(source).flow, registry);
}

/**
 * Of the runs a task had in a Loop's iterations, at most how many of each state the graph carries: those of
 * the first iterations and every one not SUCCESS (server: EXECUTION_GRAPH_RUNS), enough to colour
 * the node (the page colours it by the worst state of its runs) and to show a few, without sending the
 * 50,000 runs of a loop over 10,000 lines (bench/loop-nested.ts). The node's runCount says how many there
 * were when some were left out; the iterations themselves are listed by the executions list (parentId, kind
 * LOOP). The execution's own runs are all sent.
 */
export const ITERATION_RUNS_PER_STATE = 100;

/**
 * The runs the graph reads: the execution's own, then those of its Loops' iterations (executions of kind
 * LOOP, as deep as the flow nests Loops: no probe for the children of the innermost ones), counted per task
 * and sampled: the runs of the first iterations (index < $3 at each level) and every run not SUCCESS, at
 * most $3 of each task and state. Counting hashes; only the sample is sorted and read whole.
 */
const EXECUTION_GRAPH_RUNS = `
  with recursive iterations(id, index, started, depth, early) as (
    select e.id, ${iterationIndex("e")}, e.start_date, 1, ${iterationIndex("e")} < $3
      from executions e where e.parent_id = $1 and e.tenant_id = $2 and e.kind = 'LOOP'
    union all
    select c.id, c.index, c.started, i.depth + 1, i.early and c.index < $3
      from iterations i cross join lateral (
        select e.id, ${iterationIndex("e")} as index, e.start_date as started
          from executions e where e.parent_id = i.id and e.tenant_id = $2 and e.kind = 'LOOP' offset 0) c
     where i.depth < $4
  ),
  runs as materialized (
    select x.own, x.id as execution_id, x.index, x.started, x.early, r.position, r.task_id, r.state
      from (select $1::text as id, null::int as index, null::timestamptz as started, 0 as own, true as early
            union all select id, index, started, 1, early from iterations) x
      join task_runs r on r.execution_id = x.id and r.tenant_id = $2
  ),
  counts as (select task_id, count(*) as n from runs group by task_id),
  kept as (
    select k.*, row_number() over (partition by k.task_id, k.state order by k.own, k.index, k.started, k.position) as nth
      from runs k where k.own = 0 or k.early or k.state <> 'SUCCESS'
  )
  select t.id, k.task_id, k.state::text, c.n::int as of_task,
         coalesce(t.value, (select e.document->'loopRun'->>'value' from executions e
                             where k.own = 1 and e.id = k.execution_id)) as value,
         coalesce(t.iteration, k.index) as iteration, jsonb_array_length(t.attempts)::int as attempts
    from kept k join counts c on c.task_id = k.task_id
    cross join lateral (select t.id, t.value, t.iteration, t.attempts from task_runs t
                         where t.execution_id = k.execution_id and t.position = k.position offset 0) t
   where k.own = 0 or k.nth <= $3
   order by k.own, k.index, k.started, k.position`;

/** An iteration's index: in its parent link (a small column), else in its document's loopRun. */
function iterationIndex(e: string): string {
  return `coalesce((${e}.parent_link->>'iteration')::int, (${e}.document->'loopRun'->>'index')::int)`;
}

/** How deep the flow nests Loops (each of whose iterations is an execution of kind LOOP): 0 without any. */
export function loopDepth(tasks: unknown): number {
  if (Array.isArray(tasks)) return Math.max(0, ...tasks.map(loopDepth));
  if (tasks === null || typeof tasks !== "object") return 0;
  const task = tasks as Record<string, unknown>;
  const type = typeof task.type === "string" ? registry.get(task.type)?.type : undefined;
  const below = Math.max(0, ...Object.values(task).map(loopDepth));
  return type === "core.flow.Loop" ? below + 1 : below;
}

export async function executionFlowGraph(
  scope: ServiceScope,
  executionId: string,
  options: { runs?: boolean } = {},
): Promise<ExecutionGraph> {
  // The runs from the task_runs table (kept with the document by the execution store): a 5,000-run
  // execution's 4 MB document is not read for the few fields a node carries.
  const found = await scope.db.execution.findUnique({
    where: { id: executionId },
    select: { namespace: true, flowId: true, flowRevision: true },
  });
  if (!found) throw new NotFoundError(`Execution ${executionId} not found.`);
  const engine = await scope.engine();
  const revision = await scope.db.flowRevision.findUnique({
    where: {
      tenantId_namespace_flowId_revision: {
        tenantId: scope.tenant.id,
        namespace: found.namespace,
        flowId: found.flowId,
        revision: found.flowRevision,
      },
    },
  });
  if (!revision) {
    throw new NotFoundError(
      `Flow ${found.namespace}.${found.flowId} revision ${found.flowRevision} of execution ${executionId} not found.`,
    );
  }
  const flow = parseOrThrow(revision.source).flow;
  // Without runs: the revision's graph alone, what the execution page draws first (it colours the nodes
  // from its own task runs); the runs of a Loop's 10,000 iterations took it from 0.2 s to 1.5 s.
  if (options.runs === false) return flowGraph(flow, registry);
  const runs = await engine.ctx.pool.query<{
    id: string;
    task_id: string;
    state: string;
    of_task: number;
    value: string | null;
    iteration: number | null;
    attempts: number;
  }>(EXECUTION_GRAPH_RUNS, [executionId, scope.tenant.id, ITERATION_RUNS_PER_STATE, loopDepth(flow)]);
  // What executionGraph reads of each run (id, task, state, value, iteration, how many attempts).
  const taskRunList = runs.rows.map((run) => ({
    id: run.id,
    taskId: run.task_id,
    state: { current: run.state },
    ...(run.value !== null ? { value: run.value } : {}),
    ...(run.iteration !== null ? { iteration: run.iteration } : {}),
    attempts: Array.from({ length: run.attempts }),
  }));
  const ofTask = new Map(runs.rows.map((run) => [run.task_id, run.of_task]));
  const graph = executionGraph(flowGraph(flow, registry), {
    taskRunList,
  } as unknown as Execution);
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const total = node.taskId && node.runs ? (ofTask.get(node.taskId) ?? 0) : 0;
      return node.runs && total > node.runs.length ? { ...node, runCount: total } : node;
    }),
  };
}
