// Topology graphs for the editor and the execution page: of a saved flow (any revision), of YAML being
// edited (not saved), and of an execution (its flow revision, with each task's runs).
import type { Execution } from "@/engine/executor";
import { type ExecutionGraph, executionGraph, type FlowGraph, flowGraph } from "@/engine/graph";
import { builtInRegistry } from "@/plugins";
import { NotFoundError } from "./errors";
import { readExecution } from "./executions";
import { getFlow, parseOrThrow } from "./flows";
import type { ServiceScope } from "./scope";

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

/** The graph of YAML as typed: nothing is saved or read; invalid YAML is a 422 with line and column. */
export function sourceFlowGraph(scope: ServiceScope, source: string): FlowGraph {
  void scope; // reads nothing of the tenant; the scope proves the caller belongs to it
  return flowGraph(parseOrThrow(source).flow, registry);
}

export async function executionFlowGraph(scope: ServiceScope, executionId: string): Promise<ExecutionGraph> {
  const execution: Execution = await readExecution(scope, executionId);
  const revision = await scope.db.flowRevision.findUnique({
    where: {
      tenantId_namespace_flowId_revision: {
        tenantId: scope.tenant.id,
        namespace: execution.namespace,
        flowId: execution.flowId,
        revision: execution.flowRevision,
      },
    },
  });
  if (!revision) {
    throw new NotFoundError(
      `Flow ${execution.namespace}.${execution.flowId} revision ${execution.flowRevision} of execution ${executionId} not found.`,
    );
  }
  return executionGraph(flowGraph(parseOrThrow(revision.source).flow, registry), execution);
}
