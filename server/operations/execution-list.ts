// The executions list of the UI (a page, counts, what changed, a histogram), its bulk actions, and the
// dashboard. The REST API has the bulk actions under Kestra's `/executions/{op}/by-ids|by-query` paths.
import { z } from "zod";
import { dashboard, RANGES } from "../services/dashboard";
import type { ExecutionFilter } from "../services/execution-query";
import { BULK_MAX, BULK_OPERATIONS, bulkByIds, bulkByQuery } from "../services/executions-bulk";
import {
  countExecutions,
  executionsChangedSince,
  executionsOverTime,
  listExecutionPage,
} from "../services/executions-list";
import { executionId, executionKind, flowId, isoDate, label, namespace, state } from "../services/schemas";
import { defineOperation } from "./operation";

const executionFilter = z.object({
  namespace: namespace.optional(),
  flowId: flowId.optional(),
  states: z.array(state).max(20).optional(),
  labels: z.array(label).max(20).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  triggerType: z.string().max(200).optional(),
  parentId: executionId.optional(),
  kind: executionKind.optional(),
});

/** zod's optional keys carry `undefined`; the services want them absent. */
function clean(filter: z.infer<typeof executionFilter>): ExecutionFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ExecutionFilter;
}

const timeZone = z.string().max(64).default("UTC");
/** Lists read what some binding covers: the service narrows the rows to it. */
const readSomewhere = { resource: "EXECUTION", action: "READ", namespace: "any" } as const;

export const executionListOperations = {
  page: defineOperation({
    name: "executionList.page",
    kind: "query",
    input: z.object({
      filter: executionFilter,
      cursor: z.string().max(200).optional(),
      size: z.number().int().min(1).max(200).default(50),
    }),
    permission: readSomewhere,
    run: (scope, input) =>
      listExecutionPage(scope, clean(input.filter), {
        size: input.size,
        ...(input.cursor ? { cursor: input.cursor } : {}),
      }),
  }),
  count: defineOperation({
    name: "executionList.count",
    kind: "query",
    input: z.object({ filter: executionFilter }),
    permission: readSomewhere,
    run: (scope, input) => countExecutions(scope, clean(input.filter)),
  }),
  changedSince: defineOperation({
    name: "executionList.changedSince",
    kind: "query",
    input: z.object({ filter: executionFilter, since: isoDate }),
    permission: readSomewhere,
    run: (scope, input) => executionsChangedSince(scope, clean(input.filter), input.since),
  }),
  overTime: defineOperation({
    name: "executionList.overTime",
    kind: "query",
    input: z.object({ filter: executionFilter, bucket: z.enum(["hour", "day"]).default("day"), timeZone }),
    permission: readSomewhere,
    run: (scope, input) =>
      executionsOverTime(scope, clean(input.filter), { bucket: input.bucket, timeZone: input.timeZone }),
  }),
  /**
   * Each execution is authorized on its own namespace by the service, and a refusal is one line of the
   * result (the rest still run), as Kestra's bulk endpoints answer: so no single check up front.
   */
  bulk: defineOperation({
    name: "executionList.bulk",
    kind: "mutation",
    audit: { none: "each execution is audited by the single-execution service the bulk action calls" },
    input: z.object({
      operation: z.enum(BULK_OPERATIONS),
      /** Either the ids chosen, or the filter (every execution it matches). */
      ids: z.array(executionId).max(BULK_MAX).optional(),
      filter: executionFilter.optional(),
      labels: z.array(label).max(100).optional(),
    }),
    permission: "authenticated",
    run: (scope, input) => {
      const options = input.labels ? { labels: input.labels } : {};
      return input.ids
        ? bulkByIds(scope, input.operation, input.ids, options)
        : bulkByQuery(scope, input.operation, clean(input.filter ?? {}), options);
    },
  }),
};

export const dashboardOperations = {
  get: defineOperation({
    name: "dashboard.get",
    kind: "query",
    input: z.object({
      range: z.enum(Object.keys(RANGES) as [keyof typeof RANGES]).default("7d"),
      timeZone,
      namespace: namespace.optional(),
      flowId: flowId.optional(),
    }),
    permission: readSomewhere,
    run: (scope, input) =>
      dashboard(scope, {
        range: input.range,
        timeZone: input.timeZone,
        ...(input.namespace ? { namespace: input.namespace } : {}),
        ...(input.flowId ? { flowId: input.flowId } : {}),
      }),
  }),
};
