// Executions through the embedded engine's client: start (with FILE inputs put in the tenant's internal
// storage), read, search, operate (kill, pause, resume, restart, replay, change a task run's state), delete, logs. Every response is
// Kestra's execution JSON (toExecutionJson), with secret values already masked by the engine.
import { type ChangeableState, type Execution, isTerminal, toExecutionJson } from "@/engine/executor";
import { STATES } from "@/engine/flow";
import { newId } from "@/worker/ids";
import { inputFileUri } from "@/worker/storage/uris";
import { filterAllows, namespaceOrChildren, namespaceWhere } from "../access/authorize";
import { ConflictError, NotFoundError } from "./errors";
import type { ExecutionKindFilter } from "./execution-query";
import { audit, check, listFilter, type Page, type Paged, paging, type ServiceScope } from "./scope";

export type ExecutionJson = Record<string, unknown>;

export { STATES };
export type ExecutionState = (typeof STATES)[number];

/** How long `wait=true` waits for the end before answering with the execution as it is. */
export const WAIT_TIMEOUT_MS = 5 * 60_000;

export interface UploadedFile {
  inputId: string;
  fileName: string;
  content: Uint8Array;
}

export interface StartRequest {
  inputs?: Record<string, unknown>;
  files?: UploadedFile[];
  labels?: { key: string; value: string }[];
  revision?: number;
  /** Start later (Kestra's `scheduleDate`): the execution is CREATED now and starts then. */
  scheduleDate?: Date;
  /** Wait until the execution ends (or WAIT_TIMEOUT_MS) and answer with it, outputs included. */
  wait?: boolean;
  waitTimeoutMs?: number;
}

async function row(scope: ServiceScope, id: string) {
  const found = await scope.db.execution.findUnique({
    where: { id },
    select: { id: true, namespace: true, flowId: true, state: true, document: true },
  });
  if (!found) throw new NotFoundError(`Execution ${id} not found.`);
  return found;
}

/**
 * The caller's labels, plus Kestra's `system.username` when a person starts the execution (a service
 * account is not a person): the server's word, whatever the caller wrote for it.
 */
function startLabels(scope: ServiceScope, given: StartRequest["labels"]): { key: string; value: string }[] {
  const labels = (given ?? []).filter((l) => l.key !== "system.username");
  if (scope.principal.kind === "user") labels.push({ key: "system.username", value: scope.principal.name });
  return labels;
}

export async function startExecution(
  scope: ServiceScope,
  namespace: string,
  flowId: string,
  request: StartRequest,
): Promise<ExecutionJson> {
  const engine = await scope.engine();
  const tenantId = scope.tenant.id;
  const id = newId();
  const inputs: Record<string, unknown> = { ...(request.inputs ?? {}) };
  const stored: string[] = [];
  const storage = engine.ctx.storage(tenantId);
  let started: Execution;
  const labels = startLabels(scope, request.labels);
  try {
    for (const file of request.files ?? []) {
      const uri = await storage.put(
        inputFileUri(namespace, flowId, id, file.inputId, file.fileName),
        file.content,
      );
      stored.push(uri);
      inputs[file.inputId] = uri;
    }
    started = await engine.client.start(
      tenantId,
      namespace,
      flowId,
      {
        id,
        inputs,
        enforceChecks: true,
        ...(labels.length ? { labels } : {}),
        ...(request.scheduleDate ? { scheduleDate: request.scheduleDate.toISOString() } : {}),
      },
      {
        ...(request.revision !== undefined ? { revision: request.revision } : {}),
        ...(request.scheduleDate ? { startAt: request.scheduleDate } : {}),
      },
    );
  } catch (error) {
    // Nothing was created (or a later file could not be stored): do not keep the files uploaded for it.
    for (const uri of stored) await storage.delete(uri).catch(() => false);
    throw error;
  }
  await audit(scope, {
    action: "CREATE",
    resourceType: "EXECUTION",
    resourceId: started.id,
    namespace,
    after: { flowId, flowRevision: started.flowRevision, labels: started.labels },
  });
  const result = request.wait
    ? await engine.client.waitForEnd(tenantId, started.id, request.waitTimeoutMs ?? WAIT_TIMEOUT_MS)
    : started;
  return toExecutionJson(result);
}

export async function getExecution(scope: ServiceScope, id: string): Promise<ExecutionJson> {
  const found = await row(scope, id);
  return toExecutionJson(found.document as unknown as Execution);
}

/** The execution's current state and document, for streams (checked like getExecution). */
export async function readExecution(scope: ServiceScope, id: string): Promise<Execution> {
  const found = await row(scope, id);
  check(scope, "EXECUTION", "READ", found.namespace);
  return found.document as unknown as Execution;
}

export interface ExecutionSearch extends Page {
  namespace?: string;
  flowId?: string;
  state?: ExecutionState[];
  labels?: { key: string; value: string }[];
  startDate?: Date;
  endDate?: Date;
  sort?: "asc" | "desc";
  /** Unset: every kind but LOOP (Kestra hides a Loop's iterations from the list). */
  kind?: ExecutionKindFilter;
  /** The executions started by this one: its subflows, ForEachItem batches and (with kind LOOP) iterations. */
  triggerExecutionId?: string;
}

/** The Prisma condition for a kind filter, as kindCondition() in SQL. */
function kindWhere(kind: ExecutionKindFilter | undefined) {
  if (kind === undefined) return { OR: [{ kind: null }, { kind: { not: "LOOP" } }] };
  return { kind: kind === "NORMAL" ? null : kind };
}

export async function searchExecutions(
  scope: ServiceScope,
  query: ExecutionSearch,
): Promise<Paged<ExecutionJson>> {
  const filter = listFilter(scope, "EXECUTION", "READ");
  const where = {
    AND: [
      namespaceWhere(filter),
      query.namespace ? namespaceOrChildren(query.namespace) : {},
      query.flowId ? { flowId: query.flowId } : {},
      query.state?.length ? { state: { in: query.state } } : {},
      ...(query.labels ?? []).map((label) => ({ labels: { array_contains: [label] } })),
      query.startDate ? { startDate: { gte: query.startDate } } : {},
      query.endDate ? { startDate: { lte: query.endDate } } : {},
      kindWhere(query.kind),
      query.triggerExecutionId ? { parentId: query.triggerExecutionId } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    scope.db.execution.findMany({
      where,
      orderBy: [{ startDate: query.sort ?? "desc" }, { id: "asc" }],
      select: { namespace: true, document: true },
      ...paging(query),
    }),
    scope.db.execution.count({ where }),
  ]);
  return {
    results: rows
      .filter((r) => filterAllows(filter, r.namespace))
      .map((r) => toExecutionJson(r.document as unknown as Execution)),
    total,
  };
}

export type Operation = "kill" | "pause" | "resume" | "restart";

const OPERATION_ACTION: Record<Operation, string> = {
  kill: "KILL",
  pause: "PAUSE",
  resume: "RESUME",
  restart: "RESTART",
};

export async function operateExecution(
  scope: ServiceScope,
  id: string,
  operation: Operation,
  inputs?: Record<string, unknown>,
): Promise<ExecutionJson> {
  const found = await row(scope, id);
  check(scope, "EXECUTION", "UPDATE", found.namespace);
  const engine = await scope.engine();
  const event =
    operation === "resume"
      ? { type: "resume" as const, ...(inputs ? { inputs } : {}), by: scope.principal.name }
      : { type: operation };
  const after = await engine.client.operate(scope.tenant.id, id, event);
  await audit(scope, {
    action: OPERATION_ACTION[operation],
    resourceType: "EXECUTION",
    resourceId: id,
    namespace: found.namespace,
    before: { state: found.state },
    after: { state: after.state.current },
  });
  return toExecutionJson(after);
}

/**
 * Kestra's "change status" of a task run (POST /executions/{id}/state): on an ended execution, the task
 * run takes the new state and the execution goes on from there (the engine's changeTaskRunState).
 */
export async function changeTaskRunState(
  scope: ServiceScope,
  id: string,
  taskRunId: string,
  state: ChangeableState,
): Promise<ExecutionJson> {
  const found = await row(scope, id);
  const run = (found.document as unknown as Execution).taskRunList.find((r) => r.id === taskRunId);
  if (!run) throw new NotFoundError(`Execution ${id} has no task run ${taskRunId}.`);
  const engine = await scope.engine();
  const after = await engine.client.operate(scope.tenant.id, id, {
    type: "changeTaskRunState",
    taskRunId,
    state,
  });
  await audit(scope, {
    action: "CHANGE_STATE",
    resourceType: "EXECUTION",
    resourceId: id,
    namespace: found.namespace,
    before: { state: found.state, taskRunId, taskId: run.taskId, taskRunState: run.state.current },
    after: { state: after.state.current, taskRunState: state },
  });
  return toExecutionJson(after);
}

export async function replayExecution(
  scope: ServiceScope,
  id: string,
  taskRunId: string | undefined,
  inputs?: Record<string, unknown>,
): Promise<ExecutionJson> {
  const found = await row(scope, id);
  check(scope, "EXECUTION", "CREATE", found.namespace);
  const original = found.document as unknown as Execution;
  const from = taskRunId ?? original.taskRunList[0]?.id;
  if (!from) throw new ConflictError(`Execution ${id} has no task run to replay from.`);
  if (!original.taskRunList.some((run) => run.id === from))
    throw new NotFoundError(`Execution ${id} has no task run ${from}.`);
  const engine = await scope.engine();
  const fresh = await engine.client.replay(scope.tenant.id, id, from, inputs);
  await audit(scope, {
    action: "REPLAY",
    resourceType: "EXECUTION",
    resourceId: fresh.id,
    namespace: found.namespace,
    before: { executionId: id, taskRunId: from },
    after: { executionId: fresh.id },
  });
  return toExecutionJson(fresh);
}

export async function deleteExecution(scope: ServiceScope, id: string): Promise<void> {
  const found = await row(scope, id);
  check(scope, "EXECUTION", "DELETE", found.namespace);
  if (!isTerminal(found.state))
    throw new ConflictError(
      `Execution ${id} is ${found.state}: kill it, or wait for it to end, before deleting it.`,
    );
  await scope.db.$transaction(async (tx) => {
    // Its Loops' iterations (executions of kind LOOP, nested ones too) are part of it: they go with it.
    for (let parents = [id]; parents.length > 0; ) {
      const iterations = await tx.execution.findMany({
        where: { parentId: { in: parents }, kind: "LOOP" },
        select: { id: true },
      });
      parents = iterations.map((e) => e.id);
      if (parents.length > 0) await tx.execution.deleteMany({ where: { id: { in: parents } } });
    }
    await tx.execution.delete({ where: { id } });
    await audit(
      scope,
      {
        action: "DELETE",
        resourceType: "EXECUTION",
        resourceId: id,
        namespace: found.namespace,
        before: { flowId: found.flowId, state: found.state },
      },
      tx,
    );
  });
}

export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogJson {
  id: string;
  namespace: string;
  flowId: string;
  executionId: string | null;
  taskId: string | null;
  taskRunId: string | null;
  attemptNumber: number | null;
  triggerId: string | null;
  level: string;
  message: string;
  timestamp: string;
}

/** Logs of an execution, in order; `after` (a log id) for what came since. */
export async function executionLogs(
  scope: ServiceScope,
  executionId: string,
  filter: {
    minLevel?: LogLevelName;
    taskId?: string;
    after?: string;
    limit?: number;
    order?: "time" | "id";
  } = {},
): Promise<LogJson[]> {
  await row(scope, executionId); // a missing execution is a 404, not an empty list
  const levels = LOG_LEVELS.slice(LOG_LEVELS.indexOf(filter.minLevel ?? "TRACE"));
  const rows = await scope.db.logEntry.findMany({
    where: {
      executionId,
      level: { in: [...levels] },
      ...(filter.taskId ? { taskId: filter.taskId } : {}),
      ...(filter.after && /^\d{1,19}$/.test(filter.after) ? { id: { gt: BigInt(filter.after) } } : {}),
    },
    // Following a stream goes by id (the cursor); reading goes by time.
    orderBy: filter.order === "id" ? [{ id: "asc" }] : [{ timestamp: "asc" }, { id: "asc" }],
    ...(filter.limit ? { take: filter.limit } : {}),
  });
  return rows.map((log) => ({
    id: log.id.toString(),
    namespace: log.namespace,
    flowId: log.flowId,
    executionId: log.executionId,
    taskId: log.taskId,
    taskRunId: log.taskRunId,
    attemptNumber: log.attemptNumber,
    triggerId: log.triggerId,
    level: log.level,
    message: log.message,
    timestamp: log.timestamp.toISOString(),
  }));
}

export { isTerminal };
