// The executions list, its bulk operations and the dashboard, for the UI (the REST API has the bulk
// operations under Kestra's `/executions/{op}/by-ids|by-query` paths).
import { z } from "zod";
import { dashboard, RANGES } from "../../services/dashboard";
import type { ExecutionFilter } from "../../services/execution-query";
import { BULK_MAX, BULK_OPERATIONS, bulkByIds, bulkByQuery } from "../../services/executions-bulk";
import {
  countExecutions,
  executionsChangedSince,
  executionsOverTime,
  listExecutionPage,
} from "../../services/executions-list";
import { executionId, executionKind, flowId, isoDate, label, namespace, state } from "../../services/schemas";
import { createTRPCRouter, tenantProcedure } from "../trpc";

export const executionFilter = z.object({
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

export const executionListRouter = createTRPCRouter({
  page: tenantProcedure
    .input(
      z.object({
        filter: executionFilter,
        cursor: z.string().max(200).optional(),
        size: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) =>
      listExecutionPage(ctx.scope, clean(input.filter), {
        size: input.size,
        ...(input.cursor ? { cursor: input.cursor } : {}),
      }),
    ),
  count: tenantProcedure
    .input(z.object({ filter: executionFilter }))
    .query(({ ctx, input }) => countExecutions(ctx.scope, clean(input.filter))),
  changedSince: tenantProcedure
    .input(z.object({ filter: executionFilter, since: isoDate }))
    .query(({ ctx, input }) => executionsChangedSince(ctx.scope, clean(input.filter), input.since)),
  overTime: tenantProcedure
    .input(z.object({ filter: executionFilter, bucket: z.enum(["hour", "day"]).default("day"), timeZone }))
    .query(({ ctx, input }) =>
      executionsOverTime(ctx.scope, clean(input.filter), { bucket: input.bucket, timeZone: input.timeZone }),
    ),
  bulk: tenantProcedure
    .input(
      z.object({
        operation: z.enum(BULK_OPERATIONS),
        /** Either the ids chosen, or the filter (every execution it matches). */
        ids: z.array(executionId).max(BULK_MAX).optional(),
        filter: executionFilter.optional(),
        labels: z.array(label).max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const options = input.labels ? { labels: input.labels } : {};
      return input.ids
        ? bulkByIds(ctx.scope, input.operation, input.ids, options)
        : bulkByQuery(ctx.scope, input.operation, clean(input.filter ?? {}), options);
    }),
});

export const dashboardRouter = createTRPCRouter({
  get: tenantProcedure
    .input(
      z.object({
        range: z.enum(Object.keys(RANGES) as [keyof typeof RANGES]).default("7d"),
        timeZone,
        namespace: namespace.optional(),
        flowId: flowId.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      dashboard(ctx.scope, {
        range: input.range,
        timeZone: input.timeZone,
        ...(input.namespace ? { namespace: input.namespace } : {}),
        ...(input.flowId ? { flowId: input.flowId } : {}),
      }),
    ),
});
