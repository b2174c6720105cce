import { toOutputString } from "../expr";
import type { Sla } from "../flow/flow-schema";
import { coerceInputValue } from "../flow/input-values";
import type { Task } from "../flow/model";
import { parseDuration } from "../util/duration";
import { sequentialBlock } from "./blocks";
import { changeTaskRunState } from "./change-state";
import { executionVariables } from "./context";
import { renderDynamicProperties } from "./dynamic";
import type { ExecutionEvent } from "./events";
import type { FlowableContext, FlowableDecision, FlowableHandler } from "./flowable";
import { internalFlowables } from "./flowables/for-each-item-tasks";
import type { TaskRun } from "./model";
import { restartExecution } from "./restart";
import { nextRetryAt } from "./retry-delay";
import {
  applyTaskResult,
  attemptLost,
  type RunFinisher,
  resolveTimeout,
  startAttempt,
  timeoutAttempt,
  timeoutLabel,
  timeoutMsOf,
} from "./runnable";
import { isCreated, isFailure, isTerminal, type StateType, transition } from "./states";
import { ExecutionOperationError, type StepContext } from "./step-context";

/** Upper bound on passes of the fixpoint loop in one step: far above any real flow, it only stops bugs. */
const MAX_PASSES = 100_000;

/**
 * Applies one event to an execution and moves it forward as far as it can go without the outside world:
 * starting task runs, resolving flowables, ending blocks, the execution, errors, finally and afterExecution.
 */
export class Engine implements RunFinisher {
  constructor(private readonly ctx: StepContext) {}

  private get execution() {
    return this.ctx.execution;
  }

  /** A flowable task's semantics: the handler its plugin definition carries (undefined for other tasks). */
  private handlerOf(task: Task): FlowableHandler<never> | undefined {
    const internal = internalFlowables.get(task.type);
    if (internal) return internal;
    const plugin = this.ctx.env.registry.get(task.type);
    return plugin?.kind === "flowable" ? plugin.handler : undefined;
  }

  private flowable(run: TaskRun, task: Task): FlowableContext<never> {
    const { ctx } = this;
    const state = this.execution.state.current;
    const internal = this.execution.internal;
    const rendered = run.internal?.rendered as Record<string, unknown> | undefined;
    return {
      step: ctx,
      task: (rendered ? { ...task, ...rendered } : task) as never,
      run,
      canCreate: state === "RUNNING" && !internal?.manualPause && !internal?.exitState,
      children: () => ctx.children(run.id),
      internal: <T>() => (run.internal ??= {}) as T,
      render: (template, extra) => ctx.render(task, run, template, extra),
      truthy: (template) => ctx.truthy(task, run, template),
      setOutputs: (outputs) => {
        run.outputs = outputs;
      },
      startTimer: (kind, atMs) => ctx.startTimer(`${run.id}:${kind}`, atMs),
    };
  }

  // ---------------------------------------------------------------- events

  async apply(event: ExecutionEvent): Promise<void> {
    const { ctx } = this;
    const current = this.execution.state.current;
    switch (event.type) {
      case "start":
        return this.start(event.force === true);
      case "taskResult":
        if (!isTerminal(current)) applyTaskResult(ctx, this, event);
        return;
      case "attemptLost":
        if (!isTerminal(current)) attemptLost(ctx, this, event.taskRunId, event.attempt, event.reason);
        return;
      case "timer":
        if (ctx.consumeTimer(event.timerId)) await this.timer(event.timerId);
        return;
      case "subflowEnded": {
        const run = ctx.run(event.taskRunId);
        if (run?.state.current !== "RUNNING") return;
        const task = ctx.taskOf(run);
        await this.handlerOf(task)?.onSubflowEnded?.(this.flowable(run, task), event);
        return;
      }
      case "itemsSplit": {
        const run = ctx.run(event.taskRunId);
        if (run?.state.current !== "RUNNING") return;
        const task = ctx.taskOf(run);
        await this.handlerOf(task)?.onItemsSplit?.(
          this.flowable(run, task),
          event.batches,
          event.error,
          event.splits,
        );
        return;
      }
      case "subflowOutputsMerged": {
        const run = ctx.run(event.taskRunId);
        if (run?.state.current !== "RUNNING") return;
        const task = ctx.taskOf(run);
        this.handlerOf(task)?.onOutputsMerged?.(this.flowable(run, task), event.uri, event.error);
        return;
      }
      case "workingDirectorySaved": {
        const run = ctx.run(event.taskRunId);
        if (run?.state.current !== "RUNNING") return;
        const task = ctx.taskOf(run);
        this.handlerOf(task)?.onWorkingDirectorySaved?.(this.flowable(run, task), event);
        return;
      }
      case "kill":
        return this.kill();
      case "pause":
        if (current !== "RUNNING")
          throw new ExecutionOperationError(`cannot pause an execution that is ${current}`);
        (this.execution.internal ??= {}).manualPause = true;
        ctx.setExecutionState("PAUSED");
        ctx.log("INFO", "Execution paused");
        return;
      case "resume":
        return this.resume(event.inputs ?? {}, event.by);
      case "review":
        return this.review(event);
      case "restart":
        restartExecution(ctx, (task) => this.handlerOf(task));
        ctx.log("INFO", `Execution restarted (attempt ${this.execution.metadata.attemptNumber})`);
        return;
      case "changeStatus": {
        if (!isTerminal(current))
          throw new ExecutionOperationError(
            `only an ended execution can change status; this one is ${current}`,
          );
        if (!isTerminal(event.state))
          throw new ExecutionOperationError(
            `an execution can only be set to an end state (SUCCESS, WARNING, FAILED, KILLED, CANCELLED...), not ${event.state}`,
            "INVALID_INPUT",
          );
        if (event.state === current) return;
        ctx.setExecutionState(event.state);
        ctx.log("INFO", `Execution status changed from ${current} to ${event.state}`);
        return;
      }
      case "changeTaskRunState": {
        const run = changeTaskRunState(ctx, (task) => this.handlerOf(task), event.taskRunId, event.state);
        ctx.log("INFO", `Task run marked ${event.state}: the execution goes on from ${run.taskId}`, run);
        return;
      }
    }
  }

  private async start(force: boolean): Promise<void> {
    const { ctx, execution } = this;
    const { flow } = ctx;
    if (execution.state.current !== "CREATED" && execution.state.current !== "QUEUED") return;
    const invalidInputs = execution.internal?.invalidInputs;
    if (invalidInputs?.length) {
      ctx.log(
        "WARN",
        `Flow execution failed because its trigger's inputs are invalid: ${invalidInputs.join("; ")}`,
      );
      this.terminate("FAILED");
      return;
    }
    const failedChecks = execution.internal?.failedChecks;
    if (failedChecks?.length) {
      ctx.log(
        "WARN",
        `Flow execution failed because one or more checks do not hold: ${failedChecks.join(", ")}`,
      );
      this.terminate("FAILED");
      return;
    }
    if (execution.kind === "LOOP") {
      // A Loop iteration is part of its parent's run: no concurrency limit or SLA of its own.
      ctx.setExecutionState("RUNNING");
      return;
    }
    if (force) ctx.log("INFO", `Forced to run (it was ${execution.state.current})`);
    else if (flow.concurrency && ctx.env.runningCount) {
      const running = await ctx.env.runningCount(flow, execution);
      if (running >= flow.concurrency.limit) {
        const behavior = flow.concurrency.behavior;
        if (behavior === "QUEUE") {
          if (execution.state.current !== "QUEUED") {
            ctx.setExecutionState("QUEUED");
            ctx.log(
              "INFO",
              `Queued: ${running} execution(s) of this flow already running (limit ${flow.concurrency.limit})`,
            );
          }
          return;
        }
        ctx.log("WARN", `Concurrency limit of ${flow.concurrency.limit} reached`);
        this.terminate(behavior === "CANCEL" ? "CANCELLED" : "FAILED");
        return;
      }
    }
    ctx.setExecutionState("RUNNING");
    const start = Date.parse(execution.state.startDate);
    for (const sla of flow.sla) {
      if (sla.type === "MAX_DURATION" && sla.duration) {
        ctx.startTimer(`execution:sla:${sla.id}`, start + (parseDuration(sla.duration) ?? 0));
      }
    }
  }

  private async timer(id: string): Promise<void> {
    const { ctx } = this;
    if (id.startsWith("execution:sla:")) return this.slaViolated(id.slice("execution:sla:".length));
    const separator = id.indexOf(":");
    const run = ctx.run(id.slice(0, separator));
    if (!run || isTerminal(run.state.current)) return;
    const kind = id.slice(separator + 1);
    const task = ctx.taskOf(run);
    const handler = this.handlerOf(task);
    if (kind === "retry") {
      if (run.state.current === "RETRYING" && !isTerminal(this.execution.state.current))
        startAttempt(ctx, run, task);
    } else if (kind.startsWith("timeout:")) {
      timeoutAttempt(ctx, this, run, Number(kind.slice("timeout:".length)));
    } else if (kind === "timeout" && handler) {
      if (handler.onTimeout?.(this.flowable(run, task))) return;
      this.killRuns(this.descendants(run));
      this.finishRun(run, "FAILED", `Task timed out after ${timeoutLabel(run, task)}`);
    } else {
      await handler?.onTimer?.(this.flowable(run, task), kind);
    }
  }

  private async slaViolated(slaId: string): Promise<void> {
    const { ctx, execution } = this;
    const sla = ctx.flow.sla.find((s) => s.id === slaId);
    if (!sla || isTerminal(execution.state.current)) return;
    ctx.log("ERROR", `SLA '${sla.id}' violated: the execution ran longer than ${sla.duration}`);
    this.labelSlaViolation(sla);
    if (sla.behavior === "NONE") return;
    this.killRuns(execution.taskRunList);
    this.terminate(sla.behavior === "CANCEL" ? "CANCELLED" : "FAILED");
  }

  /** A violated SLA's `labels` go on the execution, whatever its behavior (NONE only labels). */
  private labelSlaViolation(sla: Sla): void {
    const { execution } = this;
    if (!sla.labels) return;
    const labels = Array.isArray(sla.labels)
      ? sla.labels
      : Object.entries(sla.labels).map(([key, value]) => ({ key, value: String(value) }));
    const merged = new Map(execution.labels.map((l) => [l.key, l.value]));
    for (const label of labels) merged.set(label.key, label.value);
    execution.labels = [...merged].map(([key, value]) => ({ key, value }));
  }

  private kill(): void {
    const { ctx, execution } = this;
    const current = execution.state.current;
    if (isTerminal(current))
      throw new ExecutionOperationError(`cannot kill an execution that is already ${current}`);
    ctx.setExecutionState("KILLING");
    // Kestra's kill cascades by default (isOnKillCascade): its subflows started with `wait: false` too. An
    // old Temporal history (no `cadenza-kill-unwaited-subflows` marker) killed only the ones waited for;
    // the patch is asked only when there is such a child, so other kills record no marker.
    if (this.unwaitedChildren().length > 0 && ctx.env.killUnwaitedSubflows) this.killUnwaitedSubflows();
    this.killRuns(execution.taskRunList);
    ctx.log("WARN", "Execution killed");
    this.terminate("KILLED");
  }

  private unwaitedChildren(): string[] {
    const ids: string[] = [];
    for (const run of this.execution.taskRunList) {
      const task = this.ctx.taskOf(run);
      const handler = this.handlerOf(task);
      if (handler?.unwaitedChildren) ids.push(...handler.unwaitedChildren(this.flowable(run, task)));
    }
    return ids;
  }

  /** Tells the subflows started without waiting to stop; the drivers leave one that has ended as it is. */
  killUnwaitedSubflows(): void {
    for (const executionId of this.unwaitedChildren())
      this.ctx.command({ type: "killExecution", executionId });
  }

  /**
   * Ends every non-terminal run among `runs` in `state` (KILLED, or what a Dag's `onChildFailure` names),
   * telling workers and subflows to stop.
   */
  private killRuns(runs: readonly TaskRun[], state: StateType = "KILLED"): void {
    const { ctx } = this;
    for (const run of [...runs].reverse()) {
      if (isTerminal(run.state.current)) continue;
      const task = ctx.taskOf(run);
      const handler = this.handlerOf(task);
      if (handler) {
        handler.onKill?.(this.flowable(run, task));
      } else {
        const attempt = run.attempts[run.attempts.length - 1];
        if (attempt && !isTerminal(attempt.state.current)) {
          transition(attempt.state, state, ctx.now());
          if (run.state.current === "RUNNING") {
            ctx.command({ type: "cancelTask", taskRunId: run.id, attempt: run.attempts.length });
          }
        }
      }
      ctx.setState(run, state);
    }
  }

  private descendants(run: TaskRun): TaskRun[] {
    const out: TaskRun[] = [];
    const visit = (id: string) => {
      for (const child of this.ctx.children(id)) {
        out.push(child);
        visit(child.id);
      }
    };
    visit(run.id);
    return out;
  }

  private async resume(inputs: Record<string, unknown>, by?: string): Promise<void> {
    const { ctx, execution } = this;
    if (execution.state.current !== "PAUSED") {
      throw new ExecutionOperationError(`cannot resume an execution that is ${execution.state.current}`);
    }
    for (const run of execution.taskRunList) {
      if (run.state.current !== "PAUSED") continue;
      const task = ctx.taskOf(run);
      const handler = this.handlerOf(task);
      if (handler?.onResume) await handler.onResume(this.flowable(run, task), inputs, by);
      else ctx.setState(run, "RUNNING");
    }
    if (execution.internal) delete execution.internal.manualPause;
    ctx.setExecutionState("RUNNING");
    ctx.log("INFO", "Execution resumed");
  }

  /**
   * A reviewer's decision on a paused Approval (Kestra's ExecutionService.decide): the named run, or the only
   * one waiting. The execution goes on once nothing else is paused, as a resume does.
   */
  private async review(event: Extract<ExecutionEvent, { type: "review" }>): Promise<void> {
    const { ctx, execution } = this;
    const waiting = execution.taskRunList.filter(
      (run) => run.state.current === "PAUSED" && this.handlerOf(ctx.taskOf(run))?.onReview,
    );
    if (execution.state.current !== "PAUSED" || waiting.length === 0)
      throw new ExecutionOperationError(
        `execution ${execution.id} is not waiting on an Approval (it is ${execution.state.current})`,
      );
    let run: TaskRun | undefined;
    if (event.taskRunId) {
      run = waiting.find((r) => r.id === event.taskRunId);
      if (!run)
        throw new ExecutionOperationError(
          `task run ${event.taskRunId} is not an Approval waiting for a review (waiting: ${waiting.map((r) => `${r.taskId} ${r.id}`).join(", ")})`,
          ctx.run(event.taskRunId) ? "INVALID_STATE" : "NOT_FOUND",
        );
    } else if (waiting.length > 1) {
      throw new ExecutionOperationError(
        `${waiting.length} Approvals wait for a review: say which with taskRunId (${waiting.map((r) => `${r.taskId} ${r.id}`).join(", ")})`,
        "INVALID_INPUT",
      );
    } else run = waiting[0] as TaskRun;
    const task = ctx.taskOf(run);
    const { taskRunId: _, type: __, ...review } = event;
    await this.handlerOf(task)?.onReview?.(this.flowable(run, task), review);
  }

  // ---------------------------------------------------------------- task runs

  finishRun(run: TaskRun, state: StateType, error?: string): void {
    const { ctx } = this;
    const task = ctx.taskOf(run);
    let final = state;
    if (final === "FAILED" && task.allowFailure) final = task.allowWarning ? "SUCCESS" : "WARNING";
    else if (final === "WARNING" && task.allowWarning) final = "SUCCESS";
    if (error) ctx.log(task.allowFailure && state === "FAILED" ? "WARN" : "ERROR", error, run);
    ctx.setState(run, final);
  }

  private applyDecision(run: TaskRun | null, decision: FlowableDecision | undefined): boolean {
    if (!decision) return false;
    let changed = false;
    if (decision.kill?.length) {
      // failFast / onChildFailure: the siblings still running end now, their own children first.
      const state = decision.killState ?? "KILLED";
      for (const victim of decision.kill) this.killRuns([victim, ...this.descendants(victim)], state);
      changed = true;
    }
    for (const child of decision.create ?? []) {
      const created = this.ctx.createRun(child.task, run?.id ?? null, {
        value: child.value,
        iteration: child.iteration,
      });
      if (child.whilePaused) created.internal = { whilePaused: true };
      changed = true;
    }
    if (run && decision.state && !isTerminal(run.state.current)) {
      this.finishRun(run, decision.state, decision.error);
      changed = true;
    }
    return changed;
  }

  private async startRun(run: TaskRun): Promise<void> {
    const { ctx } = this;
    const task = ctx.taskOf(run);
    // Kestra 2.0 names it `when` on tasks; 1.x's `runIf` is still read.
    const runIf = task.runIf ?? task.when;
    if (run.state.current === "CREATED" && runIf !== undefined) {
      let go: boolean;
      try {
        go = await ctx.truthy(task, run, runIf);
      } catch (error) {
        this.finishRun(run, "FAILED", `runIf: ${(error as Error).message}`);
        return;
      }
      if (!go) {
        ctx.setState(run, "SKIPPED");
        ctx.log("INFO", `Skipped: runIf '${runIf}' is false`, run);
        return;
      }
    }
    try {
      await resolveTimeout(run, task, (template) => ctx.render(task, run, template));
    } catch (error) {
      this.finishRun(run, "FAILED", (error as Error).message);
      return;
    }
    const internal = internalFlowables.get(task.type);
    const plugin = internal ? undefined : ctx.pluginOf(task);
    if (plugin && plugin.kind !== "flowable") {
      startAttempt(ctx, run, task);
      return;
    }
    const handler = internal ?? (plugin as Extract<typeof plugin, { kind: "flowable" }>).handler;
    ctx.setState(run, "RUNNING");
    const timeoutMs = timeoutMsOf(run, task);
    if (timeoutMs !== undefined) ctx.startTimer(`${run.id}:timeout`, ctx.nowMs() + timeoutMs);
    try {
      // An internal task (ForEachItem's) reads its parent's rendered properties instead.
      const rendered = plugin
        ? await renderDynamicProperties(plugin.schema, task, (template) => ctx.render(task, run, template))
        : {};
      if (Object.keys(rendered).length > 0) (run.internal ??= {}).rendered = rendered;
      this.applyDecision(run, await handler.start?.(this.flowable(run, task)));
    } catch (error) {
      if (error instanceof ExecutionOperationError) throw error;
      this.finishRun(run, "FAILED", (error as Error).message);
    }
  }

  private async resolveRun(run: TaskRun): Promise<boolean> {
    const task = this.ctx.taskOf(run);
    const handler = this.handlerOf(task);
    if (!handler) return false;
    try {
      return this.applyDecision(run, await handler.resolve(this.flowable(run, task)));
    } catch (error) {
      if (error instanceof ExecutionOperationError) throw error;
      this.killRuns(this.descendants(run));
      this.finishRun(run, "FAILED", (error as Error).message);
      return true;
    }
  }

  // ---------------------------------------------------------------- the loop

  async advance(): Promise<void> {
    const { ctx, execution } = this;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      this.syncPausedState();
      const state = execution.state.current;
      if (isTerminal(state) || isCreated(state) || state === "QUEUED") break;
      const internal = execution.internal ?? {};
      const canStart = state === "RUNNING" && !internal.manualPause && !internal.exitState;
      let changed = false;

      for (const run of [...execution.taskRunList]) {
        if (!isCreated(run.state.current)) continue;
        if (internal.exitState) {
          ctx.setState(run, "SKIPPED");
          changed = true;
        } else if (canStart || this.startsWhilePaused(run)) {
          await this.startRun(run);
          changed = true;
        }
      }

      for (const run of [...execution.taskRunList].reverse()) {
        if (run.state.current === "RUNNING" && this.handlerOf(ctx.taskOf(run))) {
          if (await this.resolveRun(run)) changed = true;
        }
      }

      // A flowable may have exited while resolving (an Approval's SUCCEED/CANCEL/KILL), creating `internal`.
      const ended = execution.internal ?? internal;
      if (ended.exitState) {
        if (execution.taskRunList.every((r) => isTerminal(r.state.current))) {
          ctx.log("INFO", `Exit: execution ends ${ended.exitState}`);
          // A LOOP execution has no afterExecution of its own (the parent's runs once).
          const afterExecution =
            ended.exitAfterExecution &&
            !execution.loopRun &&
            ctx.flow.afterExecution.some((t) => !t.disabled);
          delete ended.exitAfterExecution;
          if (!afterExecution) {
            this.terminate(ended.exitState);
            break;
          }
          // Kestra runs afterExecution on an execution that ended (ExecutionService.isTerminated).
          ended.finalState = ended.exitState;
          delete ended.exitState;
          changed = true;
        }
      } else if (!isTerminal(state)) {
        changed = (await this.resolveRoot(canStart)) || changed;
      }
      if (!changed) break;
    }
    this.syncPausedState();
  }

  /** A Pause's `onPause` task runs while the Pause holds the execution (Kestra 2.0's ExecutorService). */
  private startsWhilePaused(run: TaskRun): boolean {
    const { execution } = this;
    if (!run.internal?.whilePaused || execution.state.current !== "PAUSED") return false;
    if (execution.internal?.manualPause || execution.internal?.exitState) return false;
    const parent = run.parentTaskRunId ? this.ctx.run(run.parentTaskRunId) : undefined;
    return parent?.state.current === "PAUSED";
  }

  private rootBlock(canStart: boolean) {
    return {
      runs: this.ctx.children(null),
      canCreate: canStart,
      killing: this.execution.state.current === "KILLING",
    };
  }

  private async resolveRoot(canStart: boolean): Promise<boolean> {
    const { ctx, execution } = this;
    const { flow } = ctx;
    const finalState = execution.internal?.finalState;
    // A paused execution does not end: it goes on (errors, finally, the end) once resumed.
    if (execution.internal?.manualPause) return false;
    if (execution.loopRun) return this.resolveIteration(canStart);
    if (finalState === undefined) {
      const decision = sequentialBlock(this.rootBlock(canStart), flow.tasks, flow.errors, flow.finally);
      const changed = this.applyDecision(null, decision);
      if (decision.state) {
        await this.finishMain(decision.state);
        return true;
      }
      return changed;
    }
    const decision = sequentialBlock(this.rootBlock(canStart), flow.afterExecution);
    const changed = this.applyDecision(null, decision);
    if (decision.state) {
      this.terminate(finalState);
      return true;
    }
    return changed;
  }

  /**
   * A LOOP execution runs its Loop's `tasks`, then the Loop's `errors` when one failed, then its `finally`
   * (Kestra 2.0; a loop started before that rule runs it once, in its own execution), and ends: no flow
   * outputs, finally, afterExecution or retry (those are the parent's).
   */
  private resolveIteration(canStart: boolean): boolean {
    const { ctx, execution } = this;
    const loopRun = execution.loopRun as NonNullable<typeof execution.loopRun>;
    const loop = ctx.tasks.get(loopRun.taskId)?.task as
      | (Task & { tasks?: Task[]; errors?: Task[]; finally?: Task[] })
      | undefined;
    if (!loop?.tasks) {
      ctx.log(
        "ERROR",
        `Loop task '${loopRun.taskId}' is not in revision ${execution.flowRevision} of the flow`,
      );
      this.terminate("FAILED");
      return true;
    }
    const finallyTasks = execution.internal?.loopFinally ? (loop.finally ?? []) : [];
    const decision = sequentialBlock(this.rootBlock(canStart), loop.tasks, loop.errors ?? [], finallyTasks);
    const changed = this.applyDecision(null, decision);
    if (decision.state) {
      this.terminate(decision.state);
      return true;
    }
    return changed;
  }

  /** Tasks, errors and finally are done: outputs, assertions, flow retry, then afterExecution or the end. */
  private async finishMain(mainState: StateType): Promise<void> {
    const { ctx, execution } = this;
    const { flow } = ctx;
    let state = mainState;
    if (!isFailure(state) && flow.outputs.length > 0) {
      try {
        execution.outputs = await this.renderFlowOutputs();
      } catch (error) {
        state = "FAILED";
        ctx.log("ERROR", `Failed to render flow outputs: ${(error as Error).message}`);
      }
    }
    for (const sla of flow.sla) {
      if (sla.type !== "EXECUTION_ASSERTION" || !sla.assert) continue;
      const variables = executionVariables(flow, execution, ctx.env, ctx.runIndex());
      const holds = await ctx.renderWith(variables, sla.assert);
      if (holds !== true && holds !== "true") {
        ctx.log("ERROR", `SLA '${sla.id}' violated: ${sla.assert} is false`);
        this.labelSlaViolation(sla);
        if (sla.behavior !== "NONE") state = sla.behavior === "CANCEL" ? "CANCELLED" : "FAILED";
      }
    }
    if (state === "FAILED" && flow.retry?.behavior === "CREATE_NEW_EXECUTION") {
      const attemptNumber = execution.metadata.attemptNumber;
      const at = nextRetryAt(
        flow.retry,
        attemptNumber,
        Date.parse(execution.metadata.originalCreatedDate),
        ctx.nowMs(),
        () => ctx.env.random(),
      );
      if (at !== undefined) {
        ctx.command({
          type: "createExecution",
          reason: "retry",
          at: new Date(at).toISOString(),
          attemptNumber: attemptNumber + 1,
        });
        ctx.log(
          "WARN",
          `Execution failed; a new execution (attempt ${attemptNumber + 1}) starts at ${new Date(at).toISOString()}`,
        );
        state = "RETRIED";
      }
    }
    (execution.internal ??= {}).finalState = state;
    if (flow.afterExecution.every((t) => t.disabled)) this.terminate(state);
  }

  private async renderFlowOutputs(): Promise<Record<string, unknown>> {
    const { ctx, execution } = this;
    const variables = executionVariables(ctx.flow, execution, ctx.env, ctx.runIndex());
    const outputs: Record<string, unknown> = {};
    for (const output of ctx.flow.outputs) {
      let value = await ctx.renderWith(variables, output.value);
      if (output.type === "STRING" && typeof value !== "string") value = toOutputString(value);
      else if (output.type !== "STRING" && output.type !== "FILE") {
        const coerced = coerceInputValue({ ...output, required: true } as never, value);
        if (!coerced.ok) throw new Error(`output '${output.id}': ${coerced.message}`);
        value = coerced.value;
      }
      outputs[output.id] = value;
    }
    return outputs;
  }

  private terminate(state: StateType): void {
    const { ctx, execution } = this;
    for (const run of execution.taskRunList) {
      if (!isTerminal(run.state.current)) ctx.setState(run, state === "KILLED" ? "KILLED" : "SKIPPED");
    }
    ctx.setExecutionState(state);
    ctx.cancelTimers();
    if (execution.internal) delete execution.internal.finalState;
    ctx.command({ type: "executionEnded", state });
  }

  /** An execution with a paused task run is PAUSED; when none is left it runs again. */
  private syncPausedState(): void {
    const { ctx, execution } = this;
    const current = execution.state.current;
    const paused = execution.taskRunList.some((r) => r.state.current === "PAUSED");
    if (current === "RUNNING" && paused) ctx.setExecutionState("PAUSED");
    else if (current === "PAUSED" && !paused && !execution.internal?.manualPause)
      ctx.setExecutionState("RUNNING");
  }
}
