import type { ExecutionEvent, StartSubflowCommand } from "@/engine/executor";
import type { Queryable } from "./db";

/**
 * The engine's jobs on graphile-worker (a maintained PostgreSQL queue). Every job is added inside the
 * transaction that decided it, with graphile_worker.add_job, so a state change and the work it implies
 * commit together or not at all.
 */
export const JOB = {
  /** Run one attempt of a runnable task. */
  task: "cadenza.task",
  /** A timer of an execution fired (retry backoff, Sleep, Pause delay, SLA, LoopUntil interval). */
  timer: "cadenza.timer",
  /** Apply an event to an execution (kill a child execution...). */
  event: "cadenza.event",
  /** Create and start a subflow execution. */
  subflow: "cadenza.subflow",
  /** Restart a failed subflow execution for its parent's restart (Subflow restartBehavior RETRY_FAILED). */
  restartSubflow: "cadenza.restart-subflow",
  /** Keep a WorkingDirectory's outputFiles and cache once its tasks are done. */
  saveWorkingDirectory: "cadenza.save-working-directory",
  /** Split a file into batches for ForEachItem. */
  split: "cadenza.split",
  /** Merge ForEachItem's subflow outputs into one file (its `<id>_merge`). */
  mergeOutputs: "cadenza.merge-outputs",
  /** An execution ended: tell its parent, dequeue, fire Flow triggers, stopAfter. */
  ended: "cadenza.ended",
  /** Start a new execution for a flow-level CREATE_NEW_EXECUTION retry. */
  retryExecution: "cadenza.retry-execution",
  /** Remove executions, logs and queue rows older than the retention period. */
  purge: "cadenza.purge",
} as const;

export interface TaskJob {
  executionId: string;
  taskRunId: string;
  attempt: number;
}
export interface TimerJob {
  executionId: string;
  timerId: string;
}
export interface EventJob {
  executionId: string;
  event: ExecutionEvent;
}
export interface SubflowJob {
  tenantId: string;
  command: StartSubflowCommand;
}
export interface RestartSubflowJob {
  parentId: string;
  taskRunId: string;
  executionId: string;
}
export interface SplitJob {
  executionId: string;
  taskRunId: string;
  uri: string;
  rows?: number;
  bytes?: string;
  partitions?: number;
  separator: string;
  lines?: boolean;
  splitsFile?: boolean;
}
export interface MergeOutputsJob {
  executionId: string;
  taskRunId: string;
  outputs: Record<string, unknown>[];
}
export interface SaveWorkingDirectoryJob {
  executionId: string;
  taskRunId: string;
  attempt: number;
}
export interface EndedJob {
  executionId: string;
}
export interface RetryExecutionJob {
  executionId: string;
  attemptNumber: number;
}

export interface AddJobOptions {
  runAt?: Date | string;
  jobKey?: string;
  /** `replace` (default): a later add with the same key replaces the pending job; `unsafe_dedupe`: ignored. */
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  maxAttempts?: number;
  /** Jobs of one named queue run one at a time, in the order they were added. */
  queueName?: string;
}

export async function addJob(
  db: Queryable,
  identifier: string,
  payload: unknown,
  options: AddJobOptions = {},
): Promise<void> {
  await db.query(
    "select graphile_worker.add_job($1, $2::json, run_at => $3::timestamptz, job_key => $4, job_key_mode => $5, max_attempts => $6, queue_name => $7)",
    [
      identifier,
      JSON.stringify(payload),
      options.runAt ? new Date(options.runAt).toISOString() : null,
      options.jobKey ?? null,
      options.jobKeyMode ?? "replace",
      options.maxAttempts ?? 10,
      options.queueName ?? null,
    ],
  );
}

export async function removeJob(db: Queryable, jobKey: string): Promise<void> {
  await db.query("select graphile_worker.remove_job($1)", [jobKey]);
}

/**
 * The queue a child execution's creation and a kill sent to it share: a kill sent right after the child was
 * asked for (a Kill task after a Subflow with `wait: false`) runs once the child exists, not before it.
 */
export const childQueue = (executionId: string) => `child:${executionId}`;

export const timerJobKey = (executionId: string, timerId: string) => `timer:${executionId}:${timerId}`;
export const taskJobKey = (taskRunId: string, attempt: number) => `task:${taskRunId}:${attempt}`;

/** Channel on which the engine tells workers to stop a task attempt (NOTIFY is delivered at commit). */
export const CANCEL_CHANNEL = "cadenza_cancel";
/** Channel announcing that an execution ended, for callers waiting on it (REST wait=true, the CLI). */
export const ENDED_CHANNEL = "cadenza_execution_ended";
