// "What did this expression render to in that execution?" for the editor's hover: the expression is
// rendered against the execution's own variables (inputs, outputs, vars, flow, execution, labels, trigger)
// with the pure expression engine — no secret(), kv() or read(): those are refused, so a preview never
// reads a secret — and the result is masked with the tenant's secret values, like logs.
import { type Execution, executionVariables, taskRunVariables } from "@/engine/executor";
import { render } from "@/engine/expr";
import { type Flow, indexTasks, loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { NotFoundError } from "./errors";
import { readExecution } from "./executions";
import type { ServiceScope } from "./scope";

const registry = builtInRegistry();
const MAX_PREVIEW = 4_000;

export interface ExpressionPreview {
  /** The rendered text (masked, cut at 4,000 characters), absent when rendering failed. */
  value?: string;
  /** Why it could not be rendered there. */
  error?: string;
}

/** The flow revision an execution ran. */
export async function previewFlowOf(scope: ServiceScope, execution: Execution): Promise<Flow> {
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
  const flow = revision ? loadFlow(revision.source, { registry }).flow : undefined;
  if (!flow) throw new NotFoundError(`The flow revision of execution ${execution.id} could not be read.`);
  return flow;
}

export async function previewExpression(
  scope: ServiceScope,
  executionId: string,
  expression: string,
  /** Render in this task run's context (`taskrun`, `task`, its parents' values), as Kestra's eval/{taskRunId}. */
  taskRunId?: string,
): Promise<ExpressionPreview> {
  const execution = await readExecution(scope, executionId); // EXECUTION:READ on its namespace
  const flow = await previewFlowOf(scope, execution);
  const env = { envs: {}, globals: {} };
  let context = executionVariables(flow, execution, env);
  if (taskRunId !== undefined) {
    const run = execution.taskRunList.find((r) => r.id === taskRunId);
    const task = run ? indexTasks(flow, registry).get(run.taskId)?.task : undefined;
    if (!run || !task)
      throw new NotFoundError(`Task run ${taskRunId} is not part of execution ${executionId}.`);
    context = taskRunVariables(flow, execution, task, run, env);
  }
  const engine = await scope.engine();
  const mask = await engine.ctx.masker(engine.ctx.pool, scope.tenant.id);
  try {
    const text = render(expression, context, { now: scope.now, random: Math.random });
    const masked = mask ? mask(text) : text;
    return { value: masked.length > MAX_PREVIEW ? `${masked.slice(0, MAX_PREVIEW)}…` : masked };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { error: mask ? mask(message) : message };
  }
}
