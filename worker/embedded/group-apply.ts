// Group commit of task results. Results for one execution that arrive while one of its transactions runs
// (a Parallel's branches ending together on several queue workers) used to wait one by one on the
// execution's row lock, each reading, stepping and writing the whole document. Here they wait in this
// process instead and are applied together in the next transaction: one lock, one read and one write for
// all of them, in their order of arrival. A lone result (a sequence of tasks) goes straight through, so
// nothing waits longer than it did.
import type { Execution, TaskResultEvent } from "@/engine/executor";
import type { LogEntry } from "../logs";
import { applyEventsInTransaction } from "./apply";
import type { EngineContext } from "./context";
import { withTransaction } from "./db";
import type { StoredExecution } from "./execution-store";

interface Waiting {
  event: TaskResultEvent;
  /** The execution as the job that produced this result read it: spares the transaction its document. */
  known?: StoredExecution;
  /** The attempt's last log lines (masked), written in the transaction that applies the result. */
  logs: LogEntry[];
  resolve(execution: Execution): void;
  reject(error: unknown): void;
}

/** Per engine, the results waiting for each execution whose transaction is under way. */
const waitingByEngine = new WeakMap<EngineContext, Map<string, Waiting[]>>();

/** Applies a task result, with any others for the same execution that arrive meanwhile. */
export function applyTaskResult(
  ctx: EngineContext,
  executionId: string,
  event: TaskResultEvent,
  known?: StoredExecution,
  logs: LogEntry[] = [],
): Promise<Execution> {
  let waiting = waitingByEngine.get(ctx);
  if (!waiting) {
    waiting = new Map();
    waitingByEngine.set(ctx, waiting);
  }
  const byExecution = waiting;
  return new Promise<Execution>((resolve, reject) => {
    const queue = byExecution.get(executionId);
    if (queue) {
      queue.push({ event, resolve, reject, logs, ...(known ? { known } : {}) });
      return;
    }
    const fresh: Waiting[] = [{ event, resolve, reject, logs, ...(known ? { known } : {}) }];
    byExecution.set(executionId, fresh);
    void drain(ctx, byExecution, executionId, fresh);
  });
}

async function drain(
  ctx: EngineContext,
  byExecution: Map<string, Waiting[]>,
  executionId: string,
  queue: Waiting[],
): Promise<void> {
  try {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const execution = await withTransaction(ctx.pool, (client) =>
          applyEventsInTransaction(
            ctx,
            client,
            executionId,
            batch.map((w) => w.event),
            // Any one will do: the document is sent anyway when the row has moved past its version.
            batch.find((w) => w.known)?.known,
            batch.flatMap((w) => w.logs),
          ),
        );
        for (const w of batch) w.resolve(execution);
      } catch (error) {
        if (batch.length === 1) (batch[0] as Waiting).reject(error);
        // One of them may be what failed: each on its own then, as without grouping, so the others land.
        else
          for (const w of batch)
            await withTransaction(ctx.pool, (client) =>
              applyEventsInTransaction(ctx, client, executionId, [w.event], w.known, w.logs),
            ).then(w.resolve, w.reject);
      }
    }
  } finally {
    byExecution.delete(executionId);
  }
}
