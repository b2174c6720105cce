import { z } from "zod";
import type { ExecutionDetail, TaskRunContext, TaskRunSummary } from "@/engine/plugin";

/** Kestra's `ExecutionInterface`: the properties every `*Execution` notification task has. */
export const executionShape = {
  executionId: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The execution to report; default: the current execution (`{{ execution.id }}`). With a Flow trigger, use `{{ trigger.executionId }}` to report the execution that triggered the flow.",
    ),
  customFields: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Fields added to the message (name and value), e.g. the environment or a team."),
  customMessage: z.string().optional().describe("A message added at the top of the notification."),
};

export interface ExecutionProperties {
  executionId?: string;
  customFields?: Record<string, unknown>;
  customMessage?: string;
}

/** What every execution message is built from (Kestra's `ExecutionService.executionMap`). */
export interface ExecutionSummaryData {
  execution: ExecutionDetail;
  /** The execution's page in the UI; undefined when CADENZA_PUBLIC_URL is not set. */
  link?: string;
  /** `HH:mm:ss.SSS`, as Kestra's `State.humanDuration()`. */
  duration: string;
  startDate: string;
  /** The task run that failed, when one did. */
  firstFailed?: TaskRunSummary;
  /** The last task run that ended (the "final task"). */
  lastTask?: TaskRunSummary;
  customMessage?: string;
  customFields?: Record<string, unknown>;
}

const ENDED = new Set(["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED", "SKIPPED", "RETRIED"]);

/** `01:02:03.456`: hours, minutes, seconds and milliseconds, as Apache's formatDurationHMS. */
export function humanDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(total % 1000, 3)}`;
}

/** The URL of an execution's page in the web UI. */
export function executionLink(publicUrl: string | undefined, executionId: string): string | undefined {
  return publicUrl
    ? `${publicUrl.replace(/\/+$/, "")}/executions/${encodeURIComponent(executionId)}`
    : undefined;
}

/**
 * Reads the execution to report through the task's execution service (tenant-scoped, and guarded by the
 * namespace boundaries like every other task service) and summarises it.
 *
 * Which task runs count: only those that have ended, and never this notification's own run. So a notifier
 * in `errors` or `afterExecution` reports the task that failed and the last one that ran, not itself or
 * its sibling error handlers still running (Kestra takes the last task run of the list, which there is
 * the notifier itself).
 */
export async function summarise(
  ctx: TaskRunContext<unknown>,
  properties: ExecutionProperties,
  type: string,
): Promise<ExecutionSummaryData> {
  const service = ctx.services.executions;
  if (!service) throw new Error(`${type} needs to read executions, which this engine does not provide`);
  const executionId = properties.executionId ?? ctx.execution.id;
  const execution = await service.detail(executionId);
  if (!execution) throw new Error(`execution '${executionId}' not found`);
  const runs = execution.taskRuns.filter((run) => run.id !== ctx.taskRun.id && ENDED.has(run.state));
  const firstFailed = runs.find((run) => run.state === "FAILED");
  const lastTask = runs[runs.length - 1];
  const end = execution.endDate ? Date.parse(execution.endDate) : ctx.now().getTime();
  return {
    execution,
    link: executionLink(ctx.services.publicUrl, execution.id),
    duration: humanDuration(end - Date.parse(execution.startDate)),
    startDate: execution.startDate,
    ...(firstFailed ? { firstFailed } : {}),
    ...(lastTask ? { lastTask } : {}),
    ...(properties.customMessage !== undefined ? { customMessage: properties.customMessage } : {}),
    ...(properties.customFields && Object.keys(properties.customFields).length
      ? { customFields: properties.customFields }
      : {}),
  };
}

/** "Succeeded after 00:00:01.234" or "Failed on task `load` after ..." */
export function outcome(summary: ExecutionSummaryData): string {
  const what = summary.firstFailed ? `Failed on task \`${summary.firstFailed.taskId}\`` : "Succeeded";
  return `${what} after ${summary.duration}`;
}

/** "[company.team] etl ➛ FAILED" */
export function headline(summary: ExecutionSummaryData): string {
  const { execution } = summary;
  return `[${execution.namespace}] ${execution.flowId} ➛ ${execution.state}`;
}

/** A custom field's value as text (maps and lists as JSON). */
export const fieldText = (value: unknown): string =>
  typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
