import { z } from "zod";
import { conditionList, duration, dyn, labels, logLevel } from "../plugin/schema";
import { retrySchema } from "./retry";

export const TASK_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
export const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

export const STATES = [
  "CREATED",
  "QUEUED",
  "RUNNING",
  "PAUSED",
  "RESTARTED",
  "KILLING",
  "SUCCESS",
  "WARNING",
  "FAILED",
  "KILLED",
  "CANCELLED",
  "RETRYING",
  "RETRIED",
  "SKIPPED",
] as const;
export const stateSchema = z.enum(STATES);

const workerGroup = z.strictObject({
  key: z.string().describe("Worker group key."),
  fallback: z.enum(["FAIL", "WAIT", "CANCEL"]).optional(),
});

/** Properties every task has, whatever its type (Kestra's Task.java). */
export const commonTaskShape = {
  id: z
    .string()
    .min(1)
    .max(256)
    .regex(TASK_ID, "task id must start with a letter or digit and contain only letters, digits, _ and -")
    .describe("Unique id of the task in the flow."),
  type: z.string().describe("The task type, e.g. core.log.Log or io.kestra.plugin.core.log.Log."),
  description: z.string().optional().describe("Markdown documentation of the task."),
  retry: retrySchema.optional(),
  timeout: duration.optional().describe("Fail the attempt when it runs longer than this ISO-8601 duration."),
  disabled: z.boolean().default(false).describe("A disabled task is skipped: no task run is created."),
  allowFailure: z
    .boolean()
    .default(false)
    .describe("A failure of this task ends it in WARNING and the flow goes on."),
  allowWarning: z.boolean().default(false).describe("A WARNING of this task counts as SUCCESS."),
  logLevel: logLevel.optional().describe("Minimum level of the logs kept for this task."),
  logToFile: z.boolean().optional(),
  runIf: z
    .union([z.string(), z.boolean().transform(String)])
    .optional()
    .describe("Expression evaluated before the task starts: when false the task run is SKIPPED."),
  when: z
    .union([z.string(), z.boolean().transform(String)])
    .optional()
    .describe("Kestra 2.0's name for `runIf` (its TaskWithWhenTest): used when `runIf` is not given."),
  workerGroup: workerGroup.optional(),
  taskCache: z.strictObject({ enabled: z.boolean().default(false), ttl: duration.optional() }).optional(),
  pluginDefaultsRef: z.string().optional(),
};

export const commonTaskSchema = z.strictObject(commonTaskShape);
export type CommonTask = z.output<typeof commonTaskSchema>;

/** Properties every trigger has (Kestra's AbstractTrigger). */
export const commonTriggerShape = {
  id: z
    .string()
    .min(1)
    .regex(TASK_ID, "trigger id must start with a letter or digit")
    .describe("Unique trigger id."),
  type: z.string().describe("The trigger type, e.g. core.trigger.Schedule."),
  description: z.string().optional(),
  conditions: conditionList(
    "Conditions that must all hold for the trigger to start an execution.",
  ).optional(),
  when: z
    .union([z.string(), z.boolean()])
    .optional()
    .describe(
      "Kestra 2.0: an expression over the trigger's variables (`trigger.date`...); when false the trigger does not start an execution (a Schedule skips that date).",
    ),
  disabled: z.boolean().default(false),
  workerGroup: workerGroup.optional(),
  logLevel: logLevel.optional(),
  minLogLevel: logLevel.optional().describe("Deprecated alias of logLevel."),
  labels: labels.optional().describe("Labels added to the executions this trigger creates."),
  stopAfter: z
    .array(stateSchema)
    .optional()
    .describe("Disable the trigger once an execution ends in one of these states."),
  logToFile: z.boolean().optional(),
  allowConcurrent: dyn(z.boolean())
    .optional()
    .describe(
      "Schedules and polling triggers: start an execution even while the last one they started is still running (by default they wait for it to end).",
    ),
};

/** Properties every condition has. */
export const commonConditionShape = {
  type: z.string().describe("The condition type, e.g. core.condition.ExecutionStatus."),
};
