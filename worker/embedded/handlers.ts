import type { JobHelpers, TaskList } from "graphile-worker";
import {
  ExecutionOperationError,
  InputValidationError,
  isTerminal,
  outputsOf,
  secretInputValues,
  type TaskResultEvent,
} from "@/engine/executor";
import { matchFlowTriggers } from "@/engine/triggers";
import type { LogEntry } from "../logs";
import { flowsReaching, subflowDenied } from "../namespace-access";
import { splitContent } from "../storage/split";
import { taskFileUri } from "../storage/uris";
import { runTaskAttempt } from "../task-runner";
import {
  applyEvent,
  applyEventInTransaction,
  createAndStartInTransaction,
  ExecutionNotFoundError,
} from "./apply";
import type { EngineContext } from "./context";
import { withTransaction } from "./db";
import { loadExecution } from "./execution-store";
import {
  type EndedJob,
  type EventJob,
  JOB,
  type RestartSubflowJob,
  type RetryExecutionJob,
  type SplitJob,
  type SubflowJob,
  type TaskJob,
  type TimerJob,
} from "./jobs";
import { insertLogs } from "./logs-store";
import { maskLogs } from "./mask";
import { databasePreconditionStore } from "./precondition-store";
import { disabledTriggers } from "./services";

/** Attempts running in this process, by `taskRunId:attempt`, so a cancel notification can stop them. */
export type RunningTasks = Map<string, AbortController>;

/** Events that no longer apply (the execution ended, was deleted...) are dropped, not retried. */
async function applyQuietly(
  ctx: EngineContext,
  executionId: string,
  event: Parameters<typeof applyEvent>[2],
) {
  try {
    await applyEvent(ctx, executionId, event);
  } catch (error) {
    if (error instanceof ExecutionOperationError || error instanceof ExecutionNotFoundError) return;
    throw error;
  }
}

/** Buffers a running task's logs and writes them in batches, so a chatty script does not cost a query per line. */
function logBuffer(ctx: EngineContext, tenantId: string, secretInputs: readonly string[] = []) {
  let buffer: LogEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
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
  const flow = await ctx.flows.revision(
    ctx.pool,
    tenantId,
    execution.namespace,
    execution.flowId,
    execution.flowRevision,
  );
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
  const logs = logBuffer(ctx, tenantId, secretInputValues(execution.inputs, ctx.inputCipher));
  let result: TaskResultEvent;
  try {
    result = await runTaskAttempt(
      flow,
      execution,
      payload,
      {
        registry: ctx.registry,
        services: ctx.services(tenantId),
        functions: ctx.functions(ctx.pool, tenantId),
        namespaceAccess: ctx.namespaceAccess(ctx.pool, tenantId),
        now: () => ctx.now(),
        inputCipher: ctx.inputCipher,
        log: (entry) => logs.push(entry),
      },
      controller.signal,
    );
  } finally {
    helpers.abortSignal?.removeEventListener("abort", onShutdown);
    running.delete(key);
    await logs.flush();
  }
  if (handedBack)
    throw new Error(`engine shutting down: attempt ${payload.attempt} of ${run.taskId} handed back`);
  await applyQuietly(ctx, execution.id, result);
}

/**
 * Restarts a failed child execution for its parent (Subflow restartBehavior RETRY_FAILED). The child keeps
 * its parent link, so its next end reaches the same task run; a child that cannot restart fails that run.
 */
async function restartSubflow(ctx: EngineContext, job: RestartSubflowJob): Promise<void> {
  try {
    await applyEvent(ctx, job.executionId, { type: "restart" });
  } catch (error) {
    if (!(error instanceof ExecutionOperationError || error instanceof ExecutionNotFoundError)) throw error;
    await applyQuietly(ctx, job.parentId, {
      type: "subflowEnded",
      taskRunId: job.taskRunId,
      executionId: job.executionId,
      state: "FAILED",
      error: `could not restart subflow execution ${job.executionId}: ${error.message}`,
    });
  }
}

async function startSubflow(ctx: EngineContext, { tenantId, command }: SubflowJob): Promise<void> {
  await withTransaction(ctx.pool, async (client) => {
    if (await loadExecution(client, command.executionId)) return;
    const fail = (error: string) =>
      applyEventInTransaction(ctx, client, command.parentId, {
        type: "subflowEnded",
        taskRunId: command.taskRunId,
        iteration: command.iteration,
        executionId: command.executionId,
        state: "FAILED",
        error,
      }).catch((e) => {
        if (!(e instanceof ExecutionOperationError || e instanceof ExecutionNotFoundError)) throw e;
      });
    const flow =
      command.revision !== undefined
        ? await ctx.flows
            .revision(client, tenantId, command.namespace, command.flowId, command.revision)
            .catch(() => undefined)
        : await ctx.flows.current(client, tenantId, command.namespace, command.flowId);
    if (!flow) {
      await fail(`flow ${command.namespace}.${command.flowId} not found`);
      return;
    }
    const denied = await subflowDenied(
      ctx.namespaceAccess(client, tenantId),
      command.trigger.variables.namespace,
      command.namespace,
    );
    if (denied) {
      await fail(denied);
      return;
    }
    try {
      await createAndStartInTransaction(
        ctx,
        client,
        tenantId,
        flow,
        {
          id: command.executionId,
          inputs: command.inputs,
          labels: command.labels,
          trigger: command.trigger,
          parentId: command.parentId,
          scheduleDate: command.scheduleDate,
        },
        {
          ...(command.wait
            ? {
                parentLink: {
                  executionId: command.parentId,
                  taskRunId: command.taskRunId,
                  iteration: command.iteration,
                },
              }
            : {}),
          ...(command.scheduleDate ? { startAt: new Date(command.scheduleDate) } : {}),
        },
      );
    } catch (error) {
      if (error instanceof InputValidationError) await fail(`invalid subflow inputs: ${error.message}`);
      else if (error instanceof ExecutionOperationError) await fail(error.message);
      else throw error;
    }
  });
}

async function splitItems(ctx: EngineContext, job: SplitJob): Promise<void> {
  const stored = await loadExecution(ctx.pool, job.executionId);
  if (!stored) return;
  const { execution } = stored;
  const storage = ctx.storage(stored.tenantId);
  const run = execution.taskRunList.find((r) => r.id === job.taskRunId);
  try {
    const content = new TextDecoder().decode(await storage.get(job.uri));
    const batches: string[] = [];
    for (const [index, part] of splitContent(content, job).entries()) {
      const uri = taskFileUri(
        execution.namespace,
        execution.flowId,
        execution.id,
        run?.taskId ?? "items",
        job.taskRunId,
        `batch-${index + 1}.txt`,
      );
      batches.push(await storage.put(uri, part));
    }
    await applyQuietly(ctx, execution.id, { type: "itemsSplit", taskRunId: job.taskRunId, batches });
  } catch (error) {
    await applyQuietly(ctx, execution.id, {
      type: "itemsSplit",
      taskRunId: job.taskRunId,
      batches: [],
      error: `cannot split ${job.uri}: ${(error as Error).message}`,
    });
  }
}

/** After an execution ended: its parent learns the result, a queued execution may start, Flow triggers fire. */
async function executionEnded(ctx: EngineContext, { executionId }: EndedJob): Promise<void> {
  const stored = await loadExecution(ctx.pool, executionId);
  if (!stored || !isTerminal(stored.execution.state.current)) return;
  const { execution, tenantId, parentLink } = stored;
  // The shared directories of its WorkingDirectory tasks (on this machine; see worker/runners/README.md).
  await ctx.processRunner
    .releaseShared?.(execution.id)
    .catch((error) => ctx.report("could not remove a working directory", error));
  if (parentLink) {
    await applyQuietly(ctx, parentLink.executionId, {
      type: "subflowEnded",
      taskRunId: parentLink.taskRunId,
      iteration: parentLink.iteration,
      executionId: execution.id,
      state: execution.state.current,
      outputs: execution.outputs,
      taskOutputs: outputsOf(execution),
    });
  }
  const flow = await ctx.flows.revision(
    ctx.pool,
    tenantId,
    execution.namespace,
    execution.flowId,
    execution.flowRevision,
  );
  if (flow.concurrency) {
    const queued = await ctx.pool.query(
      `select id from executions where tenant_id = $1 and namespace = $2 and flow_id = $3 and state = 'QUEUED'
       order by created_at, id limit 1`,
      [tenantId, execution.namespace, execution.flowId],
    );
    const next = (queued.rows[0] as { id: string } | undefined)?.id;
    if (next) await applyQuietly(ctx, next, { type: "start" });
  }
  const stopAfter = flow.triggers.find((t) => t.id === execution.trigger?.id)?.stopAfter;
  if (stopAfter?.includes(execution.state.current)) {
    await ctx.pool.query(
      "update trigger_states set disabled = true, updated_at = now() where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
      [tenantId, execution.namespace, execution.flowId, execution.trigger?.id],
    );
  }
  const disabled = await disabledTriggers(ctx.pool, tenantId);
  const candidates = (await ctx.flows.withTrigger(ctx.pool, tenantId, "core.trigger.Flow")).map((f) => ({
    ...f,
    triggers: f.triggers.map((t) =>
      disabled.has(`${f.namespace}/${f.id}/${t.id}`) ? { ...t, disabled: true } : t,
    ),
  }));
  if (candidates.length === 0) return;
  await withTransaction(ctx.pool, async (client) => {
    const reaching = await flowsReaching(
      ctx.namespaceAccess(client, tenantId),
      candidates,
      execution.namespace,
    );
    const matches = await matchFlowTriggers(flow, execution, reaching, {
      registry: ctx.registry,
      now: () => ctx.now(),
      functions: ctx.functions(client, tenantId),
      preconditions: databasePreconditionStore(client),
      ...(ctx.inputCipher ? { inputCipher: ctx.inputCipher } : {}),
    });
    for (const match of matches) {
      try {
        await createAndStartInTransaction(
          ctx,
          client,
          tenantId,
          match.flow,
          { inputs: match.inputs, labels: match.labels, trigger: match.executionTrigger },
          {
            dedupeKey: `flow-trigger:${execution.id}:${execution.metadata.attemptNumber}:${match.flow.namespace}/${match.flow.id}/${match.trigger.id}`,
          },
        );
      } catch (error) {
        if (!(error instanceof InputValidationError || error instanceof ExecutionOperationError)) throw error;
        await insertLogs(client, tenantId, [
          {
            executionId: execution.id,
            namespace: execution.namespace,
            flowId: execution.flowId,
            level: "WARN",
            message: `Flow trigger ${match.flow.namespace}.${match.flow.id}/${match.trigger.id} could not start an execution: ${(error as Error).message}`,
            timestamp: ctx.now().toISOString(),
          },
        ]);
      }
    }
  });
}

async function retryExecution(
  ctx: EngineContext,
  { executionId, attemptNumber }: RetryExecutionJob,
): Promise<void> {
  const stored = await loadExecution(ctx.pool, executionId);
  if (!stored) return;
  const { execution, tenantId } = stored;
  const flow = await ctx.flows.revision(
    ctx.pool,
    tenantId,
    execution.namespace,
    execution.flowId,
    execution.flowRevision,
  );
  await withTransaction(ctx.pool, (client) =>
    createAndStartInTransaction(
      ctx,
      client,
      tenantId,
      flow,
      {
        inputs: execution.inputs,
        labels: execution.labels,
        trigger: execution.trigger,
        originalId: execution.originalId,
        attemptNumber,
      },
      { dedupeKey: `retry:${execution.id}:${attemptNumber}` },
    ),
  );
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
    [JOB.subflow]: (payload) => startSubflow(ctx, payload as SubflowJob),
    [JOB.restartSubflow]: (payload) => restartSubflow(ctx, payload as RestartSubflowJob),
    [JOB.split]: (payload) => splitItems(ctx, payload as SplitJob),
    [JOB.ended]: (payload) => executionEnded(ctx, payload as EndedJob),
    [JOB.retryExecution]: (payload) => retryExecution(ctx, payload as RetryExecutionJob),
    ...extra,
  };
}
