import type { JobHelpers, TaskList } from "graphile-worker";
import { ExecutionOperationError, type TaskResultEvent } from "@/engine/executor";
import {
  type DriverPorts,
  executionEnded,
  mergeSubflowOutputs,
  restartSubflow,
  retryExecution,
  splitItems,
  startSubflow,
} from "../core";
import type { LogEntry } from "../logs";
import { applyEvent, ExecutionNotFoundError } from "./apply";
import { LOG_TAIL_CHARS, runStoredAttemptWithLogTail, saveStoredWorkingDirectory } from "./attempt";
import type { EngineContext } from "./context";
import { loadExecution, type StoredExecution } from "./execution-store";
import { applyTaskResult } from "./group-apply";
import {
  type EndedJob,
  type EventJob,
  JOB,
  type MergeOutputsJob,
  type RestartSubflowJob,
  type RetryExecutionJob,
  type SaveWorkingDirectoryJob,
  type SplitJob,
  type SubflowJob,
  type TaskJob,
  type TimerJob,
} from "./jobs";
import { insertLogs } from "./logs-store";
import { driverPorts } from "./ports";

/** Attempts running in this process, by `taskRunId:attempt`, so a cancel notification can stop them. */
export type RunningTasks = Map<string, AbortController>;

/** Events that no longer apply (the execution ended, was deleted...) are dropped, not retried. */
async function applyQuietly(
  ctx: EngineContext,
  executionId: string,
  event: Parameters<typeof applyEvent>[2],
  known?: StoredExecution,
  /** The attempt's last log lines, masked: written with the result, or on their own if it is not applied. */
  taskLogs: LogEntry[] = [],
) {
  try {
    if (event.type === "taskResult") await applyTaskResult(ctx, executionId, event, known, taskLogs);
    else await applyEvent(ctx, executionId, event);
  } catch (error) {
    if (taskLogs.length > 0 && known) await insertLogs(ctx.pool, known.tenantId, taskLogs);
    if (error instanceof ExecutionOperationError || error instanceof ExecutionNotFoundError) return;
    throw error;
  }
}

async function runTask(
  ctx: EngineContext,
  running: RunningTasks,
  payload: TaskJob,
  helpers: JobHelpers,
): Promise<void> {
  const stored = await loadExecution(ctx.pool, payload.executionId);
  if (!stored) return;
  const { execution, tenantId } = stored;
  const run = execution.taskRunList.find((r) => r.id === payload.taskRunId);
  const attempt = run?.attempts[payload.attempt - 1];
  if (
    run?.state.current !== "RUNNING" ||
    run.attempts.length !== payload.attempt ||
    attempt?.state.current !== "RUNNING"
  )
    return;
  if (helpers.job.attempts > 1) {
    // This job was taken before by a worker that never finished it: that process died mid-task.
    await applyQuietly(ctx, execution.id, {
      type: "attemptLost",
      taskRunId: run.id,
      attempt: payload.attempt,
      reason: `the worker running attempt ${payload.attempt} stopped before it ended (process lost)`,
    });
    return;
  }
  const flow = await ctx.flows.ofExecution(ctx.pool, tenantId, execution);
  const key = `${run.id}:${payload.attempt}`;
  const controller = new AbortController();
  running.set(key, controller);
  // Engine shutdown: the attempt is stopped and handed back (the job fails and runs again elsewhere, where
  // it is recorded as lost and started anew) rather than reported as the task's own failure.
  let handedBack = false;
  const onShutdown = () => {
    handedBack = true;
    controller.abort();
  };
  helpers.abortSignal?.addEventListener("abort", onShutdown);
  let attempted: { result: TaskResultEvent; logs: LogEntry[] };
  try {
    // Its last log lines are written by the transaction that applies its result: one commit fewer per task.
    attempted = await runStoredAttemptWithLogTail(
      ctx,
      tenantId,
      flow,
      execution,
      payload,
      controller.signal,
      LOG_TAIL_CHARS,
    );
  } finally {
    helpers.abortSignal?.removeEventListener("abort", onShutdown);
    running.delete(key);
  }
  if (handedBack) {
    await insertLogs(ctx.pool, tenantId, attempted.logs);
    throw new Error(`engine shutting down: attempt ${payload.attempt} of ${run.taskId} handed back`);
  }
  await applyQuietly(ctx, execution.id, attempted.result, stored, attempted.logs);
}

/** A WorkingDirectory's save, for a stored execution whose WorkingDirectory run still waits for it. */
async function saveWorkingDirectoryJob(ctx: EngineContext, payload: SaveWorkingDirectoryJob): Promise<void> {
  const stored = await loadExecution(ctx.pool, payload.executionId);
  if (!stored) return;
  const { execution, tenantId } = stored;
  const run = execution.taskRunList.find((r) => r.id === payload.taskRunId);
  if (run?.state.current !== "RUNNING" || execution.metadata.attemptNumber !== payload.attempt) return;
  const flow = await ctx.flows.ofExecution(ctx.pool, tenantId, execution);
  await applyQuietly(
    ctx,
    execution.id,
    await saveStoredWorkingDirectory(ctx, tenantId, flow, execution, payload),
  );
}

/** The tenant of a stored execution, undefined when it is gone. */
async function tenantOf(ctx: EngineContext, executionId: string): Promise<string | undefined> {
  return (await loadExecution(ctx.pool, executionId))?.tenantId;
}

/** Runs a piece of the shared driver core (worker/core) for the tenant of `executionId`, if it still exists. */
async function withPorts(
  ctx: EngineContext,
  executionId: string,
  work: (ports: DriverPorts) => Promise<void>,
): Promise<void> {
  const tenantId = await tenantOf(ctx, executionId);
  if (tenantId !== undefined) await work(driverPorts(ctx, tenantId));
}

/** The graphile-worker task list of the engine. */
export function engineTasks(ctx: EngineContext, running: RunningTasks, extra: TaskList = {}): TaskList {
  return {
    [JOB.task]: (payload, helpers) => runTask(ctx, running, payload as TaskJob, helpers),
    [JOB.timer]: (payload) => {
      const { executionId, timerId } = payload as TimerJob;
      return applyQuietly(ctx, executionId, { type: "timer", timerId });
    },
    [JOB.event]: (payload) => {
      const { executionId, event } = payload as EventJob;
      return applyQuietly(ctx, executionId, event);
    },
    [JOB.subflow]: (payload) => {
      const { tenantId, command } = payload as SubflowJob;
      return startSubflow(driverPorts(ctx, tenantId), command);
    },
    [JOB.restartSubflow]: (payload) => {
      const { parentId, taskRunId, executionId } = payload as RestartSubflowJob;
      return withPorts(ctx, parentId, (ports) => restartSubflow(ports, parentId, { taskRunId, executionId }));
    },
    [JOB.saveWorkingDirectory]: (payload) => saveWorkingDirectoryJob(ctx, payload as SaveWorkingDirectoryJob),
    [JOB.split]: (payload) => {
      const { executionId, ...command } = payload as SplitJob;
      return withPorts(ctx, executionId, (ports) => splitItems(ports, executionId, command));
    },
    [JOB.mergeOutputs]: (payload) => {
      const { executionId, ...command } = payload as MergeOutputsJob;
      return withPorts(ctx, executionId, (ports) => mergeSubflowOutputs(ports, executionId, command));
    },
    [JOB.ended]: (payload) => {
      const { executionId } = payload as EndedJob;
      return withPorts(ctx, executionId, (ports) => executionEnded(ports, executionId));
    },
    [JOB.retryExecution]: (payload) => {
      const { executionId, attemptNumber } = payload as RetryExecutionJob;
      return withPorts(ctx, executionId, (ports) => retryExecution(ports, executionId, attemptNumber));
    },
    ...extra,
  };
}
