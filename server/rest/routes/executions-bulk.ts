// Kestra's bulk execution paths: `{op}/by-ids` (a JSON array of ids) and `{op}/by-query` (the search's
// filters as query parameters) for restart, replay, kill (DELETE), resume, delete (DELETE /executions/by-*),
// labels, force-run, unqueue and change-status (`?newStatus=`). Every execution is authorized on its own namespace and audited on its own; the answer is
// { count, failed, errors: [{ id, message }] }.
import { z } from "zod";
import { executionActionOperations as ops } from "../../operations/execution-actions";
import type { ExecutionFilter } from "../../services/execution-query";
import { BULK_MAX, type BulkOperation } from "../../services/executions-bulk";
import { executionId, label, state } from "../../services/schemas";
import { type AnyRoute, type Method, operationRoute } from "../route";
import { inputShape, labelsAsText, wireField, wireOverride } from "../wire";

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

/**
 * Kestra's names for the by-query filter (`state`, `startDate`...), each filling a field of the operation's
 * `filter`: the query's schemas are that field's wire form (wire.ts), so the two cannot drift.
 */
const FILTER_FIELDS = {
  namespace: "namespace",
  flowId: "flowId",
  state: "states",
  startDate: "from",
  endDate: "to",
  triggerType: "triggerType",
  triggerExecutionId: "parentId",
  kind: "kind",
} as const satisfies Record<string, keyof ExecutionFilter>;
type FilterParameter = keyof typeof FILTER_FIELDS;
type BulkQuery = { [K in FilterParameter]?: ExecutionFilter[(typeof FILTER_FIELDS)[K]] } & {
  labels?: ExecutionFilter["labels"];
};

const DESCRIPTIONS: Partial<Record<FilterParameter, string>> = {
  namespace: "This namespace and its children.",
  startDate: "Started at or after.",
  endDate: "Started before.",
  triggerType: "e.g. Schedule, Webhook, Flow.",
  triggerExecutionId: "Subflow executions of this execution.",
};

const filterShape = inputShape(inputShape(ops.bulkByQuery.input).filter);
export const bulkQuery = z.object(
  Object.fromEntries(
    Object.entries(FILTER_FIELDS).map(([name, field]) => {
      const wire = wireField(filterShape[field] as z.ZodType, `bulk by-query: query parameter ${name}`);
      const description = DESCRIPTIONS[name as FilterParameter];
      return [name, description ? wire.meta({ description }) : wire];
    }),
  ),
);

/**
 * The filter's labels (the operation's own `labels` are those a labels action sets): `key:value` text.
 * An override, since the name is the operation's.
 */
const filterLabels = wireOverride(
  labelsAsText.schema,
  "the search filter's labels as key:value text; the mapping puts them in `filter`, while the operation's own `labels` are the labels a labels action sets",
);

export function filterFromQuery(query: BulkQuery): ExecutionFilter {
  const filter: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(FILTER_FIELDS)) {
    const value = query[name as FilterParameter];
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) continue;
    filter[field] = value;
  }
  if (query.labels?.length) filter.labels = query.labels;
  return filter as ExecutionFilter;
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
    overrides: { labels: filterLabels },
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
    overrides: { labels: filterLabels },
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
    overrides: { labels: filterLabels },
    body: { kind: "json", schema: z.array(label).min(1).max(100) },
    responses,
    input: ({ query, body }) => ({
      operation: "labels",
      filter: filterFromQuery(query as BulkQuery),
      labels: body,
    }),
  }),
];
