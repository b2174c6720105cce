// What the REST API alone serves of executions, at Kestra's paths: the actions beyond kill/pause/resume/
// restart (force-run, unqueue, change-status, resume validation), Kestra 2.0's outputs and task-run eval,
// expression rendering, and the bulk actions by ids or by query.
import { z } from "zod";
import { NotFoundError, UnprocessableError } from "../services/errors";
import {
  changeExecutionStatus,
  forceRunExecution,
  unqueueExecution,
  validateResumeInputs,
} from "../services/execution-actions";
import { readExecution } from "../services/executions";
import { BULK_MAX, BULK_OPERATIONS, bulkByIds, bulkByQuery } from "../services/executions-bulk";
import { previewExpression } from "../services/expression-preview";
import { MAX_RENDER_EXPRESSIONS, renderExpressions } from "../services/expression-render";
import {
  executionId,
  executionKind,
  flowId,
  isoDate,
  label,
  namespace,
  state,
  taskRunId,
} from "../services/schemas";
import { defineOperation } from "./operation";
import { fromExecution } from "./resolvers";

const byId = z.object({ executionId });
const ofExecution = fromExecution<{ executionId: string }>("executionId");
const read = { resource: "EXECUTION", action: "READ", namespace: ofExecution } as const;
const update = { resource: "EXECUTION", action: "UPDATE", namespace: ofExecution } as const;

/** The bulk filter as Kestra's query parameters give it (no cap on repeated values, unlike the UI's). */
const bulkFilter = z.object({
  namespace: namespace.optional(),
  flowId: flowId.optional(),
  states: z.array(state).optional(),
  labels: z.array(label).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  triggerType: z.string().max(200).optional(),
  parentId: executionId.optional(),
  kind: executionKind.optional(),
});
const bulkOptions = {
  operation: z.enum(BULK_OPERATIONS),
  labels: z.array(label).max(100).optional(),
  /** change-status: the end state to give (Kestra's `newStatus`). */
  status: state.optional(),
};
const optionsOf = (input: { labels?: z.infer<typeof label>[]; status?: z.infer<typeof state> }) => ({
  ...(input.labels ? { labels: input.labels } : {}),
  ...(input.status ? { status: input.status } : {}),
});

export const executionActionOperations = {
  forceRun: defineOperation({
    name: "executionActions.forceRun",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["FORCE_RUN"] },
    input: byId,
    permission: update,
    run: (scope, input) => forceRunExecution(scope, input.executionId),
  }),
  unqueue: defineOperation({
    name: "executionActions.unqueue",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["UNQUEUE"] },
    input: byId,
    permission: update,
    run: (scope, input) => unqueueExecution(scope, input.executionId),
  }),
  changeStatus: defineOperation({
    name: "executionActions.changeStatus",
    kind: "mutation",
    audit: { resourceType: "EXECUTION", actions: ["CHANGE_STATUS"] },
    input: byId.extend({ status: state }),
    permission: update,
    run: (scope, input) => changeExecutionStatus(scope, input.executionId, input.status),
  }),
  validateResume: defineOperation({
    name: "executionActions.validateResume",
    kind: "query",
    input: byId.extend({ inputs: z.record(z.string(), z.unknown()) }),
    permission: update,
    run: (scope, input) => validateResumeInputs(scope, input.executionId, input.inputs),
  }),
  /** Kestra 2.0's eval in a task run's context: refused with 422 when empty or too long. */
  evalTaskRun: defineOperation({
    name: "executionActions.evalTaskRun",
    kind: "mutation",
    audit: { none: "it evaluates an expression in a task run's context and changes nothing" },
    input: byId.extend({ taskRunId, expression: z.string() }),
    permission: read,
    run: (scope, input) => {
      if (!input.expression.trim() || input.expression.length > 2000)
        throw new UnprocessableError("The body must be an expression of 1 to 2000 characters.");
      return previewExpression(scope, input.executionId, input.expression, input.taskRunId);
    },
  }),
  outputs: defineOperation({
    name: "executionActions.outputs",
    kind: "query",
    input: byId,
    permission: read,
    run: async (scope, input) => (await readExecution(scope, input.executionId)).outputs ?? {},
  }),
  taskOutputs: defineOperation({
    name: "executionActions.taskOutputs",
    kind: "query",
    input: byId.extend({ taskRunId }),
    permission: read,
    run: async (scope, input) => {
      const execution = await readExecution(scope, input.executionId);
      const run = execution.taskRunList.find((r) => r.id === input.taskRunId);
      if (!run)
        throw new NotFoundError(`Task run ${input.taskRunId} is not part of execution ${input.executionId}.`);
      return run.outputs ?? {};
    },
  }),
  /**
   * The right depends on the context the input names (an execution: EXECUTION:READ; a flow source or a
   * stored flow: FLOW:READ on its namespace; none: nothing), which the service checks as it builds it.
   */
  renderExpressions: defineOperation({
    name: "executionActions.renderExpressions",
    kind: "query",
    input: z.object({
      expressions: z.array(z.string().max(2000)).max(MAX_RENDER_EXPRESSIONS),
      executionId: executionId.optional(),
      flow: z.string().max(1_000_000).optional(),
      namespace: namespace.optional(),
      flowId: flowId.optional(),
    }),
    permission: "authenticated",
    run: (scope, input) => renderExpressions(scope, input),
  }),
  /**
   * Each execution is authorized on its own namespace by the service, and a refusal is one line of the
   * result (the rest still run), as Kestra's bulk endpoints answer: so no single check up front.
   */
  bulkByIds: defineOperation({
    name: "executionActions.bulkByIds",
    kind: "mutation",
    audit: { none: "each execution is audited by the single-execution service the bulk action calls" },
    input: z.object({ ...bulkOptions, ids: z.array(executionId).max(BULK_MAX) }),
    permission: "authenticated",
    run: (scope, input) => bulkByIds(scope, input.operation, input.ids, optionsOf(input)),
  }),
  /** Every execution the filter matches among those the principal may read (EXECUTION:READ somewhere). */
  bulkByQuery: defineOperation({
    name: "executionActions.bulkByQuery",
    kind: "mutation",
    audit: { none: "each execution is audited by the single-execution service the bulk action calls" },
    input: z.object({ ...bulkOptions, filter: bulkFilter }),
    permission: "authenticated",
    run: (scope, input) => bulkByQuery(scope, input.operation, input.filter, optionsOf(input)),
  }),
};
