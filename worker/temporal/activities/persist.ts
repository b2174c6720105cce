import { type Execution, type ExecutorLog, isTerminal, secretInputValues } from "@/engine/executor";
import type { EngineContext } from "../../embedded/context";
import { type Queryable, withTransaction } from "../../embedded/db";
import {
  executionVersion,
  insertExecution,
  lockedExecution,
  saveExecution,
  saveExecutionAtVersion,
} from "../../embedded/execution-store";
import { ENDED_CHANNEL } from "../../embedded/jobs";
import { executorLogEntry, insertLogs, insertLogsFrom } from "../../embedded/logs-store";
import { maskExecution, maskLogs } from "../../embedded/mask";
import type { LogEntry } from "../../logs";
import type { TemporalActivities } from "./types";

/** What this process last wrote of an execution: the document (as text and value) and the row's version. */
export interface Written {
  text: string;
  execution: Execution;
  version: string;
}

/** What a worker remembers of the executions its workflows wrote (or loaded) last, and their versions. */
export interface WrittenMemory {
  get(id: string): Written | undefined;
  remember(entry: Written): void;
  forget(id: string): void;
}

/** Documents remembered at most (their text, in UTF-16 units): the oldest are forgotten beyond it. */
const REMEMBERED_CHARS = 32 * 1024 * 1024;

export function writtenMemory(): WrittenMemory {
  const written = new Map<string, Written>();
  let chars = 0;
  const forget = (id: string) => {
    const last = written.get(id);
    if (!last) return;
    written.delete(id);
    chars -= last.text.length;
  };
  return {
    get: (id) => written.get(id),
    forget,
    remember(entry) {
      forget(entry.execution.id);
      if (entry.text.length > REMEMBERED_CHARS / 4) return;
      written.set(entry.execution.id, entry);
      chars += entry.text.length;
      for (const id of written.keys()) {
        if (chars <= REMEMBERED_CHARS) break;
        forget(id);
      }
    },
  };
}

/**
 * The `persist` activity: writes each step of an execution to the read model (document, columns, changed
 * task runs, the step's logs), masked. A workflow's steps are written one after the other by its worker,
 * so this process remembers what it last wrote (or its `loadExecution` read) of each execution and the
 * row's version (`xmin`): the next step is then ONE statement (saveExecutionAtVersion: no transaction, no
 * read of the stored document, the task runs diffed against the remembered one), applied only if the row
 * is still at that version. A step with nothing remembered, after another worker wrote (the workflow
 * moved), or after a restart removed task runs, takes the locked path instead: read the stored document
 * under a row lock, diff, write, in a transaction.
 */
export function createPersist(
  ctx: EngineContext,
  memory: WrittenMemory = writtenMemory(),
  ended: (tenantId: string, executionId: string) => Promise<void> = async () => {},
): TemporalActivities["persist"] {
  const write = createWrite(ctx, memory);
  return async (input) => {
    const result = await write(input);
    // After the write, so what it reads (the ended execution) is there; a retry repeats it (it is idempotent).
    if (input.ended) await ended(input.tenantId, input.execution.id);
    return result;
  };
}

function createWrite(ctx: EngineContext, memory: WrittenMemory): TemporalActivities["persist"] {
  const { forget, remember } = memory;
  return async ({ tenantId, execution, logs, taskLogs = [] }) => {
    // Secret values never reach the database, as in the embedded engine (worker/embedded/apply.ts):
    // outputs, labels, errors, variables, trigger variables and the step's logs are masked. Fails
    // closed: without the secrets this throws, nothing is written, and Temporal retries it.
    const mask = await ctx.masker(ctx.pool, tenantId, secretInputValues(execution.inputs, ctx.inputCipher));
    const masked = maskExecution(execution, mask);
    const text = JSON.stringify(masked);
    const result = masked === execution || text === JSON.stringify(execution) ? {} : { masked };
    // The task attempts' last lines first: they were logged before this step.
    const entries = maskLogs(
      [...taskLogs, ...logs.map((log: ExecutorLog) => executorLogEntry(masked, log))],
      mask,
    );
    // Wakes EngineClient.waitForEnd as the embedded engine's `executionEnded` does.
    const notify = isTerminal(masked.state.current) ? ENDED_CHANNEL : undefined;
    const last = memory.get(masked.id);
    // A retried write of the step this process wrote last would add its logs twice.
    if (last?.text === text) {
      await insertTaskLogsOnce(ctx.pool, tenantId, maskLogs(taskLogs, mask));
      return result;
    }
    if (last) {
      const version = await saveExecutionAtVersion(ctx.pool, tenantId, last.execution, masked, last.version, {
        document: text,
        logs: entries,
        ...(notify ? { notify } : {}),
      });
      if (version) {
        remember({ text, execution: masked, version });
        return result;
      }
    }
    forget(masked.id);
    const version = await withTransaction(ctx.pool, async (client) => {
      const before = await lockedExecution(client, masked.id, text);
      if (before) {
        // A retried write of a step already written (by another process too) would add its logs twice.
        if (before.same) {
          await insertTaskLogsOnce(client, tenantId, maskLogs(taskLogs, mask));
          return before.version;
        }
        await saveExecution(client, tenantId, before.execution, masked);
      } else await insertExecution(client, tenantId, masked);
      if (notify) await client.query("select pg_notify($1, $2)", [notify, masked.id]);
      await insertLogs(client, tenantId, entries);
      return executionVersion(client, masked.id);
    });
    if (version) remember({ text, execution: masked, version });
    return result;
  };
}

/**
 * Task logs that came with a result that left the execution as it was (a late result the step ignored, a
 * retried write): written unless they are already, so neither lost nor doubled. The first line identifies
 * them (its execution, task run, attempt, instant and message; the execution's index finds it).
 */
async function insertTaskLogsOnce(db: Queryable, tenantId: string, entries: readonly LogEntry[]) {
  const first = entries[0];
  if (!first) return;
  await db.query(
    insertLogsFrom(
      "$1",
      "$2",
      `where not exists (select 1 from log_entries where execution_id = $3 and timestamp = $4::timestamptz
         and task_run_id is not distinct from $5 and attempt_number is not distinct from $6 and message = $7)`,
    ),
    [
      tenantId,
      JSON.stringify(entries),
      first.executionId,
      first.timestamp,
      first.taskRunId ?? null,
      first.attemptNumber ?? null,
      first.message,
    ],
  );
}
