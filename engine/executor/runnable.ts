import type { Task } from "../flow/model";
import type { Retry } from "../flow/retry";
import { isExpression } from "../plugin/schema";
import { formatDuration, parseDuration } from "../util/duration";
import type { TaskResultEvent } from "./events";
import type { TaskRun } from "./model";
import { nextRetryAt } from "./retry-delay";
import { newState, transition } from "./states";
import type { StepContext } from "./step-context";

/**
 * The retry policy that applies to a task run: its task's own, else the nearest enclosing flowable's (Kestra's
 * ExecutorService: a Sequential with `retry` retries its failed children, RetryCaseTest.retryFlowable), else
 * the flow's when it retries failed tasks in place.
 */
export function retryPolicyOf(
  ctx: StepContext,
  task: Task,
  run?: TaskRun,
): { policy?: Retry; flowLevel: boolean } {
  if (task.retry) return { policy: task.retry, flowLevel: false };
  for (
    let parent = run && ctx.run(run.parentTaskRunId ?? "");
    parent;
    parent = ctx.run(parent.parentTaskRunId ?? "")
  ) {
    const retry = ctx.taskOf(parent).retry;
    if (retry) return { policy: retry, flowLevel: false };
  }
  const flowRetry = ctx.flow.retry;
  if (flowRetry && flowRetry.behavior === "RETRY_FAILED_TASK") return { policy: flowRetry, flowLevel: true };
  return { flowLevel: false };
}

/** Starts the next attempt of a runnable task run: the worker is asked to run it. */
export function startAttempt(ctx: StepContext, run: TaskRun, task: Task): void {
  const now = ctx.now();
  run.attempts.push({ state: newState("RUNNING", now) });
  ctx.setState(run, "RUNNING");
  const attempt = run.attempts.length;
  const timeoutMs = timeoutMsOf(run, task);
  if (timeoutMs !== undefined) ctx.startTimer(`${run.id}:timeout:${attempt}`, ctx.nowMs() + timeoutMs);
  if (ctx.execution.state.current === "RETRYING") ctx.setExecutionState("RUNNING");
  ctx.command({
    type: "runTask",
    taskRunId: run.id,
    taskId: run.taskId,
    attempt,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

/**
 * The task's timeout in milliseconds: the value rendered when the run started (a timeout written as an
 * expression, kept in `internal.timeoutMs`), else the literal duration.
 */
export function timeoutMsOf(run: TaskRun, task: Task): number | undefined {
  const rendered = run.internal?.timeoutMs;
  if (typeof rendered === "number") return rendered;
  return task.timeout && !isExpression(task.timeout) ? parseDuration(task.timeout) : undefined;
}

/** Renders a timeout written as an expression, once per run; throws when it is not an ISO-8601 duration. */
export async function resolveTimeout(
  run: TaskRun,
  task: Task,
  render: (template: string) => Promise<unknown>,
): Promise<void> {
  if (!isExpression(task.timeout)) return;
  const value = await render(task.timeout);
  const ms = typeof value === "string" ? parseDuration(value) : undefined;
  if (ms === undefined)
    throw new Error(`timeout: '${task.timeout}' rendered to '${String(value)}', not a duration`);
  (run.internal ??= {}).timeoutMs = ms;
}

export interface RunFinisher {
  finishRun(run: TaskRun, state: TaskResultEvent["state"] | "SKIPPED", error?: string): void;
  /** Kills the child executions this execution started without waiting for them. */
  killUnwaitedSubflows(): void;
}

/**
 * After a failed attempt: schedule the next one when the retry policy allows, else end the run FAILED.
 * Each attempt stays in the list with its own state, so the history of retries is visible.
 */
export function retryOrFail(
  ctx: StepContext,
  finisher: RunFinisher,
  run: TaskRun,
  task: Task,
  error?: string,
): void {
  const { policy, flowLevel } = retryPolicyOf(ctx, task, run);
  if (policy && ctx.execution.state.current !== "KILLING") {
    const first = run.attempts[0];
    const firstStart = first ? Date.parse(first.state.startDate) : ctx.nowMs();
    const at = nextRetryAt(policy, run.attempts.length, firstStart, ctx.nowMs(), () => ctx.env.random());
    if (at !== undefined) {
      ctx.setState(run, "RETRYING");
      ctx.startTimer(`${run.id}:retry`, at);
      if (flowLevel) ctx.setExecutionState("RETRYING");
      ctx.log(
        "WARN",
        `Attempt ${run.attempts.length} failed${error ? `: ${error}` : ""}; retrying at ${new Date(at).toISOString()}`,
        run,
      );
      return;
    }
  }
  finisher.finishRun(run, "FAILED", error);
}

/** Applies a worker's result to the current attempt; stale or duplicate results are ignored. */
export function applyTaskResult(ctx: StepContext, finisher: RunFinisher, event: TaskResultEvent): void {
  const run = ctx.run(event.taskRunId);
  if (run?.state.current !== "RUNNING") return;
  const attempt = run.attempts[event.attempt - 1];
  if (!attempt || event.attempt !== run.attempts.length || attempt.state.current !== "RUNNING") return;
  const task = ctx.taskOf(run);
  ctx.cancelTimers(`${run.id}:timeout:`);
  transition(attempt.state, event.state, ctx.now());
  if (event.error) attempt.error = { message: event.error };
  if (event.metrics?.length) attempt.metrics = event.metrics;
  if (event.outputs) run.outputs = event.outputs;
  const execution = ctx.execution;
  if (event.labels?.length) {
    const merged = new Map(execution.labels.map((l) => [l.key, l.value]));
    for (const label of event.labels) merged.set(label.key, label.value);
    execution.labels = [...merged].map(([key, value]) => ({ key, value }));
  }
  if (event.setVariables) execution.variables = { ...execution.variables, ...event.setVariables };
  if (event.unsetVariables?.length) {
    const variables = { ...execution.variables };
    for (const name of event.unsetVariables) delete variables[name];
    execution.variables = variables;
  }
  if (event.exit) {
    if (event.exit === "KILLED" && event.killSubflows) finisher.killUnwaitedSubflows();
    ctx.exit(run, event.exit);
    return;
  }

  switch (event.state) {
    case "SUCCESS":
    case "WARNING": {
      const { policy } = retryPolicyOf(ctx, task, run);
      const retried = run.attempts.filter((a) => !a.lost).length > 1 && policy?.warningOnRetry;
      finisher.finishRun(run, retried ? "WARNING" : event.state);
      return;
    }
    case "FAILED":
      retryOrFail(ctx, finisher, run, task, event.error);
      return;
    case "KILLED":
      finisher.finishRun(run, "KILLED", event.error);
      return;
  }
}

/** A runnable attempt ran past its task's timeout: it fails (and may be retried); the worker is told to stop. */
export function timeoutAttempt(
  ctx: StepContext,
  finisher: RunFinisher,
  run: TaskRun,
  attemptNumber: number,
): void {
  const attempt = run.attempts[attemptNumber - 1];
  if (!attempt || attemptNumber !== run.attempts.length || attempt.state.current !== "RUNNING") return;
  const task = ctx.taskOf(run);
  const message = `Task timed out after ${timeoutLabel(run, task)}`;
  transition(attempt.state, "FAILED", ctx.now());
  attempt.error = { message };
  ctx.command({ type: "cancelTask", taskRunId: run.id, attempt: attemptNumber });
  retryOrFail(ctx, finisher, run, task, message);
}

/** How many times an attempt may be lost with its worker before the task run fails instead. */
export const MAX_LOST_ATTEMPTS = 3;

/**
 * The worker running an attempt died (its job came back after a crash): the attempt is marked FAILED with
 * the reason and lost, and a new attempt starts at once. It does not count against the retry policy; after
 * MAX_LOST_ATTEMPTS the task run fails, so a task that kills its worker cannot loop for ever.
 */
export function attemptLost(
  ctx: StepContext,
  finisher: RunFinisher,
  taskRunId: string,
  attemptNumber: number,
  reason: string,
): void {
  const run = ctx.run(taskRunId);
  if (run?.state.current !== "RUNNING") return;
  const attempt = run.attempts[attemptNumber - 1];
  if (!attempt || attemptNumber !== run.attempts.length || attempt.state.current !== "RUNNING") return;
  transition(attempt.state, "FAILED", ctx.now());
  attempt.error = { message: reason };
  attempt.lost = true;
  ctx.cancelTimers(`${run.id}:timeout:`);
  const lost = run.attempts.filter((a) => a.lost).length;
  if (lost > MAX_LOST_ATTEMPTS) {
    finisher.finishRun(run, "FAILED", `${reason}; the attempt was lost ${lost} times, giving up`);
    return;
  }
  ctx.log("WARN", `${reason}; starting the attempt again`, run);
  startAttempt(ctx, run, ctx.taskOf(run));
}

/** How a timeout is named in errors: as written, or the rendered value of an expression. */
export function timeoutLabel(run: TaskRun, task: Task): string {
  const ms = run.internal?.timeoutMs;
  return typeof ms === "number" ? formatDuration(ms) : String(task.timeout);
}
