import {
  createExecution,
  type Execution,
  type ExecutionEvent,
  type ExecutionRequest,
  type ExecutionValidation,
  type ExecutorCommand,
  isSealed,
  type StepEnv,
  secretInputValues,
  step,
  validateExecutionInputs,
  validateResumeInputs,
} from "@/engine/executor";
import { type Flow, indexTasks } from "@/engine/flow";
import type { LogEntry } from "../logs";
import { runTaskAttempt } from "../task-runner";
import { enqueueCommands } from "./commands";
import { countRunning, lockFlowConcurrency } from "./concurrency";
import type { EngineContext } from "./context";
import { type DbClient, type Queryable, withTransaction } from "./db";
import {
  insertExecution,
  loadExecution,
  lockExecutionKnown,
  type ParentLink,
  type StoredExecution,
  saveExecution,
} from "./execution-store";
import { addJob, JOB } from "./jobs";
import { executorLogEntry, insertLogs } from "./logs-store";
import { type Masker, MaskUnavailableError, maskExecution, maskLogs, maskValue } from "./mask";

/** The execution does not exist (or not in this tenant). */
export class ExecutionNotFoundError extends Error {
  constructor(id: string) {
    super(`execution ${id} not found`);
    this.name = "ExecutionNotFoundError";
  }
}

/**
 * Running executions of a flow, counted under the flow's concurrency lock in the transaction that writes
 * the start's new state (RUNNING or QUEUED), so that two engines starting executions of one flow at once
 * count one after the other (concurrency limits hold across processes).
 */
async function runningCount(
  db: Queryable,
  tenantId: string,
  flow: Flow,
  execution: Execution,
): Promise<number> {
  const key = { tenantId, namespace: flow.namespace, flowId: flow.id };
  await lockFlowConcurrency(db, key);
  return countRunning(db, key, execution.id);
}

/**
 * A start of an execution whose flow has a `concurrency` limit takes the flow's lock before the row's:
 * a release takes them in that order (the flow's, then the queued row it gives the slot to: takeQueued),
 * so a start of that queued row taking the row's first would wait for it while it waits for the row.
 */
async function lockConcurrencyBeforeRow(ctx: EngineContext, client: DbClient, executionId: string) {
  const row = (
    await client.query(
      "select tenant_id, namespace, flow_id, flow_revision, kind from executions where id = $1",
      [executionId],
    )
  ).rows[0] as
    | { tenant_id: string; namespace: string; flow_id: string; flow_revision: number; kind: string | null }
    | undefined;
  if (!row || row.kind === "LOOP") return;
  const flow = await ctx.flows.revision(client, row.tenant_id, row.namespace, row.flow_id, row.flow_revision);
  if (flow.concurrency)
    await lockFlowConcurrency(client, {
      tenantId: row.tenant_id,
      namespace: row.namespace,
      flowId: row.flow_id,
    });
}

function stepEnv(ctx: EngineContext, db: Queryable, tenantId: string): StepEnv {
  return {
    now: () => ctx.now(),
    random: () => ctx.random(),
    newId: () => ctx.newId(),
    registry: ctx.registry,
    functions: ctx.functions(db, tenantId),
    runningCount: (flow, execution) => runningCount(db, tenantId, flow, execution),
    // Kestra 2.0: each Loop iteration is a child execution of kind LOOP, which runs the Loop's `finally`.
    loopExecutions: true,
    loopIterationRules: true,
    // Kestra's LoopUntil: `iterationCount` is the iteration that runs.
    loopUntilCountsCurrent: true,
    // Kestra's ForEachItem: `iterations` keeps the states passed through at 0.
    forEachItemKestraCounts: true,
    // Kestra's ForEachItem: its `<id>_split`, `<id>_items` and `<id>_merge` task runs.
    forEachItemTasks: true,
    // Kestra 2.0's Pause: CANCEL cancels the execution, a timeout runs the Pause's errors and finally.
    pauseKestraOutcomes: true,
    // Kestra's WorkingDirectory keeps its own outputFiles and cache.
    workingDirectoryFiles: true,
    // Kestra 2.0's parentOutput(), iterationOutput(s)(), outputFromIteration().
    iterationOutputFunctions: true,
    // Kestra's Subflow: an attempt per child, and its `retry` starts a new child.
    subflowAttempts: true,
    // Kestra's kill cascades to the subflows started without waiting.
    killUnwaitedSubflows: true,
    ...(ctx.inputCipher ? { inputCipher: ctx.inputCipher } : {}),
  };
}

/**
 * Applies one event to an execution inside the caller's transaction: locks the row (one writer at a time),
 * runs `step`, runs light tasks inline when enabled (their results are stepped in the same transaction),
 * writes the new state, the logs and the jobs the commands imply. All of it commits together or not at all.
 */
export function applyEventInTransaction(
  ctx: EngineContext,
  client: DbClient,
  executionId: string,
  event: ExecutionEvent,
): Promise<Execution> {
  return applyEventsInTransaction(ctx, client, executionId, [event]);
}

/**
 * Applies events to one execution in order, under one lock, one read and one write of its document (task
 * results that arrived together: group-apply.ts).
 */
export async function applyEventsInTransaction(
  ctx: EngineContext,
  client: DbClient,
  executionId: string,
  arrived: readonly ExecutionEvent[],
  /** The execution as the caller read it before (a task job): its document is not read again if unchanged. */
  known?: StoredExecution,
  /** Log lines of the task attempts whose results these are (masked): written with them. */
  taskLogs: readonly LogEntry[] = [],
): Promise<Execution> {
  let events = [...arrived];
  if (arrived.some((e) => e.type === "start")) await lockConcurrencyBeforeRow(ctx, client, executionId);
  const stored = known
    ? await lockExecutionKnown(client, executionId, known)
    : await loadExecution(client, executionId, { lock: true });
  if (!stored) throw new ExecutionNotFoundError(executionId);
  const { tenantId } = stored;
  // Logged before this step: first, and visible to what it runs inline (errorLogs()).
  if (taskLogs.length > 0) await insertLogs(client, tenantId, [...taskLogs]);
  const before = stored.execution;
  const flow = await ctx.flows.revision(
    client,
    tenantId,
    before.namespace,
    before.flowId,
    before.flowRevision,
  );
  const env = stepEnv(ctx, client, tenantId);
  const commands: ExecutorCommand[] = [];
  const logs: LogEntry[] = [];
  let mask: Masker | undefined;
  // Fail closed: without the secrets to mask, a task's result is not stored; the task fails instead, with
  // the reason, and nothing it rendered is written (no inline task runs, no step logs). Any other event
  // is not applied at all (the queue retries it).
  let unmaskable: MaskUnavailableError | undefined;
  try {
    mask = await ctx.masker(client, tenantId, secretInputValues(before.inputs, ctx.inputCipher));
  } catch (error) {
    if (!(error instanceof MaskUnavailableError) || events.some((e) => e.type !== "taskResult")) throw error;
    unmaskable = error;
    events = events.map((event) =>
      event.type === "taskResult"
        ? {
            type: "taskResult",
            taskRunId: event.taskRunId,
            attempt: event.attempt,
            state: "FAILED",
            error: error.message,
          }
        : event,
    );
  }
  const pending: ExecutionEvent[] = [...events];
  let current = before;
  while (pending.length > 0) {
    const next = pending.shift() as ExecutionEvent;
    const result = await step(flow, current, next, env);
    current = result.execution;
    for (const log of result.logs) logs.push(executorLogEntry(current, log));
    for (const command of result.commands) {
      if (
        command.type === "runTask" &&
        ctx.inlineTasks &&
        !unmaskable &&
        isInline(ctx, flow, command.taskId)
      ) {
        // Logs written so far must be visible to this task (errorLogs()), in this transaction.
        await insertLogs(client, tenantId, maskLogs(logs.splice(0), mask));
        const taskResult = await runTaskAttempt(
          flow,
          current,
          command,
          {
            registry: ctx.registry,
            services: ctx.services(tenantId),
            functions: ctx.functions(client, tenantId),
            namespaceAccess: ctx.namespaceAccess(client, tenantId),
            now: () => ctx.now(),
            random: () => ctx.random(),
            inputCipher: ctx.inputCipher,
            log: (entry) => logs.push(entry),
          },
          new AbortController().signal,
        );
        pending.push(taskResult);
      } else {
        commands.push(command);
      }
    }
  }
  if (unmaskable) {
    const reason = unmaskable;
    logs.splice(0, logs.length, ...events.map((event) => unmaskableLog(current, event, reason, ctx.now())));
  }
  await insertLogs(client, tenantId, maskLogs(logs, mask));
  // Secret values never reach the database: masked in what tasks output (later tasks see the mask too).
  current = maskExecution(current, mask);
  await saveExecution(client, tenantId, before, current);
  await enqueueCommands(client, tenantId, current, commands);
  return current;
}

/** Inputs with secret values masked, sealed SECRET inputs left as they are. */
function maskInputs(inputs: Record<string, unknown>, mask: Masker): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [name, isSealed(value) ? value : maskValue(value, mask)]),
  );
}

/** The one log line an event applied without masking writes: why its task failed. */
function unmaskableLog(execution: Execution, event: ExecutionEvent, error: Error, now: Date): LogEntry {
  const run =
    event.type === "taskResult" ? execution.taskRunList.find((r) => r.id === event.taskRunId) : undefined;
  return {
    executionId: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    ...(run ? { taskId: run.taskId, taskRunId: run.id } : {}),
    level: "ERROR",
    message: error.message,
    timestamp: now.toISOString(),
  };
}

const inlineCache = new WeakMap<Flow, Set<string>>();

/** Ids of the flow's tasks whose plugin is light enough to run inside the executor's transaction. */
function isInline(ctx: EngineContext, flow: Flow, taskId: string): boolean {
  let inline = inlineCache.get(flow);
  if (!inline) {
    inline = new Set();
    for (const [id, location] of indexTasks(flow, ctx.registry)) {
      const plugin = ctx.registry.get(location.task.type);
      if (plugin?.kind === "runnable" && plugin.inline) inline.add(id);
    }
    inlineCache.set(flow, inline);
  }
  return inline.has(taskId);
}

/** Applies an event in its own transaction. */
export function applyEvent(
  ctx: EngineContext,
  executionId: string,
  event: ExecutionEvent,
): Promise<Execution> {
  return withTransaction(ctx.pool, (client) => applyEventInTransaction(ctx, client, executionId, event));
}

export interface CreateOptions {
  parentLink?: ParentLink;
  /** Makes creation idempotent: a second creation with the same key does nothing and returns undefined. */
  dedupeKey?: string;
  /** Start later (a subflow's scheduleDate). */
  startAt?: Date;
}

/**
 * Creates an execution (validating its inputs: throws InputValidationError) and starts it, in the caller's
 * transaction. Returns undefined when the dedupe key shows it was already created.
 */
export async function createAndStartInTransaction(
  ctx: EngineContext,
  client: DbClient,
  tenantId: string,
  flow: Flow,
  request: ExecutionRequest,
  options: CreateOptions = {},
): Promise<Execution | undefined> {
  const execution = await createMaskedExecution(ctx, client, tenantId, flow, request);
  return startCreatedInTransaction(ctx, client, tenantId, execution, options);
}

/** Stores an execution just created and starts it (at `startAt`), in the caller's transaction. */
async function startCreatedInTransaction(
  ctx: EngineContext,
  client: DbClient,
  tenantId: string,
  execution: Execution,
  options: CreateOptions,
): Promise<Execution | undefined> {
  const inserted = await insertExecution(client, tenantId, execution, options);
  if (!inserted) return undefined;
  if (options.startAt && options.startAt.getTime() > ctx.now().getTime()) {
    await addJob(
      client,
      JOB.event,
      { executionId: execution.id, event: { type: "start" } },
      { runAt: options.startAt },
    );
    return execution;
  }
  return applyEventInTransaction(ctx, client, execution.id, { type: "start" });
}

/**
 * A new execution of `flow` (inputs validated: throws InputValidationError), masked as it is first written:
 * labels and inputs rendered from secrets (a parent's Subflow labels and inputs) are masked. Inputs with
 * the tenant's secrets only: a SECRET input is sealed, or (no cipher) kept as given. Every driver that
 * stores executions in PostgreSQL creates them with this.
 */
export async function createMaskedExecution(
  ctx: EngineContext,
  db: Queryable,
  tenantId: string,
  flow: Flow,
  request: ExecutionRequest,
): Promise<Execution> {
  const created = await createExecution(flow, { ...request, tenantId }, stepEnv(ctx, db, tenantId));
  const tenantMask = await ctx.masker(db, tenantId);
  const mask = await ctx.masker(db, tenantId, secretInputValues(created.inputs, ctx.inputCipher));
  return maskExecution(
    tenantMask ? { ...created, inputs: maskInputs(created.inputs, tenantMask) } : created,
    mask,
  );
}

/** What resuming the paused `execution` with these inputs would make of each onResume input (nothing changes). */
export function validateResume(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  execution: Execution,
  inputs: Record<string, unknown>,
): ReturnType<typeof validateResumeInputs> {
  return validateResumeInputs(flow, execution, inputs, stepEnv(ctx, ctx.pool, tenantId));
}

/** What starting `flow` with these inputs would make of each input (nothing is created). */
export function validateInputs(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  request: ExecutionRequest,
): Promise<ExecutionValidation> {
  return validateExecutionInputs(flow, { ...request, tenantId }, stepEnv(ctx, ctx.pool, tenantId));
}

/** createAndStartInTransaction in a transaction of its own, opened once the inputs are rendered. */
export async function createAndStart(
  ctx: EngineContext,
  tenantId: string,
  flow: Flow,
  request: ExecutionRequest,
  options: CreateOptions = {},
): Promise<Execution | undefined> {
  // Inputs are rendered before the transaction opens: an input calling subflow() waits for another
  // execution to end, which must not happen while holding a connection and locks (create-context.ts).
  const execution = await createMaskedExecution(ctx, ctx.pool, tenantId, flow, request);
  return withTransaction(ctx.pool, (client) =>
    startCreatedInTransaction(ctx, client, tenantId, execution, options),
  );
}
