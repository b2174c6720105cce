import {
  type ChangeableState,
  createExecution,
  type Execution,
  type ExecutionEvent,
  ExecutionOperationError,
  type ExecutionRequest,
  type ExecutorLog,
  isTerminal,
  replayExecution,
  type StepEnv,
  step,
  withReplayedLabel,
} from "@/engine/executor";
import type { ExprFunction } from "@/engine/expr";
import type { Flow } from "@/engine/flow";
import type {
  FileStorage,
  HttpPolicy,
  KvStore,
  PluginRegistry,
  ProcessRunner,
  TaskServices,
} from "@/engine/plugin";
import { MemoryPreconditionStore } from "@/engine/triggers";
import {
  type CommandSink,
  type CreateOptions,
  type DriverPorts,
  dispatchCommand,
  executionEnded,
  killExecution,
  mergeSubflowOutputs,
  type ParentLink,
  restartSubflow,
  retryExecution,
  splitItems,
  startSubflow,
} from "../core";
import { expressionFunctions } from "../expression-functions";
import { newId } from "../ids";
import { MemoryKvStore } from "../kv/memory";
import type { LogEntry } from "../logs";
import { defaultNamespaceAccess, type NamespaceAccess } from "../namespace-access";
import { LocalProcessRunner } from "../runners";
import { MemoryStorage } from "../storage/memory";
import type { SubflowCall } from "../subflow-function";
import { runTaskAttempt } from "../task-runner";
import { saveWorkingDirectory } from "../working-directory-save";
import { type Clock, RealClock, VirtualClock } from "./clock";
import {
  type MemoryServiceDeps,
  memoryExecutionService,
  memoryLogReader,
  memoryPurgeService,
  memoryTriggerService,
} from "./task-services";

export interface MemoryEngineOptions {
  registry: PluginRegistry;
  /** Loop iterations as child executions of kind LOOP (Kestra 2.0, the default); false: inline task runs. */
  loopExecutions?: boolean;
  /** Kestra 2.0's iteration rules (the default: see StepEnv.loopIterationRules); false: the earlier ones. */
  loopIterationRules?: boolean;
  /** LoopUntil's `iterationCount` is the running iteration (Kestra, the default); false: the ended ones. */
  loopUntilCountsCurrent?: boolean;
  /** parentOutput(), iterationOutput(s)(), outputFromIteration() in flowables (default), or not (before them). */
  iterationOutputFunctions?: boolean;
  /** ForEachItem's `iterations` counts as Kestra's (the default: see StepEnv.forEachItemKestraCounts). */
  forEachItemKestraCounts?: boolean;
  /** ForEachItem runs `<id>_split`, `<id>_items`, `<id>_merge` (the default: see StepEnv.forEachItemTasks). */
  forEachItemTasks?: boolean;
  /** A Pause ends as Kestra 2.0's (the default: see StepEnv.pauseKestraOutcomes); false: as before. */
  pauseKestraOutcomes?: boolean;
  /** A WorkingDirectory's own outputFiles and cache are kept (the default: see StepEnv.workingDirectoryFiles). */
  workingDirectoryFiles?: boolean;
  /** A Subflow keeps an attempt per child and retries (the default: see StepEnv.subflowAttempts). */
  subflowAttempts?: boolean;
  /** The kill operation kills subflows started without waiting too (the default: StepEnv.killUnwaitedSubflows). */
  killUnwaitedSubflows?: boolean;
  /** Flows that can be started as subflows or by Flow triggers. */
  flows?: Flow[];
  clock?: Clock;
  storage?: FileStorage;
  kv?: KvStore;
  /** Secret lookup for secret(). */
  secret?(namespace: string, name: string): Promise<string | undefined>;
  /** Extra expression functions. */
  functions?: Record<string, ExprFunction>;
  newId?: () => string;
  /** Randomness for the executor and expressions (default Math.random; tests pass a seeded one). */
  random?: () => number;
  /** Called for every log line, as it happens. */
  onLog?(entry: LogEntry): void;
  /** Runs script tasks; default: local processes under os.tmpdir()/cadenza-work. */
  processRunner?: ProcessRunner;
  /** Network rules of HTTP tasks; default: non-public addresses refused (tests of local servers opt in). */
  httpPolicy?: HttpPolicy;
  /** The web UI's URL, for links back to executions in notifications; default: none. */
  publicUrl?: string;
  /** Namespace boundaries; default: a namespace is reached by itself and its descendants. */
  namespaceAccess?: NamespaceAccess;
}

const ACTIVE = new Set(["RUNNING", "PAUSED", "RETRYING", "KILLING", "RESTARTED"]);
const flowKey = (namespace: string, id: string) => `${namespace}/${id}`;
const revisionKey = (namespace: string, id: string, revision: number) => `${namespace}/${id}@${revision}`;

/**
 * The in-process driver of the executor: every execution lives in memory, runnable tasks run as promises,
 * timers on an injectable clock. It is what `cadenza flow run --engine memory` and the executor's tests use.
 * Events of one execution are applied one at a time, in order; executions run concurrently.
 */
export class MemoryEngine {
  readonly executions = new Map<string, Execution>();
  readonly logs: LogEntry[] = [];
  readonly clock: Clock;
  readonly storage: FileStorage;
  readonly kv: KvStore;
  /** The current flow by `namespace/id`, and every revision seen by `namespace/id@revision`. */
  private readonly flows = new Map<string, Flow>();
  private readonly revisions = new Map<string, Flow>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly flowLocks = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, () => void>();
  private readonly tasks = new Map<string, AbortController>();
  private readonly waiters = new Map<string, ((execution: Execution) => void)[]>();
  /** Parent task runs waiting for child executions, kept for good (a child restarted for its parent reports again). */
  private readonly parents = new Map<string, ParentLink>();
  private readonly dedupeKeys = new Set<string>();
  private readonly preconditions = new MemoryPreconditionStore();
  private readonly env: StepEnv;
  private readonly functions: Record<string, ExprFunction>;
  /** Events being applied and driver work (subflows, splits, ends): time never jumps while any is pending. */
  private inflight = 0;
  /** Task attempts running on the "worker". A virtual clock may jump while one waits (e.g. for its timeout). */
  private runningTasks = 0;
  private idleWaiters: (() => void)[] = [];
  private failures: unknown[] = [];
  /** What runnable tasks get as `services`. */
  private readonly services: TaskServices;
  private readonly access: NamespaceAccess;
  /** What the shared driver core (worker/core) works with. */
  private readonly ports: DriverPorts;
  private readonly sink: CommandSink;

  constructor(private readonly options: MemoryEngineOptions) {
    this.clock = options.clock ?? new RealClock();
    this.storage = options.storage ?? new MemoryStorage();
    this.kv = options.kv ?? new MemoryKvStore(() => this.clock.now().getTime());
    for (const flow of options.flows ?? []) this.addFlow(flow);
    this.access = options.namespaceAccess ?? defaultNamespaceAccess;
    this.functions = {
      ...expressionFunctions({
        access: this.access,
        kv: this.kv,
        storage: this.storage,
        logsOf: (id) => this.logs.filter((l) => l.executionId === id),
        secret: options.secret,
        runSubflow: (call) => this.runSubflow(call),
      }),
      ...options.functions,
    };
    this.env = {
      now: () => this.clock.now(),
      random: options.random ?? Math.random,
      newId: options.newId ?? newId,
      registry: options.registry,
      functions: this.functions,
      runningCount: async (flow, execution) => this.runningCount(flow, execution),
      loopExecutions: options.loopExecutions ?? true,
      loopIterationRules: options.loopIterationRules ?? true,
      loopUntilCountsCurrent: options.loopUntilCountsCurrent ?? true,
      forEachItemKestraCounts: options.forEachItemKestraCounts ?? true,
      forEachItemTasks: options.forEachItemTasks ?? true,
      pauseKestraOutcomes: options.pauseKestraOutcomes ?? true,
      workingDirectoryFiles: options.workingDirectoryFiles ?? true,
      iterationOutputFunctions: options.iterationOutputFunctions ?? true,
      subflowAttempts: options.subflowAttempts ?? true,
      killUnwaitedSubflows: options.killUnwaitedSubflows ?? true,
    };
    this.services = this.taskServices();
    this.ports = this.driverPorts();
    this.sink = this.commandSink();
  }

  private taskServices(): TaskServices {
    const deps: MemoryServiceDeps = {
      executions: this.executions,
      logs: this.logs,
      flows: () => this.flows.values(),
      flow: (namespace, id) => this.flows.get(flowKey(namespace, id)),
      replaceFlow: (flow) => this.addFlow(flow),
      resume: (id, inputs) => this.resume(id, inputs),
      deleteLogs: (drop) => {
        const before = this.logs.length;
        const kept = this.logs.filter((entry) => !drop(entry));
        this.logs.splice(0, this.logs.length, ...kept);
        return before - kept.length;
      },
      deleteExecution: (id) => this.executions.delete(id),
    };
    return {
      kv: this.kv,
      storage: this.storage,
      processRunner: this.options.processRunner ?? new LocalProcessRunner(),
      httpPolicy: this.options.httpPolicy ?? { allowPrivateNetworks: false },
      ...(this.options.publicUrl ? { publicUrl: this.options.publicUrl } : {}),
      logs: memoryLogReader(deps),
      executions: memoryExecutionService(deps),
      triggers: memoryTriggerService(deps),
      purge: memoryPurgeService(deps),
      registry: this.options.registry,
    };
  }

  addFlow(flow: Flow): void {
    this.flows.set(flowKey(flow.namespace, flow.id), flow);
    this.revisions.set(revisionKey(flow.namespace, flow.id, flow.revision), flow);
  }

  /** The flow an execution runs: its own revision when this engine has it, else the current one. */
  flowOf(execution: Pick<Execution, "namespace" | "flowId"> & { flowRevision?: number }): Flow {
    const flow =
      (execution.flowRevision !== undefined
        ? this.revisions.get(revisionKey(execution.namespace, execution.flowId, execution.flowRevision))
        : undefined) ?? this.flows.get(flowKey(execution.namespace, execution.flowId));
    if (!flow) throw new Error(`flow ${execution.namespace}.${execution.flowId} is not loaded`);
    return flow;
  }

  /** subflow(): the flow (of a given revision) run to its end, or a rejection once the timeout passed. */
  private async runSubflow(call: SubflowCall): Promise<Execution> {
    const flow =
      call.revision !== undefined
        ? this.revisions.get(revisionKey(call.namespace, call.id, call.revision))
        : this.flows.get(flowKey(call.namespace, call.id));
    const name = `'${call.namespace}'.'${call.id}'`;
    if (!flow)
      throw new Error(
        `Unable to find flow ${name}${call.revision !== undefined ? ` with revision ${call.revision}` : ""}`,
      );
    if (flow.disabled) throw new Error(`Cannot execute flow ${name}: it is disabled`);
    const started = await this.launch(flow, { inputs: call.inputs, labels: call.labels });
    let cancel = () => {};
    const timedOut = new Promise<never>((_, reject) => {
      cancel = this.clock.schedule(this.clock.now().getTime() + call.timeoutMs, () =>
        reject(new Error(`execution ${started.id} did not end within ${call.timeoutMs} ms`)),
      );
    });
    try {
      return await Promise.race([this.wait(started.id), timedOut]);
    } finally {
      cancel();
    }
  }

  private runningCount(flow: Flow, execution: Execution): number {
    let count = 0;
    for (const other of this.executions.values()) {
      if (
        other.id !== execution.id &&
        other.kind !== "LOOP" &&
        other.namespace === flow.namespace &&
        other.flowId === flow.id &&
        ACTIVE.has(other.state.current)
      )
        count++;
    }
    return count;
  }

  // ------------------------------------------------------------- public API

  /** Creates an execution (validating inputs: throws InputValidationError) and starts it. */
  async start(flow: Flow, request: ExecutionRequest = {}): Promise<Execution> {
    this.addFlow(flow);
    return this.launch(flow, request);
  }

  /** Creates and starts an execution of `flow` (of whatever revision), now or at `startAt`. */
  private async launch(flow: Flow, request: ExecutionRequest, startAt?: Date): Promise<Execution> {
    const execution = await createExecution(flow, request, this.env);
    this.executions.set(execution.id, execution);
    if (startAt && startAt.getTime() > this.clock.now().getTime()) {
      const key = `${execution.id}/start`;
      this.timers.set(
        key,
        this.clock.schedule(startAt.getTime(), () => {
          this.timers.delete(key);
          void this.send(execution.id, { type: "start" }).catch((error) => this.failures.push(error));
        }),
      );
      return execution;
    }
    await this.send(execution.id, { type: "start" });
    return this.get(execution.id);
  }

  get(id: string): Execution {
    const execution = this.executions.get(id);
    if (!execution) throw new Error(`unknown execution ${id}`);
    return execution;
  }

  /** Applies an event to an execution, after the events already queued for it. Rejects on invalid operations. */
  send(executionId: string, event: ExecutionEvent): Promise<void> {
    const previous = this.queues.get(executionId) ?? Promise.resolve();
    this.inflight++;
    const next = previous.then(() => this.process(executionId, event));
    const settled = next.then(
      () => this.done(),
      () => this.done(),
    );
    this.queues.set(executionId, settled);
    return next;
  }

  kill(id: string) {
    return this.send(id, { type: "kill" });
  }
  pause(id: string) {
    return this.send(id, { type: "pause" });
  }
  resume(id: string, inputs?: Record<string, unknown>) {
    return this.send(id, { type: "resume", inputs });
  }
  restart(id: string) {
    return this.send(id, { type: "restart" });
  }
  /** Kestra's "change status": marks a task run of an ended execution, which then goes on from there. */
  changeTaskRunState(id: string, taskRunId: string, state: ChangeableState) {
    return this.send(id, { type: "changeTaskRunState", taskRunId, state });
  }

  /** Replays an execution from one of its task runs into a new execution, which is started. */
  async replay(id: string, taskRunId: string, inputs?: Record<string, unknown>): Promise<Execution> {
    const original = this.get(id);
    const fresh = await replayExecution(this.flowOf(original), original, taskRunId, this.env, { inputs });
    this.executions.set(fresh.id, fresh);
    // Kestra's ExecutionController.innerReplay marks the original, which has ended, with system.replayed.
    this.executions.set(id, { ...original, labels: withReplayedLabel(original.labels) });
    await this.send(fresh.id, { type: "start" });
    return this.get(fresh.id);
  }

  /** Resolves once the execution has ended (after its afterExecution tasks). */
  wait(id: string): Promise<Execution> {
    const execution = this.get(id);
    if (isTerminal(execution.state.current) && !this.hasPendingWork(id)) return Promise.resolve(execution);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
      if (this.clock instanceof VirtualClock) void this.drive();
    });
  }

  /** Resolves when nothing is running and (with a virtual clock) no timer is left to fire. */
  async idle(): Promise<void> {
    await this.drive();
  }

  /** Errors the driver met while carrying out commands (never expected: surfaced for tests). */
  takeFailures(): unknown[] {
    const failures = this.failures;
    this.failures = [];
    return failures;
  }

  // ------------------------------------------------------------- internals

  private hasPendingWork(id: string): boolean {
    for (const key of this.timers.keys()) if (key.startsWith(`${id}/`)) return true;
    return false;
  }

  private done(): void {
    this.inflight--;
    if (this.inflight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      setImmediate(() => {
        for (const waiter of waiters) waiter();
      });
    }
  }

  private settle(): Promise<void> {
    if (this.inflight === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * With a virtual clock, fires the next timer whenever no event is being applied. A task still running
   * then is taken to be waiting for something (its timeout, a kill): in-process tasks that do finish get a
   * few event-loop turns to do so first. So a script task with a `timeout` is timed out at once on a virtual
   * clock; without a pending timer, running tasks are waited for. With the real clock, waits until timers
   * have fired and all work has ended.
   */
  private async drive(): Promise<void> {
    for (;;) {
      await this.settle();
      if (this.inflight > 0) continue;
      if (this.clock instanceof VirtualClock) {
        for (let i = 0; i < 10 && this.inflight === 0; i++)
          await new Promise((resolve) => setImmediate(resolve));
        if (this.inflight > 0) continue;
        if (this.clock.pending > 0) {
          this.clock.advance();
          continue;
        }
        // No timer to jump to: a task still running (a script) will end on its own and may set one (a retry).
        if (this.runningTasks > 0) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        return;
      }
      if (this.timers.size > 0 || this.runningTasks > 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      return;
    }
  }

  private withFlowLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.flowLocks.get(key) ?? Promise.resolve();
    const next = previous.then(work);
    this.flowLocks.set(
      key,
      next.then(
        () => undefined,
        () => undefined,
      ),
    );
    return next;
  }

  private async process(executionId: string, event: ExecutionEvent): Promise<void> {
    const execution = this.get(executionId);
    const flow = this.flowOf(execution);
    const apply = async () => {
      const result = await step(flow, this.get(executionId), event, this.env);
      this.executions.set(executionId, result.execution);
      return result;
    };
    const result =
      event.type === "start" && flow.concurrency
        ? await this.withFlowLock(flowKey(flow.namespace, flow.id), apply)
        : await apply();
    for (const log of result.logs) this.recordLog(result.execution, log);
    for (const command of result.commands) {
      try {
        await dispatchCommand(this.sink, result.execution, command);
      } catch (error) {
        this.failures.push(error);
      }
    }
  }

  private recordLog(execution: Execution, log: ExecutorLog): void {
    const entry: LogEntry = {
      executionId: execution.id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      ...(log.taskId ? { taskId: log.taskId } : {}),
      ...(log.taskRunId ? { taskRunId: log.taskRunId } : {}),
      ...(log.attempt ? { attemptNumber: log.attempt } : {}),
      level: log.level,
      message: log.message,
      timestamp: log.timestamp,
    };
    this.logs.push(entry);
    this.options.onLog?.(entry);
  }

  private track(work: Promise<unknown>): void {
    this.inflight++;
    work.catch((error) => this.failures.push(error)).finally(() => this.done());
  }

  /** The executor's commands, carried out in this process: tasks as promises, timers on the clock. */
  private commandSink(): CommandSink {
    const later = (key: string, at: string, work: () => void) => {
      this.timers.get(key)?.();
      this.timers.set(
        key,
        this.clock.schedule(Date.parse(at), () => {
          this.timers.delete(key);
          work();
        }),
      );
    };
    return {
      runTask: async (execution, command) => this.runTask(execution, command),
      cancelTask: async (execution, command) => {
        this.tasks.get(`${execution.id}/${command.taskRunId}/${command.attempt}`)?.abort();
      },
      startTimer: async (execution, command) =>
        later(`${execution.id}/${command.timerId}`, command.at, () => {
          void this.send(execution.id, { type: "timer", timerId: command.timerId }).catch((error) =>
            this.failures.push(error),
          );
        }),
      cancelTimer: async (execution, command) => {
        const key = `${execution.id}/${command.timerId}`;
        this.timers.get(key)?.();
        this.timers.delete(key);
      },
      startSubflow: async (_execution, command) => this.track(startSubflow(this.ports, command)),
      restartSubflow: async (execution, command) =>
        this.track(restartSubflow(this.ports, execution.id, command)),
      killExecution: async (_execution, command) =>
        this.track(killExecution(this.ports, command.executionId)),
      splitItems: async (execution, { type: _type, ...command }) =>
        this.track(splitItems(this.ports, execution.id, command)),
      mergeSubflowOutputs: async (execution, { type: _type, ...command }) =>
        this.track(mergeSubflowOutputs(this.ports, execution.id, command)),
      saveWorkingDirectory: async (execution, command) =>
        this.track(
          saveWorkingDirectory(this.flowOf(execution), execution, command, this.taskContext()).then((event) =>
            this.send(execution.id, event),
          ),
        ),
      executionEnded: async (execution) => this.track(this.ended(execution.id)),
      createExecution: async (execution, command) =>
        later(`${execution.id}/retry-execution`, command.at, () =>
          this.track(retryExecution(this.ports, execution.id, command.attemptNumber)),
        ),
    };
  }

  /** What a task attempt and a WorkingDirectory's save run with: this engine's stores, clock and randomness. */
  private taskContext() {
    return {
      registry: this.options.registry,
      services: this.services,
      functions: this.functions,
      namespaceAccess: this.access,
      now: () => this.clock.now(),
      random: () => this.env.random(),
    };
  }

  private runTask(execution: Execution, command: Parameters<CommandSink["runTask"]>[1]): void {
    const id = execution.id;
    const key = `${id}/${command.taskRunId}/${command.attempt}`;
    const controller = new AbortController();
    this.tasks.set(key, controller);
    const flow = this.flowOf(execution);
    this.runningTasks++;
    void (async () => {
      try {
        const result = await runTaskAttempt(
          flow,
          execution,
          command,
          {
            ...this.taskContext(),
            log: (entry) => {
              this.logs.push(entry);
              this.options.onLog?.(entry);
            },
          },
          controller.signal,
        );
        this.tasks.delete(key);
        this.runningTasks--;
        await this.send(id, result).catch((error) => this.failures.push(error));
      } catch (error) {
        this.failures.push(error);
      }
    })();
  }

  /** What the shared core asks of this driver, over the maps above. */
  private driverPorts(): DriverPorts {
    const ports: DriverPorts = {
      executions: {
        get: async (id) => this.executions.get(id),
        send: async (id, event) => {
          if (!this.executions.has(id)) return `execution ${id} not found`;
          try {
            await this.send(id, event);
            return undefined;
          } catch (error) {
            if (error instanceof ExecutionOperationError) return error.message;
            throw error;
          }
        },
        create: (flow, request, options) => this.create(flow, request, options),
        parentOf: async (execution) => this.parents.get(execution.id),
        // One process applying each start before the next release: the oldest queued is enough.
        queuedToStart: async (namespace, flowId) =>
          [...this.executions.values()]
            .filter((e) => e.namespace === namespace && e.flowId === flowId && e.state.current === "QUEUED")
            .sort((a, b) => a.state.startDate.localeCompare(b.state.startDate))
            .slice(0, 1)
            .map((e) => e.id),
      },
      flows: {
        get: async (namespace, id, revision) =>
          revision === undefined
            ? this.flows.get(flowKey(namespace, id))
            : this.revisions.get(revisionKey(namespace, id, revision)),
        withFlowTriggers: async () => [...this.flows.values()],
        disableTrigger: (namespace, flowId, triggerId) =>
          this.services.triggers?.setEnabled(namespace, flowId, triggerId, false) ?? Promise.resolve(),
      },
      preconditions: this.preconditions,
      access: this.access,
      storage: this.storage,
      render: { registry: this.options.registry, functions: this.functions },
      now: () => this.clock.now(),
      random: () => this.env.random(),
      log: async (execution, level, message) =>
        this.recordLog(execution, { level, message, timestamp: this.clock.now().toISOString() }),
      releaseExecution: async (id) => {
        await this.services.processRunner?.releaseShared?.(id);
      },
      report: (_message, error) => this.failures.push(error),
      atomically: (work) => work(ports),
    };
    return ports;
  }

  private async create(
    flow: Flow,
    request: ExecutionRequest,
    options: CreateOptions = {},
  ): Promise<Execution | undefined> {
    if (options.dedupeKey) {
      if (this.dedupeKeys.has(options.dedupeKey)) return undefined;
      this.dedupeKeys.add(options.dedupeKey);
    }
    // Linked before it starts: a child may end before `launch` returns.
    if (options.parentLink && request.id) this.parents.set(request.id, options.parentLink);
    try {
      return await this.launch(flow, request, options.startAt);
    } catch (error) {
      if (request.id) this.parents.delete(request.id);
      if (options.dedupeKey) this.dedupeKeys.delete(options.dedupeKey);
      throw error;
    }
  }

  private async ended(executionId: string): Promise<void> {
    await executionEnded(this.ports, executionId);
    const execution = this.get(executionId);
    if (!isTerminal(execution.state.current)) return;
    const waiters = this.waiters.get(executionId) ?? [];
    this.waiters.delete(executionId);
    for (const waiter of waiters) waiter(execution);
  }
}
