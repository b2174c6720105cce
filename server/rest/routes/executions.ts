import { z } from "zod";
import { CHANGEABLE_STATES } from "@/engine/executor";
import { clientIp } from "../../auth/client-ip";
import { env } from "../../env";
import { executionOperations as ops } from "../../operations/executions";
import { contentTypeOf } from "../../services/execution-files";
import { flowId, label, namespace, taskRunId } from "../../services/schemas";
import { callWebhook } from "../../services/webhooks";
import { queryObject } from "../handler";
import { execution, executionGraphSchema, logEntry, paged } from "../responses";
import { type AnyRoute, defineRoute, type InputsBody, operationRoute } from "../route";
import { labelsAsText } from "../wire";

const inputsBody = { kind: "inputs" } as const;
const stateRequest = z.object({
  taskRunId,
  state: z.enum(CHANGEABLE_STATES).meta({ description: "The task run's new state." }),
});

function start(path: string, summary: string) {
  return operationRoute(ops.start, {
    method: "POST",
    path,
    tag: "Executions",
    summary,
    inQuery: ["labels", "wait", "revision", "scheduleDate"],
    overrides: { labels: labelsAsText },
    body: inputsBody,
    responses: [
      { status: 200, description: "The execution (ended, with outputs, when wait=true).", schema: execution },
      { status: 422, description: "Inputs that do not fit the flow: one detail per input, nothing created." },
    ],
    input: ({ params, query, body }) => {
      const inputs = body as InputsBody;
      return { ...params, ...query, inputs: inputs.values, files: inputs.files, wait: query.wait ?? false };
    },
  });
}

function operation(
  op: "kill" | "pause" | "resume" | "restart",
  methods: ("POST" | "DELETE")[],
  summary: string,
) {
  return operationRoute(ops.operate, {
    method: methods,
    path: `/executions/{executionId}/${op}`,
    tag: "Executions",
    summary,
    ...(op === "resume" ? { body: inputsBody } : {}),
    responses: [
      { status: 200, description: "The execution after the operation.", schema: execution },
      { status: 409, description: "The execution's state does not allow it." },
    ],
    input: ({ params, body }) => ({
      ...params,
      operation: op,
      ...(op === "resume" ? { inputs: (body as InputsBody | undefined)?.values } : {}),
    }),
  });
}

const webhookParams = z.object({ namespace, flowId, key: z.string().min(1).max(1000) });

export const executionRoutes: AnyRoute[] = [
  start(
    "/executions/{namespace}/{flowId}",
    "Start an execution. Inputs as multipart/form-data (FILE inputs as files), JSON or a form.",
  ),
  start("/executions/trigger/{namespace}/{flowId}", "Start an execution (Kestra's older path)."),
  operationRoute(ops.search, {
    method: "GET",
    path: "/executions/search",
    tag: "Executions",
    summary: "Search executions, newest first.",
    overrides: { labels: labelsAsText },
    responses: [
      { status: 200, description: "A page of executions.", schema: paged(execution, "PagedExecutions") },
    ],
  }),
  operationRoute(ops.get, {
    method: "GET",
    path: "/executions/{executionId}",
    tag: "Executions",
    summary: "An execution.",
    responses: [{ status: 200, description: "The execution.", schema: execution }],
  }),
  operationRoute(ops.graph, {
    method: "GET",
    path: "/executions/{executionId}/graph",
    tag: "Executions",
    summary: "The topology of an execution's flow revision, each task node with its runs and their states.",
    responses: [{ status: 200, description: "The graph.", schema: executionGraphSchema }],
  }),
  operationRoute(ops.delete, {
    method: "DELETE",
    path: "/executions/{executionId}",
    tag: "Executions",
    summary: "Delete an ended execution with its task runs and logs.",
    responses: [{ status: 204, description: "Deleted." }],
  }),
  operationRoute(ops.evaluate, {
    method: "POST",
    path: "/executions/{executionId}/eval",
    tag: "Executions",
    summary:
      "Render an expression (the plain-text body) in this execution's context, secrets masked (Kestra's eval).",
    body: { kind: "text" },
    responses: [
      {
        status: 200,
        description: "`{ value }` rendered, or `{ error }` when the expression does not render.",
        schema: z.object({ value: z.string().optional(), error: z.string().optional() }),
      },
    ],
    input: ({ params, body }) => ({ ...params, expression: String(body ?? "") }),
  }),
  operationRoute(ops.file, {
    method: "GET",
    path: "/executions/{executionId}/file",
    tag: "Executions",
    summary: "One of the execution's files in internal storage (`path=kestra:///...`). Needs EXECUTION:READ.",
    responses: [
      { status: 200, description: "The file's bytes.", contentType: "application/octet-stream" },
      { status: 400, description: "The path is not under this execution's storage." },
      { status: 404, description: "No such file." },
    ],
    output: (file) =>
      new Response(file.content as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: {
          "content-type": contentTypeOf(file.extension),
          "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
          "x-content-type-options": "nosniff",
        },
      }),
  }),
  operationRoute(ops.filePreview, {
    method: "GET",
    path: "/executions/{executionId}/file/preview",
    tag: "Executions",
    summary: "A preview of one of the execution's files: text (cut at 256 KiB), an image, or binary.",
    responses: [
      {
        status: 200,
        description: "The preview.",
        schema: z.object({
          name: z.string(),
          extension: z.string(),
          type: z.enum(["TEXT", "IMAGE", "BINARY"]),
          content: z.string().optional(),
          size: z.number().int(),
          truncated: z.boolean(),
        }),
      },
      { status: 404, description: "No such file." },
    ],
  }),
  operation("kill", ["DELETE", "POST"], "Kill an execution (Kestra uses DELETE; POST works too)."),
  operation("pause", ["POST"], "Pause a running execution."),
  operation("resume", ["POST"], "Resume a paused execution, with the Pause task's onResume inputs if any."),
  operation("restart", ["POST"], "Restart a failed execution from its failed task runs."),
  operationRoute(ops.changeTaskRunState, {
    method: "POST",
    path: "/executions/{executionId}/state",
    tag: "Executions",
    summary:
      "Change a task run's state (Kestra's markAs) on an ended execution: { taskRunId, state: SUCCESS | WARNING | FAILED }; the execution goes on from there.",
    body: { kind: "json", schema: stateRequest },
    responses: [
      { status: 200, description: "The execution, restarted from the task run.", schema: execution },
      { status: 404, description: "No such execution or task run." },
      { status: 409, description: "The execution has not ended." },
      { status: 422, description: "The task run cannot take that state." },
    ],
    input: ({ params, body }) => ({ ...params, ...(body as z.infer<typeof stateRequest>) }),
  }),
  operationRoute(ops.setLabels, {
    method: "POST",
    path: "/executions/{executionId}/labels",
    tag: "Executions",
    summary:
      "Set the execution's labels to the JSON array of {key, value} given: a label left out is removed (system labels stay).",
    body: { kind: "json", schema: z.array(label).max(100) },
    responses: [
      { status: 200, description: "The execution with its new labels.", schema: execution },
      { status: 422, description: "A label without a key, given twice, or a system label." },
    ],
    input: ({ params, body }) => ({ ...params, labels: body }),
  }),
  operationRoute(ops.replay, {
    method: "POST",
    path: "/executions/{executionId}/replay",
    tag: "Executions",
    summary:
      "Replay an execution as a new one, from a task run (default: the first), with new inputs if given.",
    inQuery: ["taskRunId"],
    body: inputsBody,
    responses: [{ status: 200, description: "The new execution.", schema: execution }],
    input: ({ params, query, body }) => {
      const inputs = (body as InputsBody).values;
      return { ...params, ...query, ...(Object.keys(inputs).length > 0 ? { inputs } : {}) };
    },
  }),
  operationRoute(ops.follow, {
    method: "GET",
    path: "/executions/{executionId}/follow",
    tag: "Executions",
    summary: "Server-Sent Events: the execution each time it changes, until it ends (then an `end` event).",
    responses: [
      {
        status: 200,
        description: "text/event-stream of executions.",
        contentType: "text/event-stream",
        schema: execution,
      },
    ],
  }),
  ...(["GET", "POST", "PUT"] as const).map((method) =>
    defineRoute({
      method,
      path: "/executions/webhook/{namespace}/{flowId}/{key}",
      tag: "Webhooks",
      summary: `Trigger a flow's Webhook trigger (${method}). No token: the key is the credential. Rate-limited.`,
      auth: "webhook",
      params: webhookParams,
      body: { kind: "text" },
      responses: [
        {
          status: 200,
          description: "The execution started (with `wait`, ended; with `returnOutputs`, its outputs only).",
          schema: execution,
        },
        { status: 204, description: "The trigger's conditions do not hold: nothing started." },
        { status: 404, description: "No such tenant, flow, webhook trigger or key (one answer for all)." },
        { status: 429, description: "Rate limit reached (Retry-After says when to come back)." },
      ],
      webhook: async ({ tenant, params, body, request, db, engine }) => {
        const answer = await callWebhook(
          db,
          engine,
          tenant,
          params,
          {
            method,
            headers: request.headers,
            query: queryObject(new URL(request.url)),
            body: (body as string | undefined) ?? "",
            ...(clientIp(request.headers) ? { ip: clientIp(request.headers) } : {}),
          },
          { limitPerMinute: env.CADENZA_WEBHOOK_RATE_LIMIT },
        );
        return answer.status === 204 ? { status: 204 } : { body: answer.body };
      },
    }),
  ),
];

function logLine(log: { timestamp: string; level: string; taskId: string | null; message: string }): string {
  return `${log.timestamp} ${log.level.padEnd(5)} ${log.taskId ? `[${log.taskId}] ` : ""}${log.message}`;
}

export const logRoutes: AnyRoute[] = [
  operationRoute(ops.logs, {
    method: "GET",
    path: "/logs/{executionId}",
    tag: "Logs",
    summary: "An execution's logs, in order.",
    responses: [{ status: 200, description: "The log entries.", schema: z.array(logEntry) }],
  }),
  operationRoute(ops.logs, {
    method: "GET",
    path: "/logs/{executionId}/download",
    tag: "Logs",
    summary: "An execution's logs as plain text, one line each.",
    responses: [{ status: 200, description: "Text lines.", contentType: "text/plain" }],
    output: (logs, { params }) =>
      new Response(logs.map((log) => `${logLine(log)}\n`).join(""), {
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "content-disposition": `attachment; filename="${params.executionId}.log"`,
        },
      }),
  }),
  operationRoute(ops.followLogs, {
    method: "GET",
    path: "/logs/{executionId}/follow",
    tag: "Logs",
    summary:
      "Server-Sent Events: each log entry as it is written, until the execution has ended (then `end`).",
    responses: [
      {
        status: 200,
        description: "text/event-stream of log entries.",
        contentType: "text/event-stream",
        schema: logEntry,
      },
    ],
  }),
];
