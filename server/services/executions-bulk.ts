// Bulk operations on executions, Kestra's `/executions/{op}/by-ids` and `/by-query`: restart, replay,
// kill, resume, delete, set labels, force-run, unqueue and change-status. Each execution goes through the same single-execution service
// (authorized on its own namespace, audited on its own), and one refusal never stops the others: the
// answer is how many succeeded and why each other one did not.
import { describeError, UnprocessableError } from "./errors";
import { type Label, setExecutionLabels } from "./execution-labels";

export type { Label };

import type { StateType } from "@/engine/executor";
import { changeExecutionStatus, forceRunExecution, unqueueExecution } from "./execution-actions";
import { type ExecutionFilter, scopedExecutionWhere } from "./execution-query";
import { deleteExecution, operateExecution, replayExecution } from "./executions";
import type { ServiceScope } from "./scope";

export const BULK_OPERATIONS = [
  "restart",
  "replay",
  "kill",
  "resume",
  "delete",
  "labels",
  "force-run",
  "unqueue",
  "change-status",
] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

/** At most this many executions per call, by ids or by query (the UI says so before it asks). */
export const BULK_MAX = 10_000;

export interface BulkResult {
  /** Executions the operation was applied to. */
  count: number;
  /** The others, with why (at most ERRORS_SHOWN of them; `failed` counts them all). */
  errors: { id: string; message: string }[];
  failed: number;
}

const ERRORS_SHOWN = 100;

async function applyOne(
  scope: ServiceScope,
  operation: BulkOperation,
  id: string,
  options: BulkOptions,
): Promise<void> {
  switch (operation) {
    case "restart":
    case "kill":
    case "resume":
      await operateExecution(scope, id, operation);
      return;
    case "replay":
      await replayExecution(scope, id, undefined);
      return;
    case "delete":
      await deleteExecution(scope, id);
      return;
    case "labels":
      await setExecutionLabels(scope, id, options.labels ?? [], "merge");
      return;
    case "force-run":
      await forceRunExecution(scope, id);
      return;
    case "unqueue":
      await unqueueExecution(scope, id);
      return;
    case "change-status":
      await changeExecutionStatus(scope, id, options.status as StateType);
      return;
  }
}

export interface BulkOptions {
  labels?: Label[];
  /** change-status: the end state to give (Kestra's `newStatus`). */
  status?: StateType;
}

function checkOptions(operation: BulkOperation, options: BulkOptions): void {
  if (operation === "labels" && !options.labels?.length)
    throw new UnprocessableError("Setting labels needs at least one label.");
  if (operation === "change-status" && !options.status)
    throw new UnprocessableError("Changing the status needs the new status (`newStatus`).");
}

/** Applies `operation` to each execution in turn; one failure does not stop the rest. */
export async function bulkByIds(
  scope: ServiceScope,
  operation: BulkOperation,
  ids: string[],
  options: BulkOptions = {},
): Promise<BulkResult> {
  if (ids.length > BULK_MAX)
    throw new UnprocessableError(`At most ${BULK_MAX} executions at a time (${ids.length} given).`);
  checkOptions(operation, options);
  const result: BulkResult = { count: 0, errors: [], failed: 0 };
  for (const id of new Set(ids)) {
    try {
      await applyOne(scope, operation, id, options);
      result.count++;
    } catch (error) {
      const described = describeError(error);
      if (described.status === 500) console.error("cadenza bulk: unexpected error", error);
      result.failed++;
      if (result.errors.length < ERRORS_SHOWN) result.errors.push({ id, message: described.message });
    }
  }
  return result;
}

/** The ids of every execution the filter matches (what the principal may read), newest first. */
export async function idsMatching(scope: ServiceScope, filter: ExecutionFilter): Promise<string[]> {
  const sql = scopedExecutionWhere(scope, filter);
  const cap = sql.param(BULK_MAX + 1);
  const engine = await scope.engine();
  const rows = await engine.ctx.pool.query<{ id: string }>(
    `select e.id from executions e ${sql.clause} order by e.start_date desc, e.id desc limit ${cap}`,
    sql.params,
  );
  if (rows.rows.length > BULK_MAX)
    throw new UnprocessableError(
      `More than ${BULK_MAX} executions match: narrow the filter (a shorter time range, a namespace or a state).`,
    );
  return rows.rows.map((r) => r.id);
}

/** `by-query`: the same as bulkByIds over every execution the filter matches. */
export async function bulkByQuery(
  scope: ServiceScope,
  operation: BulkOperation,
  filter: ExecutionFilter,
  options: BulkOptions = {},
): Promise<BulkResult> {
  checkOptions(operation, options);
  return bulkByIds(scope, operation, await idsMatching(scope, filter), options);
}
