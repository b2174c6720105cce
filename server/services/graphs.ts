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

export async function executionFlowGraph(scope: ServiceScope, executionId: string): Promise<ExecutionGraph> {
  // The runs from the task_runs table (kept with the document by the execution store): a 5,000-run
  // execution's 4 MB document is not read for the few fields a node carries.
  const found = await scope.db.execution.findUnique({
    where: { id: executionId },
    select: { namespace: true, flowId: true, flowRevision: true },
  });
  if (!found) throw new NotFoundError(`Execution ${executionId} not found.`);
  const engine = await scope.engine();
  const [revision, runs] = await Promise.all([
    scope.db.flowRevision.findUnique({
      where: {
        tenantId_namespace_flowId_revision: {
          tenantId: scope.tenant.id,
          namespace: found.namespace,
          flowId: found.flowId,
          revision: found.flowRevision,
        },
      },
    }),
    engine.ctx.pool.query<{
      id: string;
      task_id: string;
      state: string;
      value: string | null;
      iteration: number | null;
      attempts: number;
    }>(
      // The execution's own runs, then those of its Loops' iterations (executions of kind LOOP, nested
      // loops' too), each carrying its iteration's index and value as an inline loop's runs do.
      `with recursive iterations(id, index, value, started) as (
         select e.id, (e.document->'loopRun'->>'index')::int, e.document->'loopRun'->>'value', e.start_date
           from executions e where e.parent_id = $1 and e.tenant_id = $2 and e.kind = 'LOOP'
         union all
         select e.id, (e.document->'loopRun'->>'index')::int, e.document->'loopRun'->>'value', e.start_date
           from executions e join iterations i on e.parent_id = i.id where e.tenant_id = $2 and e.kind = 'LOOP'
       )
       select t.id, t.task_id, t.state::text, t.value, t.iteration, jsonb_array_length(t.attempts)::int as attempts
         from (select $1::text as id, null::int as index, null::text as value, null::timestamptz as started, 0 as own
               union all select id, index, value, started, 1 from iterations) x
         cross join lateral (
           select r.id, r.task_id, r.state, coalesce(r.value, x.value) as value,
                  coalesce(r.iteration, x.index) as iteration, r.attempts, r.position
             from task_runs r where r.execution_id = x.id and r.tenant_id = $2) t
        order by x.own, x.index, x.started, t.position`,
      [executionId, scope.tenant.id],
    ),
  ]);
  if (!revision) {
    throw new NotFoundError(
      `Flow ${found.namespace}.${found.flowId} revision ${found.flowRevision} of execution ${executionId} not found.`,
    );
  }
  // What executionGraph reads of each run (id, task, state, value, iteration, how many attempts).
  const taskRunList = runs.rows.map((run) => ({
    id: run.id,
    taskId: run.task_id,
    state: { current: run.state },
    ...(run.value !== null ? { value: run.value } : {}),
    ...(run.iteration !== null ? { iteration: run.iteration } : {}),
    attempts: Array.from({ length: run.attempts }),
  }));
  return executionGraph(flowGraph(parseOrThrow(revision.source).flow, registry), {
    taskRunList,
  } as unknown as Execution);
}
