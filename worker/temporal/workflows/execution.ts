import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  defineSignal,
  defineUpdate,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  TimeoutFailure,
  uuid4,
  WorkflowIdReusePolicy,
  workflowInfo,
} from "@temporalio/workflow";
import {
  type Execution,
  type ExecutionEvent,
  type ExecutorCommand,
  isTerminal,
  outputsOf,
  type StepEnv,
  step,
} from "@/engine/executor";
import { type CommandSink, dispatchCommands } from "../../core/commands";
import type { TaskAttemptResult, TemporalActivities } from "../activities/types";
import {
  base62Id,
  DEFAULT_HISTORY_LIMIT,
  EVENT_SIGNAL,
  type ExecutionWorkflowInput,
  type ExecutionWorkflowResult,
  OPERATE_UPDATE,
  taskQueueOf,
  WORKER_SHUTDOWN,
  WORKFLOW_TYPE,
  workflowIdOf,
} from "../names";
import { BASELINE, PATCHES } from "./patches";
import { workflowRegistry } from "./registry";
import { searchAttributeIndexer } from "./search-attributes";

export const eventSignal = defineSignal<[ExecutionEvent]>(EVENT_SIGNAL);
export const operateUpdate = defineUpdate<void, [ExecutionEvent]>(OPERATE_UPDATE);

// Bookkeeping and lookups: short, retried by Temporal (they are idempotent).
const store = proxyLocalActivities<TemporalActivities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "200ms", maximumInterval: "10s" },
});
const lookups = proxyActivities<TemporalActivities>({
  startToCloseTimeout: "5 minutes",
  // They heartbeat (activities/index.ts `beating`): one lost with its worker is retried within seconds.
  heartbeatTimeout: "10 seconds",
  retry: { initialInterval: "500ms", maximumInterval: "30s" },
});

/** How long a task attempt may go without a heartbeat before its worker counts as lost. */
const HEARTBEAT_TIMEOUT = "10 seconds";
const DAY_MS = 86_400_000;

interface Queued {
  event: ExecutionEvent;
  done?: { resolve(): void; reject(error: unknown): void };
  /** The run's own event (its input's start or restart), not one sent to it. */
  initial?: boolean;
}

/**
 * One Cadenza execution as one workflow: the flow is interpreted with the executor's pure `step`, here,
 * deterministically (time, ids and randomness are the workflow's); what `step` asks for becomes
 * activities (task attempts, the read model in PostgreSQL), durable timers and child workflows. Events
 * are applied one at a time, in order, as the other drivers do.
 */
export async function cadenzaExecution(input: ExecutionWorkflowInput): Promise<ExecutionWorkflowResult> {
  const { tenantId } = input;
  // Interpretation changes that issue other commands, each behind its patch (patches.ts): a run recorded
  // before one replays as it ran.
  const baseline = patched(PATCHES.baseline);
  const has = (id: string): boolean => (baseline && BASELINE.has(id)) || patched(id);
  const mayContinue = has(PATCHES.continueAsNew);
  const indexes = has(PATCHES.searchAttributes);
  const localWork = has(PATCHES.localWork);
  const logsInStep = has(PATCHES.taskLogsInStep);
  const loaded = await store.loadExecution({
    tenantId,
    executionId: input.executionId,
    runId: workflowInfo().runId,
  });
  const { flow } = loaded;
  let execution: Execution = loaded.execution;
  const index = searchAttributeIndexer(indexes ? (loaded.searchAttributes ?? []) : [], tenantId);
  // The baseline's runs index after their first step, which changes the state anyway: one upsert, not two.
  if (!baseline) index(execution);
  const historyLimit = loaded.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const inlineTasks = new Set(localWork ? (loaded.inlineTaskIds ?? []) : []);

  const functions = Object.fromEntries(
    loaded.functionNames.map((name) => [
      name,
      (args: unknown[], named: Record<string, unknown>, call: { context: Record<string, unknown> }) =>
        lookups
          .callFunction({
            tenantId,
            name,
            args,
            named,
            context: {
              flow: call.context.flow,
              execution: call.context.execution,
              trigger: call.context.trigger,
            },
          })
          .catch((error: unknown) => {
            // The function's own reason (e.g. subflow() refused here), not the wrapper's "Activity task failed".
            throw error instanceof ActivityFailure && error.cause ? new Error(error.cause.message) : error;
          }),
    ]),
  );
  const env: StepEnv = {
    now: () => new Date(),
    newId: () => base62Id(uuid4()),
    registry: workflowRegistry(loaded.runnableTypes),
    functions,
    // The limit goes with the count so the activity claims the slot the executor takes from it: the
    // same activity and command, only its input differs, so no patch.
    runningCount: (counted, current) =>
      lookups.runningCount({
        tenantId,
        namespace: current.namespace,
        flowId: current.flowId,
        executionId: current.id,
        ...(counted.concurrency
          ? { limit: counted.concurrency.limit, behavior: counted.concurrency.behavior }
          : {}),
      }),
    random: Math.random,
    get loopExecutions() {
      return has(PATCHES.loopExecutions);
    },
    get loopIterationRules() {
      return has(PATCHES.loopIterationRules);
    },
    get loopUntilCountsCurrent() {
      return has(PATCHES.loopUntilCountsCurrent);
    },
    get forEachItemKestraCounts() {
      return has(PATCHES.forEachItemKestraCounts);
    },
    get forEachItemTasks() {
      return has(PATCHES.forEachItemTasks);
    },
    get pauseKestraOutcomes() {
      return has(PATCHES.pauseKestraOutcomes);
    },
    get workingDirectoryFiles() {
      return has(PATCHES.workingDirectoryFiles);
    },
    get iterationOutputFunctions() {
      return has(PATCHES.iterationOutputFunctions);
    },
    get subflowAttempts() {
      return has(PATCHES.subflowAttempts);
    },
    get killUnwaitedSubflows() {
      return has(PATCHES.killUnwaitedSubflows);
    },
  };

  const queue: Queued[] = input.continued || input.startAt ? [] : [{ event: input.event, initial: true }];
  const timers = new Map<string, CancellationScope>();
  /** When each armed timer fires: what a new run (continueAsNew) arms again. */
  const timerAt = new Map<string, string>();
  const tasks = new Map<string, CancellationScope>();
  let ended = false;
  /**
   * Set once the history is long: the run drains (events are still applied, but commands that would start
   * work are held) until nothing is in flight, then hands over to a new run with what it held.
   */
  let draining = false;
  const held: ExecutorCommand[] = [];
  /**
   * Task log lines that came with results and are not written yet: the next persist writes them (a result
   * whose step is refused, which does not happen for task results, leaves them to the step after).
   */
  const taskLogs: NonNullable<TaskAttemptResult["logs"]> = [];
  const enqueue = (event: ExecutionEvent): void => {
    queue.push({ event });
  };

  setHandler(eventSignal, (event) => enqueue(event));
  setHandler(
    operateUpdate,
    (event) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ event, done: { resolve, reject } });
      }),
  );

  /** Work the workflow must outlive: child workflows, flow-level retries waiting for their time. */
  const background = new Set<string>();
  /**
   * Children being created or started (without waiting, restarted, or waited for on code with
   * `cadenza-kill-starting-subflows`), until they have started: a kill sent meanwhile waits for them (a
   * signal now would reach no run, or the child's closed one).
   */
  const childStarts = new Map<string, Promise<void>>();
  /**
   * A light task's attempt (Log, Return...: what the embedded engine runs inside its transaction) is a
   * local activity: it runs in the workflow task that asked for it, without a round trip to the server and
   * a workflow task for its result. A worker lost meanwhile makes that workflow task run again, attempt
   * included (no `attemptLost`). Retries are the executor's, as for the others.
   */
  const localTaskActivity = (timeoutMs: number) =>
    proxyLocalActivities<TemporalActivities>({
      startToCloseTimeout: timeoutMs + 60_000,
      retry: { maximumAttempts: 1 },
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
  const taskActivity = (timeoutMs: number) =>
    proxyActivities<TemporalActivities>({
      startToCloseTimeout: timeoutMs + 60_000,
      heartbeatTimeout: HEARTBEAT_TIMEOUT,
      // Retries are the executor's (the task's `retry`), so attempts show as in the embedded engine.
      retry: { maximumAttempts: 1 },
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });

  /**
   * An activity whose answer comes back as an event (its failure as the event `failed` makes of it); while
   * it runs, a `tracked` key keeps the run from closing or continuing as new.
   */
  const answerLater = (
    key: string,
    tracked: boolean,
    work: Promise<ExecutionEvent>,
    failed: (error: string) => ExecutionEvent,
  ): void => {
    if (tracked) background.add(key);
    void work
      .then(enqueue, (error: unknown) => enqueue(failed(String(error))))
      .finally(() => background.delete(key));
  };

  // The shared driver core's CommandSink (worker/core): the compiler checks every command is handled.
  // Each method starts its work and returns at once; what it yields comes back as a queued event.
  const sink: CommandSink = {
    runTask: async (current, command) => {
      if (draining) {
        held.push(command);
        return;
      }
      const key = `${command.taskRunId}/${command.attempt}`;
      const scope = new CancellationScope();
      tasks.set(key, scope);
      const attempt = (inlineTasks.has(command.taskId) ? localTaskActivity : taskActivity)(
        command.timeoutMs ?? DAY_MS,
      );
      scope
        .run(() =>
          attempt.runTask({
            tenantId,
            executionId: current.id,
            command,
            ...(logsInStep ? { logTail: true } : {}),
          }),
        )
        .then(enqueue, (error: unknown) => {
          const base = { taskRunId: command.taskRunId, attempt: command.attempt };
          if (
            error instanceof ActivityFailure &&
            error.cause instanceof ApplicationFailure &&
            error.cause.type === WORKER_SHUTDOWN
          )
            // Its worker shut down mid-attempt (a deploy): again, elsewhere, not counted as a retry.
            enqueue({ type: "attemptLost", ...base, reason: "the worker running it shut down" });
          else if (isCancellation(error)) enqueue({ type: "taskResult", ...base, state: "KILLED" });
          else if (error instanceof ActivityFailure && error.cause instanceof TimeoutFailure)
            // The worker running it died (no heartbeat): a new attempt that does not count as a retry.
            enqueue({ type: "attemptLost", ...base, reason: "the worker running it was lost" });
          else
            enqueue({
              type: "taskResult",
              ...base,
              state: "FAILED",
              error: (error as Error).cause ? String((error as Error).cause) : (error as Error).message,
            });
        })
        .finally(() => tasks.delete(key));
    },
    cancelTask: async (_current, command) => {
      const waiting = held.findIndex(
        (c) => c.type === "runTask" && c.taskRunId === command.taskRunId && c.attempt === command.attempt,
      );
      if (waiting >= 0) {
        // Held back, never started: killed as a started one would be.
        held.splice(waiting, 1);
        enqueue({
          type: "taskResult",
          taskRunId: command.taskRunId,
          attempt: command.attempt,
          state: "KILLED",
        });
        return;
      }
      tasks.get(`${command.taskRunId}/${command.attempt}`)?.cancel();
    },
    startTimer: async (_current, command) => {
      timers.get(command.timerId)?.cancel();
      const scope = new CancellationScope();
      timers.set(command.timerId, scope);
      timerAt.set(command.timerId, command.at);
      const delay = Math.max(0, Date.parse(command.at) - Date.now());
      scope
        .run(() => sleep(delay))
        .then(
          () => {
            if (timers.get(command.timerId) === scope) {
              timers.delete(command.timerId);
              timerAt.delete(command.timerId);
            }
            enqueue({ type: "timer", timerId: command.timerId });
          },
          () => undefined,
        );
    },
    cancelTimer: async (_current, command) => {
      timers.get(command.timerId)?.cancel();
      timers.delete(command.timerId);
      timerAt.delete(command.timerId);
    },
    startSubflow: async (_current, command) => {
      if (draining) {
        held.push(command);
        return;
      }
      const childId = command.executionId;
      // A scheduleDate still ahead: the child waits for it itself (a kill from the API or the parent reaches
      // its workflow meanwhile). Asked only then, so other subflows record no marker.
      const at = command.scheduleDate ? Date.parse(command.scheduleDate) : Number.NaN;
      const startAt =
        at > Date.now() && has(PATCHES.subflowScheduleDate) ? new Date(at).toISOString() : undefined;
      // A waited child's start is tracked too, so a kill of this execution while the child is being created
      // or started (right after its Subflow; a scheduleDate makes the window no wider, the wait is the
      // child's) reaches it once it runs: the signal reached no run before and the child ran on.
      const tracked = command.wait && has(PATCHES.killStartingSubflows);
      let childStarted: { resolve(): void; reject(): void } | undefined;
      if (tracked) {
        const starting = new Promise<void>((resolve, reject) => {
          childStarted = { resolve, reject };
        });
        childStarts.set(childId, starting);
        const forget = () => childStarts.delete(childId);
        void starting.then(forget, forget);
      }
      background.add(childId);
      const started = (async () => {
        const created = await lookups.createSubflow({ tenantId, command });
        const report = (result: Partial<ExecutionWorkflowResult> & { error?: string }) => {
          if (command.wait)
            enqueue({
              type: "subflowEnded",
              taskRunId: command.taskRunId,
              iteration: command.iteration,
              executionId: childId,
              state: result.state ?? "FAILED",
              ...result,
            });
        };
        if (created.error) {
          report({ state: "FAILED", error: created.error });
          return;
        }
        const options = {
          workflowId: workflowIdOf(tenantId, childId),
          taskQueue: taskQueueOf(tenantId),
          args: [
            {
              tenantId,
              executionId: childId,
              event: { type: "start" as const },
              ...(startAt ? { startAt } : {}),
            },
          ] as [ExecutionWorkflowInput],
          parentClosePolicy: command.wait ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
        };
        if (!command.wait) {
          await startChild(WORKFLOW_TYPE, options);
          return;
        }
        try {
          if (tracked) {
            const child = await startChild<typeof cadenzaExecution>(WORKFLOW_TYPE, options);
            childStarted?.resolve();
            report(await child.result());
          } else report(await executeChild<typeof cadenzaExecution>(WORKFLOW_TYPE, options));
        } catch (error) {
          report({ state: "FAILED", error: `subflow execution failed: ${(error as Error).message}` });
        }
      })().finally(() => {
        background.delete(childId);
        // Never started (refused by createSubflow, or its start failed): a kill waiting for it is dropped.
        childStarted?.reject();
      });
      if (!command.wait) {
        childStarts.set(childId, started);
        const forget = () => childStarts.delete(childId);
        void started.then(forget, forget);
      }
    },
    restartSubflow: async (_current, command) => {
      const childId = command.executionId;
      const report = (result: Partial<ExecutionWorkflowResult> & { error?: string }) =>
        enqueue({
          type: "subflowEnded",
          taskRunId: command.taskRunId,
          executionId: childId,
          state: result.state ?? "FAILED",
          ...result,
        });
      if (!has(PATCHES.restartSubflows)) {
        report({
          state: "FAILED",
          error: "restarting a subflow execution is not supported by the Temporal driver yet",
        });
        return;
      }
      if (draining) {
        held.push(command);
        return;
      }
      // The child's workflow closed with its end: a new run of the same id, as a child of this run, so its
      // next end is this task run's result and a kill of this execution reaches it (killExecution).
      background.add(childId);
      const started = startChild<typeof cadenzaExecution>(WORKFLOW_TYPE, {
        workflowId: workflowIdOf(tenantId, childId),
        taskQueue: taskQueueOf(tenantId),
        args: [{ tenantId, executionId: childId, event: { type: "restart" } }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
      const starting = started.then(() => undefined);
      childStarts.set(childId, starting);
      const forget = () => childStarts.delete(childId);
      void starting.then(forget, forget);
      void started
        .then((child) => child.result())
        .then(report, (error: unknown) => {
          // Refused by the child's step (its run failed with the reason), or its workflow is running (a
          // restart from the API): the embedded engine's message (worker/core/subflows.ts restartSubflow).
          const refused =
            error instanceof ChildWorkflowFailure && error.cause instanceof ApplicationFailure
              ? error.cause.message
              : (error as Error).message;
          report({ state: "FAILED", error: `could not restart subflow execution ${childId}: ${refused}` });
        })
        .finally(() => background.delete(childId));
    },
    killExecution: async (_current, command) => {
      const signal = () =>
        getExternalWorkflowHandle(workflowIdOf(tenantId, command.executionId))
          .signal(eventSignal, { type: "kill" })
          .catch(() => undefined);
      // A child may still be being created or started (a Kill task right after its Subflow, a kill of this
      // execution right after a Subflow or a restart of its child): the kill is signalled once it has
      // started, and the run does not close before.
      const starting = childStarts.get(command.executionId);
      if (!starting) {
        void signal();
        return;
      }
      const key = `kill:${command.executionId}`;
      background.add(key);
      void starting.then(signal, () => undefined).finally(() => background.delete(key));
    },
    splitItems: async (current, command) => {
      if (draining) {
        held.push(command);
        return;
      }
      answerLater(
        `split:${command.taskRunId}`,
        mayContinue,
        lookups.splitItems({ tenantId, executionId: current.id, command }),
        (error) => ({ type: "itemsSplit", taskRunId: command.taskRunId, batches: [], error }),
      );
    },
    mergeSubflowOutputs: async (current, command) => {
      if (draining) {
        held.push(command);
        return;
      }
      answerLater(
        `merge:${command.taskRunId}`,
        mayContinue,
        lookups.mergeSubflowOutputs({ tenantId, executionId: current.id, command }),
        (error) => ({ type: "subflowOutputsMerged", taskRunId: command.taskRunId, error }),
      );
    },
    saveWorkingDirectory: async (current, command) => {
      if (draining) {
        held.push(command);
        return;
      }
      // On a worker of the tenant's queue, as the WorkingDirectory's tasks ran (its directory is there).
      answerLater(
        `save:${command.taskRunId}:${command.attempt}`,
        true,
        lookups.saveWorkingDirectory({ tenantId, executionId: current.id, command }),
        (error) => ({
          type: "workingDirectorySaved",
          taskRunId: command.taskRunId,
          attempt: command.attempt,
          error,
        }),
      );
    },
    executionEnded: async (current) => {
      ended = true;
      // An ended execution hands over to no new run: what was held back starts here after all.
      if (draining) {
        draining = false;
        await dispatchCommands(sink, current, held.splice(0));
      }
    },
    createExecution: async (current, command) => {
      if (draining) {
        held.push(command);
        return;
      }
      // Flow-level retry as a new execution (retry.behavior CREATE_NEW_EXECUTION): a durable timer until
      // its time, then the core's retryExecution (idempotent: one new execution per attempt number).
      const key = `retry:${command.attemptNumber}`;
      background.add(key);
      void (async () => {
        await sleep(Math.max(0, Date.parse(command.at) - Date.now()));
        await lookups.retryExecution({
          tenantId,
          executionId: current.id,
          attemptNumber: command.attemptNumber,
        });
      })().finally(() => background.delete(key));
    },
  };

  // A Subflow's scheduleDate (startAt): CREATED until then, on a durable timer; events sent meanwhile (a
  // kill) are applied, and the start after an end changes nothing (the executor starts only CREATED).
  const startWait = new CancellationScope();
  if (!input.continued && input.startAt) {
    const delay = Date.parse(input.startAt) - Date.now();
    if (delay > 0)
      startWait
        .run(() => sleep(delay))
        .then(
          () => queue.push({ event: input.event, initial: true }),
          () => undefined,
        );
    else queue.push({ event: input.event, initial: true });
  }

  if (input.continued) {
    for (const { timerId, at } of input.continued.timers)
      await sink.startTimer(execution, { type: "startTimer", timerId, at });
    await dispatchCommands(sink, execution, input.continued.commands);
  }

  const idle = () => tasks.size === 0 && background.size === 0;
  for (;;) {
    await condition(
      () =>
        queue.length > 0 ||
        (ended && idle()) ||
        // Signals and updates that came meanwhile are in the queue, or in this task's activation: the
        // server refuses to close a run that has unhandled ones, so none is lost at the hand-over.
        (draining && idle() && allHandlersFinished()),
    );
    const next = queue.shift();
    if (!next && ended) break;
    if (!next) {
      const run = (input.continued?.run ?? 1) + 1;
      const timersLeft = [...timerAt].map(([timerId, at]) => ({ timerId, at }));
      return continueAsNew<typeof cadenzaExecution>({
        tenantId,
        executionId: input.executionId,
        event: input.event,
        continued: { commands: held, timers: timersLeft, run },
      });
    }
    const event = next.event;
    if (event.type === "taskResult" && "logs" in event) {
      // A task attempt's last log lines (runTask's `logTail`): written by this step's persist.
      const { logs, ...rest } = event as TaskAttemptResult;
      if (logs) taskLogs.push(...logs);
      next.event = rest;
    }
    let result: Awaited<ReturnType<typeof step>>;
    try {
      result = await step(flow, execution, next.event, env);
    } catch (error) {
      // An operation that does not apply (resume of a running execution...): refused, nothing changes.
      // Its type and code reach the caller (worker/temporal/runs.ts) through the failure.
      const refusal = ApplicationFailure.create({
        type: (error as Error).name,
        message: (error as Error).message,
        details: [(error as { code?: string }).code],
        nonRetryable: true,
      });
      // A run started to restart an execution that cannot restart has nothing to wait for: it fails with
      // the reason, which a parent restarting its child reports (it waited for ever before).
      if (next.initial && event.type === "restart" && has(PATCHES.restartSubflows)) throw refusal;
      next.done?.reject(refusal);
      if (baseline) index(execution);
      continue;
    }
    // The baseline's runs do the end's bookkeeping in the step's own write: one local activity, not two.
    const endsHere =
      baseline &&
      (ended || result.commands.some((c) => c.type === "executionEnded")) &&
      isTerminal(result.execution.state.current);
    const written = await store.persist({
      tenantId,
      execution: result.execution,
      logs: result.logs,
      ...(taskLogs.length > 0 ? { taskLogs: taskLogs.splice(0) } : {}),
      ...(endsHere ? { ended: true } : {}),
    });
    // Secret values are masked in what was written, and from now on in the workflow too.
    execution = written.masked ?? result.execution;
    index(execution);
    if (mayContinue && !draining && !ended) {
      const info = workflowInfo();
      draining = info.continueAsNewSuggested || info.historyLength >= historyLimit;
    }
    await dispatchCommands(sink, execution, result.commands);
    next.done?.resolve();
    if (ended && isTerminal(execution.state.current) && !endsHere) {
      // Local: the end's bookkeeping (Flow triggers, queued executions) runs in this workflow task.
      await (localWork ? store : lookups).executionEnded({ tenantId, executionId: execution.id });
    }
  }
  for (const scope of timers.values()) scope.cancel();
  startWait.cancel();
  return { state: execution.state.current, outputs: execution.outputs, taskOutputs: outputsOf(execution) };
}
