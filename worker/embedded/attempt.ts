import {
  type Execution,
  type ExecutorCommand,
  secretInputValues,
  type TaskResultEvent,
  type WorkingDirectorySavedEvent,
} from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { LogEntry } from "../logs";
import { runTaskAttempt } from "../task-runner";
import { saveWorkingDirectory } from "../working-directory-save";
import type { EngineContext } from "./context";
import { insertLogs } from "./logs-store";
import { maskLogs } from "./mask";

/**
 * Buffers a running task's logs and writes them in batches, so a chatty script does not cost a query per
 * line. Batches are written one after the other (a later batch never lands before an earlier one).
 */
function logBuffer(ctx: EngineContext, tenantId: string, secretInputs: readonly string[] = []) {
  let buffer: LogEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let written: Promise<void> = Promise.resolve();
  const masked = async (batch: LogEntry[]) =>
    maskLogs(batch, await ctx.masker(ctx.pool, tenantId, secretInputs));
  const take = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    return batch;
  };
  const flush = () => {
    const batch = take();
    if (batch.length > 0)
      // Fails closed: logs that cannot be masked are not written (the engine reports why).
      written = written.then(() =>
        masked(batch)
          .then((entries) => insertLogs(ctx.pool, tenantId, entries))
          .catch((error) => ctx.report(`could not write ${batch.length} task log(s)`, error)),
      );
    return written;
  };
  return {
    push(entry: LogEntry) {
      buffer.push(entry);
      if (buffer.length >= 200) void flush();
      else timer ??= setTimeout(() => void flush(), 200);
    },
    flush,
    /**
     * The logs not written yet, masked, once every earlier batch is written — for the caller to write
     * with what it writes next — when they are at most `maxChars` of messages; otherwise they are written
     * here and none is returned.
     */
    async tail(maxChars: number): Promise<LogEntry[]> {
      const chars = buffer.reduce((sum, entry) => sum + entry.message.length, 0);
      if (chars > maxChars) {
        await flush();
        return [];
      }
      const batch = take();
      await written;
      if (batch.length === 0) return [];
      try {
        return [...(await masked(batch))];
      } catch (error) {
        ctx.report(`could not write ${batch.length} task log(s)`, error);
        return [];
      }
    },
  };
}

/**
 * One attempt of a runnable task of a stored execution, as every PostgreSQL-backed driver runs it (the
 * embedded engine's queue job, the Temporal driver's activity): the tenant's services, functions and
 * namespace boundaries, its logs written in masked batches (all of them before this resolves). What
 * schedules the attempt, and what happens to its result, is the driver's.
 */
export async function runStoredAttempt(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  execution: Execution,
  command: Pick<Extract<ExecutorCommand, { type: "runTask" }>, "taskRunId" | "attempt">,
  signal: AbortSignal,
): Promise<TaskResultEvent> {
  const logs = logBuffer(ctx, tenantId, secretInputValues(execution.inputs, ctx.inputCipher));
  try {
    return await attempt(ctx, tenantId, flow, execution, command, signal, logs.push);
  } finally {
    await logs.flush();
  }
}

/**
 * A task attempt's last log lines go with its result, to be written by the step that applies it, up to this
 * many characters of messages (more are written by the attempt itself). Both drivers use it.
 */
export const LOG_TAIL_CHARS = 16_384;

/**
 * `runStoredAttempt`, except that the logs still buffered when the attempt ends, when they are at most
 * `maxChars` of messages, are returned (masked) instead of written: the caller writes them with the step
 * that applies the result, in the same transaction (the embedded engine's apply) or statement (the
 * Temporal driver's `persist`), one commit fewer per task. Earlier batches (a long task's) are written as the task runs, before this resolves.
 */
export async function runStoredAttemptWithLogTail(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  execution: Execution,
  command: Pick<Extract<ExecutorCommand, { type: "runTask" }>, "taskRunId" | "attempt">,
  signal: AbortSignal,
  maxChars: number,
): Promise<{ result: TaskResultEvent; logs: LogEntry[] }> {
  const logs = logBuffer(ctx, tenantId, secretInputValues(execution.inputs, ctx.inputCipher));
  let result: TaskResultEvent;
  try {
    result = await attempt(ctx, tenantId, flow, execution, command, signal, logs.push);
  } catch (error) {
    await logs.flush();
    throw error;
  }
  return { result, logs: await logs.tail(maxChars) };
}

function attempt(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  execution: Execution,
  command: Pick<Extract<ExecutorCommand, { type: "runTask" }>, "taskRunId" | "attempt">,
  signal: AbortSignal,
  log: (entry: LogEntry) => void,
): Promise<TaskResultEvent> {
  return runTaskAttempt(flow, execution, command, { ...tenantServices(ctx, tenantId), log }, signal);
}

/**
 * A WorkingDirectory's save (its outputFiles and cache, worker/working-directory-save.ts) for a stored
 * execution, with the tenant's services and namespace boundaries, as every PostgreSQL-backed driver runs it.
 */
export function saveStoredWorkingDirectory(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  execution: Execution,
  command: { taskRunId: string; attempt: number },
): Promise<WorkingDirectorySavedEvent> {
  return saveWorkingDirectory(flow, execution, command, tenantServices(ctx, tenantId));
}

/** What a task's attempt or a WorkingDirectory's save runs with: the tenant's services and boundaries. */
function tenantServices(ctx: EngineContext, tenantId: string) {
  return {
    registry: ctx.registry,
    services: ctx.services(tenantId),
    functions: ctx.functions(ctx.pool, tenantId),
    namespaceAccess: ctx.namespaceAccess(ctx.pool, tenantId),
    now: () => ctx.now(),
    random: () => ctx.random(),
    inputCipher: ctx.inputCipher,
  };
}
