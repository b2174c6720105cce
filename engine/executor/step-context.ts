import { isTruthy, renderTreeAsync, renderTypedAsync } from "../expr";
import type { Flow, Task, TaskLocation } from "../flow/model";
import { indexTasks } from "../flow/walk";
import type { LogLevel, Plugin } from "../plugin/types";
import { taskRunVariables } from "./context";
import { expressionOptions, type StepEnv } from "./env";
import type { ExecutorCommand, ExecutorLog } from "./events";
import { iterationFunctions } from "./iteration-functions";
import type { Execution, TaskRun } from "./model";
import { isTerminal, newState, type StateType, transition } from "./states";

const taskIndexCache = new WeakMap<Flow, Map<string, TaskLocation>>();

/** Thrown by `step` when an event cannot apply (resume of a running execution, unknown task run...). */
export class ExecutionOperationError extends Error {
  constructor(
    message: string,
    readonly code: "INVALID_STATE" | "INVALID_INPUT" | "NOT_FOUND" = "INVALID_STATE",
  ) {
    super(message);
    this.name = "ExecutionOperationError";
  }
}

/**
 * The mutable working copy of one execution during one `step`, with the indexes and helpers that flowable
 * handlers use. `step` clones the execution first, so callers never see a half-applied step.
 */
export class StepContext {
  readonly commands: ExecutorCommand[] = [];
  readonly logs: ExecutorLog[] = [];
  readonly tasks: Map<string, TaskLocation>;
  private readonly byId = new Map<string, TaskRun>();
  private readonly byParent = new Map<string | null, TaskRun[]>();

  constructor(
    readonly flow: Flow,
    readonly execution: Execution,
    readonly env: StepEnv,
  ) {
    let index = taskIndexCache.get(flow);
    if (!index) {
      index = indexTasks(flow, env.registry);
      taskIndexCache.set(flow, index);
    }
    this.tasks = index;
    for (const run of execution.taskRunList) this.index(run);
  }

  private index(run: TaskRun): void {
    this.byId.set(run.id, run);
    const key = run.parentTaskRunId ?? null;
    const list = this.byParent.get(key);
    if (list) list.push(run);
    else this.byParent.set(key, [run]);
  }

  /** Rebuilds the indexes after task runs were removed (restart drops error branches). */
  reindex(): void {
    this.byId.clear();
    this.byParent.clear();
    for (const run of this.execution.taskRunList) this.index(run);
  }

  now(): string {
    return this.env.now().toISOString();
  }

  nowMs(): number {
    return this.env.now().getTime();
  }

  run(id: string): TaskRun | undefined {
    return this.byId.get(id);
  }

  runIndex(): ReadonlyMap<string, TaskRun> {
    return this.byId;
  }

  children(parentId: string | null): TaskRun[] {
    return this.byParent.get(parentId) ?? [];
  }

  taskOf(run: TaskRun): Task {
    const location = this.tasks.get(run.taskId) ?? this.internalLocation(run);
    if (!location)
      throw new ExecutionOperationError(
        `task '${run.taskId}' is not in flow ${this.flow.namespace}.${this.flow.id}`,
        "NOT_FOUND",
      );
    return location.task;
  }

  /** A child a flowable builds itself (FlowableHandler.internalTasks), found through its parent's task. */
  private internalLocation(run: TaskRun): TaskLocation | undefined {
    const parentRun = run.parentTaskRunId ? this.byId.get(run.parentTaskRunId) : undefined;
    if (!parentRun) return undefined;
    const parent = this.taskOf(parentRun);
    const plugin = this.env.registry.get(parent.type);
    if (plugin?.kind !== "flowable" || !plugin.handler.internalTasks) return undefined;
    const task = plugin.handler.internalTasks(parent).find((t) => t.id === run.taskId);
    return task ? { task, parent, slot: "tasks", kind: "flowable" } : undefined;
  }

  pluginOf(task: Task): Plugin {
    const plugin = this.env.registry.get(task.type);
    if (!plugin) throw new ExecutionOperationError(`unknown task type '${task.type}'`, "NOT_FOUND");
    return plugin;
  }

  createRun(
    task: Task,
    parentId: string | null,
    options: { value?: string | null; iteration?: number | null } = {},
  ): TaskRun {
    const run: TaskRun = {
      id: this.env.newId(),
      executionId: this.execution.id,
      namespace: this.execution.namespace,
      flowId: this.execution.flowId,
      taskId: task.id,
      parentTaskRunId: parentId,
      value: options.value ?? null,
      iteration: options.iteration ?? null,
      state: newState("CREATED", this.now()),
      attempts: [],
      outputs: null,
    };
    this.execution.taskRunList.push(run);
    this.index(run);
    return run;
  }

  /**
   * Ends the execution in `state` without starting anything new (Kestra's Exit, a Pause whose behavior is
   * CANCEL): `run` and each parent still running end in that state, so ExitTest sees `if` WARNING, not
   * SUCCESS, after an Exit with state WARNING (Kestra's Exit.update). The runs still going finish first.
   */
  exit(run: TaskRun, state: StateType, options: { afterExecution?: boolean } = {}): void {
    const internal = (this.execution.internal ??= {});
    internal.exitState = state;
    if (options.afterExecution) internal.exitAfterExecution = true;
    for (
      let r: TaskRun | undefined = run;
      r;
      r = r.parentTaskRunId ? this.run(r.parentTaskRunId) : undefined
    ) {
      if (r === run || !isTerminal(r.state.current)) this.setState(r, state);
    }
  }

  setState(run: TaskRun, state: StateType): void {
    transition(run.state, state, this.now());
    if (isTerminal(state)) this.cancelTimers(`${run.id}:`);
  }

  setExecutionState(state: StateType): void {
    transition(this.execution.state, state, this.now());
  }

  log(level: LogLevel, message: string, run?: TaskRun): void {
    this.logs.push({
      level,
      message,
      timestamp: this.now(),
      ...(run ? { taskRunId: run.id, taskId: run.taskId, attempt: run.attempts.length || undefined } : {}),
    });
  }

  command(command: ExecutorCommand): void {
    this.commands.push(command);
  }

  startTimer(id: string, atMs: number): void {
    const internal = (this.execution.internal ??= {});
    const timers = (internal.timers ??= []);
    const at = new Date(atMs).toISOString();
    const existing = timers.find((t) => t.id === id);
    if (existing) existing.at = at;
    else timers.push({ id, at });
    this.command({ type: "startTimer", timerId: id, at });
  }

  /** Forgets a timer that fired. Returns false when it was not pending (already cancelled: ignore it). */
  consumeTimer(id: string): boolean {
    const timers = this.execution.internal?.timers ?? [];
    const index = timers.findIndex((t) => t.id === id);
    if (index < 0) return false;
    timers.splice(index, 1);
    return true;
  }

  /** Cancels pending timers whose id starts with `prefix` (all when empty). */
  cancelTimers(prefix = ""): void {
    const internal = this.execution.internal;
    if (!internal?.timers?.length) return;
    const keep = [];
    for (const timer of internal.timers) {
      if (timer.id.startsWith(prefix)) this.command({ type: "cancelTimer", timerId: timer.id });
      else keep.push(timer);
    }
    internal.timers = keep;
  }

  variables(task: Task, run: TaskRun): Record<string, unknown> {
    return taskRunVariables(this.flow, this.execution, task, run, this.env, this.byId);
  }

  private renderOptions() {
    return expressionOptions(this.env);
  }

  /** The options of a render in one task run's context: with the functions that read around that run. */
  private runRenderOptions(run: TaskRun) {
    const options = this.renderOptions();
    const own = iterationFunctions(
      this.execution.taskRunList,
      run,
      this.byId,
      () => this.env.iterationOutputFunctions === true,
    );
    return { ...options, functions: { ...own, ...options.functions } };
  }

  /** Renders a template in a task run's context, typed when it is a single expression. */
  async render(
    task: Task,
    run: TaskRun,
    template: unknown,
    extra?: Record<string, unknown>,
  ): Promise<unknown> {
    if (typeof template !== "string") return this.renderTree(task, run, template, extra);
    const variables = extra ? { ...this.variables(task, run), ...extra } : this.variables(task, run);
    return renderTypedAsync(template, variables, this.runRenderOptions(run));
  }

  async renderTree(
    task: Task,
    run: TaskRun,
    value: unknown,
    extra?: Record<string, unknown>,
  ): Promise<unknown> {
    const variables = extra ? { ...this.variables(task, run), ...extra } : this.variables(task, run);
    return renderTreeAsync(value, variables, this.runRenderOptions(run));
  }

  async renderWith(variables: Record<string, unknown>, value: unknown): Promise<unknown> {
    return renderTreeAsync(value, variables, this.renderOptions());
  }

  async truthy(task: Task, run: TaskRun, template: unknown): Promise<boolean> {
    return isTruthy(await this.render(task, run, template));
  }
}
