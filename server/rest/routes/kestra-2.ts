// Kestra 2.0's REST shapes beside the 1.x ones, so clients of either version work unchanged:
// single-execution actions under /executions/{id}/actions/{action} (the same routes as the 1.x paths,
// with the same authorization, since they are those routes), outputs read apart from the execution
// (2.0 no longer inlines them), the eval of a task run's context, and POST /expressions/render.
import { z } from "zod";
import { executionActionOperations as ops } from "../../operations/execution-actions";
import { executionOperations } from "../../operations/executions";
import { MAX_RENDER_EXPRESSIONS } from "../../services/expression-render";
import { executionId, flowId, namespace } from "../../services/schemas";
import { execution } from "../responses";
import { type AnyRoute, operationRoute } from "../route";

/** 1.x action path (after /executions/{executionId}/) → its 2.0 name under actions/. */
export const KESTRA2_ACTIONS: readonly (readonly [string, string])[] = [
  ["kill", "kill"],
  ["pause", "pause"],
  ["resume", "resume"],
  ["restart", "restart"],
  ["replay", "replay"],
  ["replay", "replay-with-inputs"],
  ["state", "state"],
  ["labels", "labels"],
  ["eval", "eval"],
  ["force-run", "force-run"],
  ["unqueue", "unqueue"],
  ["change-status", "change-status"],
];

/** The 2.0 paths of the given 1.x execution routes: the same route (handler, schemas, checks) at a new path. */
export function actionRoutes(executionRoutes: readonly AnyRoute[]): AnyRoute[] {
  return KESTRA2_ACTIONS.map(([legacy, action]) => {
    const route = executionRoutes.find((r) => r.path === `/executions/{executionId}/${legacy}`);
    if (!route) throw new Error(`no 1.x route /executions/{executionId}/${legacy} to alias`);
    return {
      ...route,
      path: `/executions/{executionId}/actions/${action}`,
      summary: `${route.summary} (Kestra 2.0 path)`,
    };
  });
}

const outputsMap = z.record(z.string(), z.unknown());

const review = z.object({
  decision: z.enum(["APPROVED", "DENIED"]),
  comment: z.string().max(10_000).optional(),
  taskRunId: z.string().optional(),
  inputs: outputsMap.optional(),
});

export const kestra2Routes: AnyRoute[] = [
  operationRoute(executionOperations.review, {
    method: "POST",
    path: "/executions/{executionId}/actions/review",
    tag: "Executions",
    summary:
      "Approve or deny the Approval task an execution waits on: `{ decision: APPROVED | DENIED, comment?, " +
      "taskRunId? (when several wait), inputs? }`. The reviewer (`by`) is the caller.",
    body: { kind: "json", schema: review },
    responses: [
      { status: 200, description: "The execution after the decision.", schema: execution },
      { status: 404, description: "No such execution, or no such task run." },
      { status: 409, description: "The execution is not waiting on an Approval (or not on that task run)." },
      {
        status: 422,
        description:
          "A comment is required (commentRequired), review inputs are invalid, or several Approvals wait and `taskRunId` is missing.",
      },
    ],
    input: ({ params, body }) => ({ ...(body as object), ...params }),
  }),
  operationRoute(ops.evalTaskRun, {
    method: "POST",
    path: "/executions/{executionId}/actions/eval/{taskRunId}",
    tag: "Executions",
    summary:
      "Render an expression (the plain-text body) in a task run's context (`taskrun`, `task`, its parents), secrets masked.",
    body: { kind: "text" },
    responses: [
      {
        status: 200,
        description: "`{ value }` rendered, or `{ error }` when the expression does not render.",
        schema: z.object({ value: z.string().optional(), error: z.string().optional() }),
      },
      { status: 404, description: "No such execution or task run." },
    ],
    input: ({ params, body }) => ({ ...params, expression: String(body ?? "") }),
  }),
  operationRoute(ops.outputs, {
    method: "GET",
    path: "/outputs/executions/{executionId}",
    tag: "Executions",
    summary: "The flow outputs of an execution (Kestra 2.0 no longer inlines them in the execution).",
    responses: [{ status: 200, description: "The flow's outputs by id.", schema: outputsMap }],
  }),
  operationRoute(ops.taskOutputs, {
    method: "GET",
    path: "/outputs/tasks/{executionId}/{taskRunId}",
    tag: "Executions",
    summary: "The outputs of one task run (Kestra 2.0).",
    responses: [
      { status: 200, description: "The task run's outputs.", schema: outputsMap },
      { status: 404, description: "No such execution or task run." },
    ],
  }),
  operationRoute(ops.renderExpressions, {
    method: "POST",
    path: "/expressions/render",
    tag: "Flows",
    summary:
      "Render expressions for display: each one whole or left as written; secret('KEY') shows as [secret: KEY]. Context: executionId, else a flow source, else namespace + flowId, else none.",
    body: {
      kind: "json",
      schema: z.object({
        expressions: z.array(z.string().max(2000)).max(MAX_RENDER_EXPRESSIONS),
        executionId: executionId.optional(),
        flow: z.string().max(1_000_000).optional(),
        namespace: namespace.optional(),
        flowId: flowId.optional(),
      }),
    },
    responses: [
      {
        status: 200,
        description: "`{ rendered }`: each expression given, with what it renders to.",
        schema: z.object({ rendered: z.record(z.string(), z.string()) }),
      },
    ],
    input: ({ body }) => body,
  }),
];
