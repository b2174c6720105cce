// Flows, executions, namespaces, KV, secrets and triggers of a tenant, for the UI (the REST API has the
// same services under Kestra's paths).
import { z } from "zod";
import { CHANGEABLE_STATES, EXECUTION_END_STATES, toExecutionJson } from "@/engine/executor";
import { flowOperations } from "../../operations/flows";
import { deleteSecret, inheritedSecrets, listSecrets, setSecret } from "../../secrets/service";
import { changeExecutionStatus, forceRunExecution, unqueueExecution } from "../../services/execution-actions";
import { setExecutionLabels } from "../../services/execution-labels";
import { logCounts, logPage, MAX_LOG_PAGE, nextLogLine } from "../../services/execution-logs";
import { executionAbilities, executionRelatives, taskDurationMedians } from "../../services/execution-page";
import { executionTaskRuns, getExecutionPageView } from "../../services/execution-page-view";
import {
  changeTaskRunState,
  executionLogs,
  getExecution,
  operateExecution,
  replayExecution,
  searchExecutions,
  startExecution,
} from "../../services/executions";
import { previewExpression } from "../../services/expression-preview";
import { executionFlowGraph } from "../../services/graphs";
import { deleteKv, getKv, listKv, setKv } from "../../services/kv";
import {
  createNamespace,
  deleteNamespace,
  listNamespaces,
  setAllowedNamespaces,
} from "../../services/namespaces";
import {
  allowedNamespaces,
  executionId,
  flowId,
  isoDate,
  kvKey,
  label,
  logLevel,
  namespace,
  page,
  secretName,
  size,
  state,
  taskRunId,
  triggerId,
} from "../../services/schemas";
import {
  controlBackfill,
  listTriggers,
  setTriggerDisabled,
  startBackfill,
  unlockTrigger,
} from "../../services/triggers";
import { routerOf } from "../from-operations";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const flowRef = z.object({ namespace, flowId });
const triggerRef = z.object({ namespace, flowId, triggerId });

const { ofNamespace: _restOnly, ...flowProcedures } = flowOperations;
export const flowsRouter = routerOf(flowProcedures);

const logCursor = z.object({ timestamp: z.iso.datetime(), id: z.string().regex(/^\d{1,19}$/) });
const logFilter = { minLevel: logLevel.optional(), text: z.string().max(200).optional() };

export const executionsRouter = createTRPCRouter({
  search: tenantProcedure
    .input(
      z.object({
        namespace: namespace.optional(),
        flowId: flowId.optional(),
        state: z.array(state).optional(),
        labels: z.array(label).optional(),
        startDate: isoDate.optional(),
        endDate: isoDate.optional(),
        page,
        size,
      }),
    )
    .query(({ ctx, input }) => searchExecutions(ctx.scope, input)),
  get: tenantProcedure
    .input(z.object({ executionId }))
    .query(({ ctx, input }) => getExecution(ctx.scope, input.executionId)),
  /** The execution page's first read: the execution with its task runs slim and packed. */
  page: tenantProcedure
    .input(z.object({ executionId }))
    .query(({ ctx, input }) => getExecutionPageView(ctx.scope, input.executionId)),
  /** The full task runs (outputs, attempts' errors and metrics) the page shows: of one task, some, or all. */
  taskRuns: tenantProcedure
    .input(
      z.object({
        executionId,
        taskId: z.string().min(1).max(100).optional(),
        taskRunIds: z.array(taskRunId).max(500).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { executionId: id, ...filter } = input;
      return executionTaskRuns(ctx.scope, id, filter);
    }),
  graph: tenantProcedure
    .input(z.object({ executionId }))
    .query(({ ctx, input }) => executionFlowGraph(ctx.scope, input.executionId)),
  abilities: tenantProcedure
    .input(z.object({ executionId }))
    .query(({ ctx, input }) => executionAbilities(ctx.scope, input.executionId)),
  relatives: tenantProcedure
    .input(z.object({ executionId }))
    .query(({ ctx, input }) => executionRelatives(ctx.scope, input.executionId)),
  taskMedians: tenantProcedure
    .input(flowRef)
    .query(({ ctx, input }) => taskDurationMedians(ctx.scope, input.namespace, input.flowId)),
  previewExpression: tenantProcedure
    .input(z.object({ executionId, expression: z.string().min(1).max(2000) }))
    .query(({ ctx, input }) => previewExpression(ctx.scope, input.executionId, input.expression)),
  logs: tenantProcedure
    .input(z.object({ executionId, minLevel: logLevel.optional(), taskId: z.string().max(100).optional() }))
    .query(({ ctx, input }) => executionLogs(ctx.scope, input.executionId, input)),
  logPage: tenantProcedure
    .input(
      z.object({
        executionId,
        ...logFilter,
        after: logCursor.optional(),
        before: logCursor.optional(),
        fromEnd: z.boolean().optional(),
        limit: z.number().int().min(1).max(MAX_LOG_PAGE).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { executionId: id, ...query } = input;
      return logPage(ctx.scope, id, query);
    }),
  logNext: tenantProcedure
    .input(
      z.object({
        executionId,
        level: logLevel,
        text: logFilter.text,
        after: logCursor.optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { executionId: id, ...query } = input;
      return nextLogLine(ctx.scope, id, query);
    }),
  logCounts: tenantProcedure.input(z.object({ executionId, ...logFilter })).query(({ ctx, input }) => {
    const { executionId: id, ...filter } = input;
    return logCounts(ctx.scope, id, filter);
  }),
  start: tenantProcedure
    .input(
      flowRef.extend({
        inputs: z.record(z.string(), z.unknown()).optional(),
        labels: z.array(label).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      startExecution(ctx.scope, input.namespace, input.flowId, {
        ...(input.inputs ? { inputs: input.inputs } : {}),
        ...(input.labels ? { labels: input.labels } : {}),
      }),
    ),
  operate: tenantProcedure
    .input(
      z.object({
        executionId,
        operation: z.enum(["kill", "pause", "resume", "restart"]),
        inputs: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      operateExecution(ctx.scope, input.executionId, input.operation, input.inputs),
    ),
  forceRun: tenantProcedure
    .input(z.object({ executionId }))
    .mutation(({ ctx, input }) => forceRunExecution(ctx.scope, input.executionId)),
  unqueue: tenantProcedure
    .input(z.object({ executionId }))
    .mutation(({ ctx, input }) => unqueueExecution(ctx.scope, input.executionId)),
  changeStatus: tenantProcedure
    .input(z.object({ executionId, state: z.enum(EXECUTION_END_STATES) }))
    .mutation(({ ctx, input }) => changeExecutionStatus(ctx.scope, input.executionId, input.state)),
  changeTaskRunState: tenantProcedure
    .input(z.object({ executionId, taskRunId, state: z.enum(CHANGEABLE_STATES) }))
    .mutation(({ ctx, input }) =>
      changeTaskRunState(ctx.scope, input.executionId, input.taskRunId, input.state),
    ),
  setLabels: tenantProcedure
    .input(z.object({ executionId, labels: z.array(label).max(100) }))
    .mutation(async ({ ctx, input }) =>
      toExecutionJson(await setExecutionLabels(ctx.scope, input.executionId, input.labels, "replace")),
    ),
  replay: tenantProcedure
    .input(
      z.object({
        executionId,
        taskRunId: taskRunId.optional(),
        inputs: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      replayExecution(ctx.scope, input.executionId, input.taskRunId, input.inputs),
    ),
});

export const namespacesRouter = createTRPCRouter({
  list: tenantProcedure
    .input(z.object({ q: z.string().max(200).optional() }))
    .query(({ ctx, input }) => listNamespaces(ctx.scope, input)),
  create: tenantProcedure
    .input(z.object({ namespace, description: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => createNamespace(ctx.scope, input.namespace, input.description)),
  delete: tenantProcedure
    .input(z.object({ namespace }))
    .mutation(({ ctx, input }) => deleteNamespace(ctx.scope, input.namespace)),
  setAllowedNamespaces: tenantProcedure
    .input(z.object({ namespace, allowedNamespaces }))
    .mutation(({ ctx, input }) => setAllowedNamespaces(ctx.scope, input.namespace, input.allowedNamespaces)),
  kv: tenantProcedure
    .input(z.object({ namespace }))
    .query(({ ctx, input }) => listKv(ctx.scope, input.namespace)),
  kvGet: tenantProcedure
    .input(z.object({ namespace, key: kvKey }))
    .query(({ ctx, input }) => getKv(ctx.scope, input.namespace, input.key)),
  kvSet: tenantProcedure
    .input(
      z.object({ namespace, key: kvKey, value: z.unknown(), ttlMs: z.number().int().positive().optional() }),
    )
    .mutation(({ ctx, input }) =>
      setKv(
        ctx.scope,
        input.namespace,
        input.key,
        input.value,
        input.ttlMs !== undefined ? { ttlMs: input.ttlMs } : {},
      ),
    ),
  kvDelete: tenantProcedure
    .input(z.object({ namespace, key: kvKey }))
    .mutation(({ ctx, input }) => deleteKv(ctx.scope, input.namespace, input.key)),
  secrets: tenantProcedure
    .input(z.object({ namespace }))
    .query(({ ctx, input }) => listSecrets(ctx.scope, input.namespace)),
  inheritedSecrets: tenantProcedure
    .input(z.object({ namespace }))
    .query(({ ctx, input }) => inheritedSecrets(ctx.scope, input.namespace)),
  secretSet: tenantProcedure
    .input(
      z.object({
        namespace,
        key: secretName,
        value: z.string().max(65_536),
        description: z.string().max(1000).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      setSecret(ctx.scope, input.namespace, input.key, input.value, input.description),
    ),
  secretDelete: tenantProcedure
    .input(z.object({ namespace, key: secretName }))
    .mutation(({ ctx, input }) => deleteSecret(ctx.scope, input.namespace, input.key)),
});

export const triggersRouter = createTRPCRouter({
  list: tenantProcedure
    .input(z.object({ namespace: namespace.optional(), flowId: flowId.optional() }))
    .query(({ ctx, input }) => listTriggers(ctx.scope, input)),
  setDisabled: tenantProcedure
    .input(triggerRef.extend({ disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setTriggerDisabled(ctx.scope, input, input.disabled)),
  backfill: tenantProcedure
    .input(
      triggerRef.extend({
        start: isoDate,
        end: isoDate,
        inputs: z.record(z.string(), z.unknown()).optional(),
        labels: z.array(label).optional(),
      }),
    )
    .mutation(({ ctx, input: { start, end, inputs, labels, ...ref } }) =>
      startBackfill(ctx.scope, ref, {
        start,
        end,
        ...(inputs ? { inputs } : {}),
        ...(labels ? { labels } : {}),
      }),
    ),
  controlBackfill: tenantProcedure
    .input(triggerRef.extend({ action: z.enum(["pause", "resume", "cancel"]) }))
    .mutation(({ ctx, input }) => controlBackfill(ctx.scope, input, input.action)),
  unlock: tenantProcedure.input(triggerRef).mutation(({ ctx, input }) => unlockTrigger(ctx.scope, input)),
});
