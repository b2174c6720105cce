// Executions: search, read, start, operate, replay, relabel, delete; their logs and files.
import { z } from "zod";
import { CHANGEABLE_STATES, EXECUTION_END_STATES, toExecutionJson } from "@/engine/executor";
import { UnprocessableError } from "../services/errors";
import { changeExecutionStatus, forceRunExecution, unqueueExecution } from "../services/execution-actions";
import { previewExecutionFile, readExecutionFile } from "../services/execution-files";
import { setExecutionLabels } from "../services/execution-labels";
import { logCounts, logPage, MAX_LOG_PAGE, nextLogLine } from "../services/execution-logs";
import { executionAbilities, executionRelatives, taskDurationMedians } from "../services/execution-page";
import { executionTaskRuns, getExecutionPageView } from "../services/execution-page-view";
import { reviewExecution } from "../services/execution-review";
import {
  changeTaskRunState,
  deleteExecution,
  executionLogs,
  getExecution,
  operateExecution,
  replayExecution,
  searchExecutions,
  startExecution,
} from "../services/executions";
import { previewExpression } from "../services/expression-preview";
import { executionFlowGraph } from "../services/graphs";
import {
  executionId,
  executionKind,
  flowId,
  isoDate,
  label,
  logLevel,
  namespace,
  page,
  revisionNumber,
  size,
  state,
  taskRunId,
} from "../services/schemas";
import { followExecution, followLogs } from "./execution-streams";
import { defineOperation, fromInput } from "./operation";
import { fromExecution } from "./resolvers";

const byId = z.object({ executionId });
const ofExecution = fromExecution<{ executionId: string }>("executionId");
const read = { resource: "EXECUTION", action: "READ", namespace: ofExecution } as const;
const update = { resource: "EXECUTION", action: "UPDATE", namespace: ofExecution } as const;
const values = z.record(z.string(), z.unknown());
const logCursor = z.object({ timestamp: z.iso.datetime(), id: z.string().regex(/^\d{1,19}$/) });
const logFilter = { minLevel: logLevel.optional(), text: z.string().max(200).optional() };
const filePath = z.string().min(1).max(2000).meta({ description: "The file's kestra:// URI." });
const uploaded = z.object({ inputId: z.string(), fileName: z.string(), content: z.instanceof(Uint8Array) });

export const executionOperations = {
  search: defineOperation({
    name: "executions.search",
    kind: "query",
    input: z.object({
      namespace: namespace.optional().meta({ description: "This namespace and its children." }),
      flowId: flowId.optional(),
      state: z.array(state).optional(),
      labels: z.array(label).optional(),
      startDate: isoDate.optional().meta({ description: "Started at or after." }),
      endDate: isoDate.optional().meta({ description: "Started at or before." }),
      kind: executionKind.optional(),
      triggerExecutionId: executionId.optional().meta({
        description: "Executions this one started: subflows, batches and, with kind=LOOP, iterations.",
      }),
      sort: z.enum(["asc", "desc"]).optional(),
      page,
      size,
    }),
    permission: { resource: "EXECUTION", action: "READ", namespace: "any" },
    run: (scope, input) => searchExecutions(scope, input),
  }),
  get: defineOperation({
    name: "executions.get",
    kind: "query",
    input: byId,
    permission: read,
    run: (scope, input) => getExecution(scope, input.executionId),
  }),
  /** The execution page's first read: the execution with its task runs slim and packed. */
  page: defineOperation({
    name: "executions.page",
    kind: "query",
    input: byId,
    permission: read,
    run: (scope, input) => getExecutionPageView(scope, input.executionId),
  }),
  /** The full task runs (outputs, attempts' errors and metrics) the page shows: of one task, some, or all. */
  taskRuns: defineOperation({
    name: "executions.taskRuns",
    kind: "query",
    input: byId.extend({
      taskId: z.string().min(1).max(100).optional(),
      taskRunIds: z.array(taskRunId).max(500).optional(),
    }),
    permission: read,
    run: (scope, { executionId: id, ...filter }) => executionTaskRuns(scope, id, filter),
  }),
  graph: defineOperation({
    name: "executions.graph",
    kind: "query",
    input: byId.extend({
      runs: z
        .boolean()
        .default(true)
        .describe(
          "Each task node's runs; false gives the flow revision's graph alone, quicker for a big Loop.",
        ),
    }),
    permission: read,
    run: (scope, input) => executionFlowGraph(scope, input.executionId, { runs: input.runs }),
  }),
  abilities: defineOperation({
    name: "executions.abilities",
    kind: "query",
    input: byId,
    permission: read,
    run: (scope, input) => executionAbilities(scope, input.executionId),
  }),
  relatives: defineOperation({
    name: "executions.relatives",
    kind: "query",
    input: byId,
    permission: read,
    run: (scope, input) => executionRelatives(scope, input.executionId),
  }),
  taskMedians: defineOperation({
    name: "executions.taskMedians",
    kind: "query",
    input: z.object({ namespace, flowId }),
    permission: { resource: "EXECUTION", action: "READ", namespace: fromInput("namespace") },
    run: (scope, input) => taskDurationMedians(scope, input.namespace, input.flowId),
  }),
  previewExpression: defineOperation({
    name: "executions.previewExpression",
    kind: "query",
    input: byId.extend({ expression: z.string().min(1).max(2000) }),
    permission: read,
    run: (scope, input) => previewExpression(scope, input.executionId, input.expression),
  }),
  /** Kestra's eval: the expression as plain text, refused with 422 (not 400) when empty or too long. */
  evaluate: defineOperation({
    name: "executions.evaluate",
    kind: "mutation",
    audit: { none: "it evaluates an expression against an execution and changes nothing" },
    input: byId.extend({ expression: z.string() }),
    permission: read,
    run: (scope, input) => {
      if (!input.expression.trim() || input.expression.length > 2000)
        throw new UnprocessableError("The body must be an expression of 1 to 2000 characters.");
      return previewExpression(scope, input.executionId, input.expression);
    },
  }),
  file: defineOperation({
    name: "executions.file",
    kind: "query",
    input: byId.extend({ path: filePath }),
    permission: read,
    run: (scope, input) => readExecutionFile(scope, input.executionId, input.path),
  }),
  filePreview: defineOperation({
    name: "executions.filePreview",
    kind: "query",
    input: byId.extend({ path: filePath }),
    permission: read,
    run: (scope, input) => previewExecutionFile(scope, input.executionId, input.path),
  }),
  follow: defineOperation({
    name: "executions.follow",
    kind: "query",
    input: byId,
    permission: read,
    run: (scope, input, transport) => followExecution(scope, input.executionId, transport),
  }),
  logs: defineOperation({
    name: "executions.logs",
    kind: "query",
    input: byId.extend({ minLevel: logLevel.optional(), taskId: z.string().max(100).optional() }),
    permission: read,
    run: (scope, input) => executionLogs(scope, input.executionId, input),
  }),
  followLogs: defineOperation({
    name: "executions.followLogs",
    kind: "query",
    input: byId.extend({
      minLevel: logLevel.optional(),
      taskId: z.string().max(100).optional(),
      tail: z
        .number()
        .int()
        .min(1)
        .max(MAX_LOG_PAGE)
        .optional()
        .meta({ description: "Start with the last `tail` lines (in time order) instead of the first." }),
    }),
    permission: read,
    run: (scope, { executionId: id, ...query }, transport) => followLogs(scope, id, query, transport),
  }),
  logPage: defineOperation({
    name: "executions.logPage",
    kind: "query",
    input: byId.extend({
      ...logFilter,
      after: logCursor.optional(),
      before: logCursor.optional(),
      fromEnd: z.boolean().optional(),
      limit: z.number().int().min(1).max(MAX_LOG_PAGE).optional(),
    }),
    permission: read,
    run: (scope, { executionId: id, ...query }) => logPage(scope, id, query),
  }),
  logNext: defineOperation({
    name: "executions.logNext",
    kind: "query",
    input: byId.extend({ level: logLevel, text: logFilter.text, after: logCursor.optional() }),
    permission: read,
    run: (scope, { executionId: id, ...query }) => nextLogLine(scope, id, query),
  }),
  logCounts: defineOperation({
    name: "executions.logCounts",
    kind: "query",
    input: byId.extend(logFilter),
    permission: read,
    run: (scope, { executionId: id, ...filter }) => logCounts(scope, id, filter),
  }),
  start: defineOperation({
    name: "executions.start",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["CREATE"] },
    input: z.object({
      namespace,
      flowId,
      inputs: values.optional(),
      files: z.array(uploaded).optional(),
      labels: z.array(label).optional(),
      revision: revisionNumber.optional(),
      scheduleDate: isoDate
        .optional()
        .meta({ description: "Start at this date (ISO-8601); the execution waits in CREATED until then." }),
      wait: z
        .boolean()
        .optional()
        .meta({ description: "Answer once the execution has ended, with its outputs." }),
    }),
    permission: { resource: "EXECUTION", action: "CREATE", namespace: fromInput("namespace") },
    run: (scope, { namespace: ns, flowId: id, ...request }) => startExecution(scope, ns, id, request),
  }),
  operate: defineOperation({
    name: "executions.operate",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["KILL", "PAUSE", "RESUME", "RESTART"] },
    input: byId.extend({
      operation: z.enum(["kill", "pause", "resume", "restart"]),
      inputs: values.optional(),
    }),
    permission: update,
    run: (scope, input) => operateExecution(scope, input.executionId, input.operation, input.inputs),
  }),
  /** Kestra 2.0's review of an Approval: the execution page's Approve / Deny and POST .../actions/review. */
  review: defineOperation({
    name: "executions.review",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["APPROVE", "DENY"] },
    input: byId.extend({
      decision: z.enum(["APPROVED", "DENIED"]).meta({ description: "APPROVED or DENIED." }),
      comment: z
        .string()
        .max(10_000)
        .optional()
        .meta({
          description: "The reviewer's comment; required where the Approval's commentRequired says so.",
        }),
      taskRunId: taskRunId
        .optional()
        .meta({ description: "The Approval's task run, when several wait at once; else the one waiting." }),
      inputs: values.optional().meta({ description: "Values of the Approval's review `inputs`." }),
    }),
    permission: update,
    run: (scope, { executionId: id, ...request }) => reviewExecution(scope, id, request),
  }),
  forceRun: defineOperation({
    name: "executions.forceRun",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["FORCE_RUN"] },
    input: byId,
    permission: update,
    run: (scope, input) => forceRunExecution(scope, input.executionId),
  }),
  unqueue: defineOperation({
    name: "executions.unqueue",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["UNQUEUE"] },
    input: byId,
    permission: update,
    run: (scope, input) => unqueueExecution(scope, input.executionId),
  }),
  changeStatus: defineOperation({
    name: "executions.changeStatus",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["CHANGE_STATUS"] },
    input: byId.extend({ state: z.enum(EXECUTION_END_STATES) }),
    permission: update,
    run: (scope, input) => changeExecutionStatus(scope, input.executionId, input.state),
  }),
  changeTaskRunState: defineOperation({
    name: "executions.changeTaskRunState",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["CHANGE_STATE"] },
    input: byId.extend({ taskRunId, state: z.enum(CHANGEABLE_STATES) }),
    permission: update,
    run: (scope, input) => changeTaskRunState(scope, input.executionId, input.taskRunId, input.state),
  }),
  setLabels: defineOperation({
    name: "executions.setLabels",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["UPDATE"] },
    input: byId.extend({ labels: z.array(label).max(100) }),
    permission: update,
    run: async (scope, input) =>
      toExecutionJson(await setExecutionLabels(scope, input.executionId, input.labels, "replace")),
  }),
  replay: defineOperation({
    name: "executions.replay",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["REPLAY"] },
    input: byId.extend({ taskRunId: taskRunId.optional(), inputs: values.optional() }),
    permission: { resource: "EXECUTION", action: "CREATE", namespace: ofExecution },
    run: (scope, input) => replayExecution(scope, input.executionId, input.taskRunId, input.inputs),
  }),
  delete: defineOperation({
    name: "executions.delete",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["DELETE"] },
    input: byId,
    permission: { resource: "EXECUTION", action: "DELETE", namespace: ofExecution },
    run: (scope, input) => deleteExecution(scope, input.executionId),
  }),
};
