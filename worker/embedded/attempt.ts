import {
  type Execution,
  type ExecutorCommand,
  secretInputValues,
  type TaskResultEvent,
} from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { LogEntry } from "../logs";
import { runTaskAttempt } from "../task-runner";
import type { EngineContext } from "./context";
import { insertLogs } from "./logs-store";
import { maskLogs } from "./mask";

/** Buffers a running task's logs and writes them in batches, so a chatty script does not cost a query per line. */
function logBuffer(ctx: EngineContext, tenantId: string, secretInputs: readonly string[] = []) {
  let buffer: LogEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    // Fails closed: logs that cannot be masked are not written (the engine reports why).
    await ctx
      .masker(ctx.pool, tenantId, secretInputs)
      .then((mask) => insertLogs(ctx.pool, tenantId, maskLogs(batch, mask)))
      .catch((error) => ctx.report(`could not write ${batch.length} task log(s)`, error));
  };
  return {
    push(entry: LogEntry) {
      buffer.push(entry);
      if (buffer.length >= 200) void flush();
      else timer ??= setTimeout(() => void flush(), 200);
    },
    flush,
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
    return await runTaskAttempt(
      flow,
      execution,
      command,
      {
        registry: ctx.registry,
        services: ctx.services(tenantId),
        functions: ctx.functions(ctx.pool, tenantId),
        namespaceAccess: ctx.namespaceAccess(ctx.pool, tenantId),
        now: () => ctx.now(),
        random: () => ctx.random(),
        inputCipher: ctx.inputCipher,
        log: (entry) => logs.push(entry),
      },
      signal,
    );
  } finally {
    await logs.flush();
  }
}
