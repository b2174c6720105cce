// Kestra's bulk execution paths: `{op}/by-ids` (a JSON array of ids) and `{op}/by-query` (the search's
// filters as query parameters) for restart, replay, kill (DELETE), resume, delete (DELETE /executions/by-*),
// labels, force-run, unqueue and change-status (`?newStatus=`). Every execution is authorized on its own namespace and audited on its own; the answer is
// { count, failed, errors: [{ id, message }] }.
import { z } from "zod";
import { executionActionOperations as ops } from "../../operations/execution-actions";
import type { ExecutionFilter } from "../../services/execution-query";
import { BULK_MAX, type BulkOperation } from "../../services/executions-bulk";
import {
  executionId,
  executionKind,
  flowId,
  isoDate,
  label,
  labelText,
  namespace,
  repeated,
  state,
} from "../../services/schemas";
import { type AnyRoute, type Method, operationRoute } from "../route";

const ids = z.array(executionId).min(1).max(BULK_MAX);

export const bulkResult = z
  .object({
    count: z.number().meta({ description: "Executions the operation was applied to." }),
    failed: z.number().meta({ description: "Executions it was refused for." }),
    errors: z
      .array(z.object({ id: z.string(), message: z.string() }))
      .meta({ description: "Why, for the first 100 of them." }),
  })
  .meta({ id: "BulkResult" });

export const bulkQuery = z.object({
  namespace: namespace.optional().meta({ description: "This namespace and its children." }),
  flowId: flowId.optional(),
  state: repeated(state),
  labels: repeated(labelText).meta({ description: "Labels as key:value, repeatable." }),
  startDate: isoDate.optional().meta({ description: "Started at or after." }),
  endDate: isoDate.optional().meta({ description: "Started before." }),
  triggerType: z.string().max(200).optional().meta({ description: "e.g. Schedule, Webhook, Flow." }),
  triggerExecutionId: executionId.optional().meta({ description: "Subflow executions of this execution." }),
  kind: executionKind.optional(),
});
type BulkQuery = z.infer<typeof bulkQuery>;

export function filterFromQuery(query: BulkQuery): ExecutionFilter {
  return {
    ...(query.namespace ? { namespace: query.namespace } : {}),
    ...(query.flowId ? { flowId: query.flowId } : {}),
    ...(query.state?.length ? { states: query.state } : {}),
    ...(query.labels?.length ? { labels: query.labels } : {}),
    ...(query.startDate ? { from: query.startDate } : {}),
    ...(query.endDate ? { to: query.endDate } : {}),
    ...(query.triggerType ? { triggerType: query.triggerType } : {}),
    ...(query.triggerExecutionId ? { parentId: query.triggerExecutionId } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
  };
}

const responses = [
  { status: 200, description: "How many were done, and why the others were not.", schema: bulkResult },
  { status: 422, description: "Too many executions (more than 10,000), or no label to set." },
];

function byIds(operation: BulkOperation, method: Method, path: string, what: string): AnyRoute {
  return operationRoute(ops.bulkByIds, {
    method,
    path,
    tag: "Executions",
    summary: `${what} the executions whose ids are given (a JSON array).`,
    body: { kind: "json", schema: ids },
    responses,
    input: ({ body }) => ({ operation, ids: body }),
  });
}

function byQuery(operation: BulkOperation, method: Method, path: string, what: string): AnyRoute {
  return operationRoute(ops.bulkByQuery, {
    method,
    path,
    tag: "Executions",
    summary: `${what} every execution the filters match (at most 10,000).`,
    query: bulkQuery,
    responses,
    input: ({ query }) => ({ operation, filter: filterFromQuery(query as BulkQuery) }),
  });
}

const newStatus = z.object({ newStatus: state.meta({ description: "The end state to give them." }) });

const labelsByIds = z.object({
  executionsId: ids,
  executionLabels: z.array(label).min(1).max(100),
});

export const executionBulkRoutes: AnyRoute[] = [
  byIds("restart", "POST", "/executions/restart/by-ids", "Restart"),
  byQuery("restart", "POST", "/executions/restart/by-query", "Restart"),
  byIds("replay", "POST", "/executions/replay/by-ids", "Replay (as new executions)"),
  byQuery("replay", "POST", "/executions/replay/by-query", "Replay (as new executions)"),
  byIds("kill", "DELETE", "/executions/kill/by-ids", "Kill"),
  byQuery("kill", "DELETE", "/executions/kill/by-query", "Kill"),
  byIds("resume", "POST", "/executions/resume/by-ids", "Resume"),
  byQuery("resume", "POST", "/executions/resume/by-query", "Resume"),
  byIds("delete", "DELETE", "/executions/by-ids", "Delete (ended executions only)"),
  byQuery("delete", "DELETE", "/executions/by-query", "Delete (ended executions only)"),
  byIds("force-run", "POST", "/executions/force-run/by-ids", "Force to run"),
  byQuery("force-run", "POST", "/executions/force-run/by-query", "Force to run"),
  byIds("unqueue", "POST", "/executions/unqueue/by-ids", "Unqueue (QUEUED executions only)"),
  byQuery("unqueue", "POST", "/executions/unqueue/by-query", "Unqueue (QUEUED executions only)"),
  operationRoute(ops.bulkByIds, {
    method: "POST",
    path: "/executions/change-status/by-ids",
    tag: "Executions",
    summary: "Give the ended executions whose ids are given (a JSON array) the end state `newStatus`.",
    query: newStatus,
    body: { kind: "json", schema: ids },
    responses,
    input: ({ query, body }) => ({ operation: "change-status", ids: body, status: query.newStatus }),
  }),
  operationRoute(ops.bulkByQuery, {
    method: "POST",
    path: "/executions/change-status/by-query",
    tag: "Executions",
    summary: "Give every ended execution the filters match the end state `newStatus`.",
    query: bulkQuery.extend(newStatus.shape),
    responses,
    input: ({ query }) => ({
      operation: "change-status",
      filter: filterFromQuery(query as BulkQuery),
      status: (query as { newStatus: z.infer<typeof state> }).newStatus,
    }),
  }),
  operationRoute(ops.bulkByIds, {
    method: "POST",
    path: "/executions/labels/by-ids",
    tag: "Executions",
    summary: "Set labels on the executions given: { executionsId, executionLabels } (other keys are kept).",
    body: { kind: "json", schema: labelsByIds },
    responses,
    input: ({ body }) => {
      const { executionsId, executionLabels } = body as z.infer<typeof labelsByIds>;
      return { operation: "labels", ids: executionsId, labels: executionLabels };
    },
  }),
  operationRoute(ops.bulkByQuery, {
    method: "POST",
    path: "/executions/labels/by-query",
    tag: "Executions",
    summary: "Set labels (a JSON array of {key, value}) on every execution the filters match.",
    query: bulkQuery,
    body: { kind: "json", schema: z.array(label).min(1).max(100) },
    responses,
    input: ({ query, body }) => ({
      operation: "labels",
      filter: filterFromQuery(query as BulkQuery),
      labels: body,
    }),
  }),
];
