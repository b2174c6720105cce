// Response schemas for the OpenAPI document (responses are built by the services; these describe them).
import { z } from "zod";

export const flowSummary = z
  .object({
    id: z.string(),
    namespace: z.string(),
    revision: z.number().int(),
    disabled: z.boolean(),
    deleted: z.boolean(),
    updated: z.string(),
  })
  .meta({ id: "FlowSummary" });

export const flowSearchPage = z
  .object({
    results: z.array(
      flowSummary.extend({
        labels: z.array(z.object({ key: z.string(), value: z.string() })),
        triggerCount: z.number().int(),
        lastExecution: z
          .object({
            id: z.string(),
            state: z.string(),
            startDate: z.string(),
            endDate: z.string().optional(),
          })
          .optional(),
      }),
    ),
    total: z.number().int(),
    next: z
      .string()
      .optional()
      .meta({ description: "Pass as `after` for the next page; absent on the last." }),
  })
  .meta({ id: "PagedFlows" });

export const flowDetail = flowSummary
  .extend({
    description: z.string().optional(),
    labels: z.array(z.object({ key: z.string(), value: z.string() })),
    inputs: z.array(z.object({ id: z.string(), type: z.string(), required: z.boolean().optional() })),
    triggers: z.array(z.object({ id: z.string(), type: z.string() })),
    source: z.string().meta({ description: "The flow's YAML." }),
  })
  .meta({ id: "Flow" });

const flowError = z
  .object({ path: z.string(), line: z.number().int(), column: z.number().int(), message: z.string() })
  .meta({ id: "FlowError" });

export const flowValidation = z
  .object({
    index: z.number().int(),
    id: z.string().optional(),
    namespace: z.string().optional(),
    valid: z.boolean(),
    errors: z.array(flowError),
    warnings: z.array(flowError),
    constraints: z.string().optional(),
  })
  .meta({ id: "FlowValidation" });

const state = z.object({
  current: z.string(),
  histories: z.array(z.object({ state: z.string(), date: z.string() })),
  startDate: z.string(),
  endDate: z.string().optional(),
  duration: z.number().optional(),
});

export const execution = z
  .looseObject({
    id: z.string(),
    namespace: z.string(),
    flowId: z.string(),
    flowRevision: z.number().int(),
    state,
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.record(z.string(), z.unknown()).optional(),
    labels: z.array(z.object({ key: z.string(), value: z.string() })),
    taskRunList: z.array(
      z.looseObject({
        id: z.string(),
        taskId: z.string(),
        parentTaskRunId: z.string().nullable(),
        value: z.string().nullable(),
        iteration: z.number().nullable(),
        state,
        attempts: z.array(z.looseObject({ state })),
        outputs: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
    trigger: z.unknown().optional(),
    parentId: z.string().optional(),
    kind: z.enum(["LOOP", "PLAYGROUND", "TEST"]).nullable().meta({
      description: "Kestra's execution kind: null for a normal execution, LOOP for one iteration of a Loop.",
    }),
    loopRun: z
      .object({
        executionId: z.string(),
        taskId: z.string(),
        taskRunId: z.string(),
        value: z.string(),
        index: z.number().int(),
        key: z.string().optional(),
        parents: z.array(
          z.object({ value: z.string(), index: z.number().int(), key: z.string().optional() }),
        ),
      })
      .optional()
      .meta({ description: "A LOOP execution's loop: its execution, task, task run and iteration." }),
  })
  .meta({ id: "Execution", description: "Kestra's execution JSON (ARCHITECTURE §6)." });

export const logEntry = z
  .object({
    id: z.string(),
    namespace: z.string(),
    flowId: z.string(),
    executionId: z.string().nullable(),
    taskId: z.string().nullable(),
    taskRunId: z.string().nullable(),
    attemptNumber: z.number().nullable(),
    triggerId: z.string().nullable(),
    level: z.string(),
    message: z.string(),
    timestamp: z.string(),
  })
  .meta({ id: "LogEntry" });

export function paged<T extends z.ZodType>(item: T, id: string) {
  return z.object({ results: z.array(item), total: z.number().int() }).meta({ id });
}

export const anyJson = z.unknown();

const relation = z.enum([
  "SEQUENTIAL",
  "PARALLEL",
  "CHOICE",
  "ERROR",
  "FINALLY",
  "AFTER_EXECUTION",
  "TRIGGER",
]);

const graphNode = z
  .object({
    uid: z.string(),
    kind: z.enum(["start", "end", "task", "cluster-start", "cluster-end", "trigger"]),
    taskId: z.string().optional(),
    type: z.string().optional(),
    cluster: z.string().optional().meta({ description: "The uid of the cluster the node sits in." }),
    slot: z.string().optional().meta({ description: "tasks, errors, finally, then, else, cases.<key>..." }),
  })
  .meta({ id: "GraphNode" });

const graphShape = {
  edges: z.array(
    z.object({ source: z.string(), target: z.string(), relation, label: z.string().optional() }),
  ),
  clusters: z.array(
    z.object({
      uid: z.string(),
      taskId: z.string(),
      type: z.string(),
      parent: z.string().optional(),
      start: z.string(),
      end: z.string(),
    }),
  ),
};

export const flowGraphSchema = z
  .object({ nodes: z.array(graphNode), ...graphShape })
  .meta({ id: "FlowGraph", description: "Nodes, edges and clusters (one per flowable task with children)." });

export const executionGraphSchema = z
  .object({
    nodes: z.array(
      graphNode.extend({
        runs: z
          .array(
            z.object({
              id: z.string(),
              state: z.string(),
              value: z.string().nullable().optional(),
              iteration: z.number().int().nullable().optional(),
              attempts: z.number().int(),
            }),
          )
          .optional(),
        runCount: z.number().int().optional().meta({
          description:
            "How many runs the task had, when `runs` holds only some: of a task run in a Loop's iterations, those of its first 100 iterations and those not SUCCESS, at most 100 of each state.",
        }),
      }),
    ),
    ...graphShape,
  })
  .meta({ id: "ExecutionGraph", description: "The flow's graph, each task node with its runs." });
