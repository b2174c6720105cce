// Kestra 2.0's `POST /expressions/render`: expressions rendered for display only (the editor and the
// execution page show what `{{ … }}` stands for). Each expression is rendered whole or left as written:
// anything the display engine cannot resolve (kv(), read(), a missing variable…) returns the expression
// unchanged, and secret('KEY') shows as `[secret: KEY]`, never its value. The context is, by priority,
// the execution's (EXECUTION:READ), a flow source being edited, a stored flow (FLOW:READ), or nothing.
// Output is masked with the tenant's secret values, like logs.
import { executionVariables, labelsMap } from "@/engine/executor";
import { type ExprFunction, renderAsync } from "@/engine/expr";
import type { Flow } from "@/engine/flow";
import { readExecution } from "./executions";
import { previewFlowOf } from "./expression-preview";
import { getFlow, parseOrThrow } from "./flows";
import { check, type ServiceScope } from "./scope";

export const MAX_RENDER_EXPRESSIONS = 100;

export interface RenderRequest {
  expressions: string[];
  executionId?: string;
  /** A flow's YAML, possibly unsaved. */
  flow?: string;
  namespace?: string;
  flowId?: string;
}

const displayFunctions: Record<string, ExprFunction> = {
  secret: (args, named) => `[secret: ${String(args[0] ?? named.key ?? "")}]`,
};

function flowVariables(flow: Flow): Record<string, unknown> {
  return {
    flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision, tenantId: flow.tenantId },
    vars: flow.variables,
    labels: labelsMap(flow),
  };
}

async function contextOf(scope: ServiceScope, request: RenderRequest): Promise<Record<string, unknown>> {
  if (request.executionId) {
    const execution = await readExecution(scope, request.executionId); // EXECUTION:READ
    const flow = await previewFlowOf(scope, execution);
    return executionVariables(flow, execution, { envs: {}, globals: {} });
  }
  if (request.flow) {
    const { flow } = parseOrThrow(request.flow);
    check(scope, "FLOW", "READ", flow.namespace);
    return flowVariables(flow);
  }
  if (request.namespace && request.flowId) {
    const stored = await getFlow(scope, request.namespace, request.flowId); // FLOW:READ
    return flowVariables(parseOrThrow(stored.source).flow);
  }
  return {};
}

export async function renderExpressions(
  scope: ServiceScope,
  request: RenderRequest,
): Promise<{ rendered: Record<string, string> }> {
  const context = await contextOf(scope, request);
  const engine = await scope.engine();
  const mask = await engine.ctx.masker(engine.ctx.pool, scope.tenant.id);
  const rendered: Record<string, string> = {};
  for (const expression of request.expressions) {
    let text: string;
    try {
      text = await renderAsync(expression, context, {
        functions: displayFunctions,
        now: scope.now,
        random: Math.random,
      });
    } catch {
      text = expression;
    }
    rendered[expression] = mask ? mask(text) : text;
  }
  return { rendered };
}
