import type { z } from "zod";
import type { FlowableHandler } from "../executor/flowable";
import type { PluginRegistry } from "./registry";

/** What a plugin is: a task that runs on a worker, a task the executor interprets, a trigger, or a condition. */
export type PluginKind = PluginDefinition["kind"];

export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface Label {
  key: string;
  value: string;
}

/** A full flow that shows a plugin in use; every example is parsed (and where possible run) in CI. */
export interface PluginExample {
  title: string;
  /** A complete flow in YAML. */
  flow: string;
}

export interface TaskLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface Metric {
  name: string;
  type: "counter" | "timer";
  value: number;
  tags?: Record<string, string>;
}

/** Read/write access to the KV store of a namespace. */
export interface KvStore {
  get(namespace: string, key: string): Promise<{ value: unknown; expiresAt?: string } | undefined>;
  set(
    namespace: string,
    key: string,
    value: unknown,
    options?: { ttlMs?: number; overwrite?: boolean; type?: string; description?: string },
  ): Promise<void>;
  delete(namespace: string, key: string): Promise<boolean>;
  list(namespace: string, prefix?: string): Promise<string[]>;
}

/**
 * Internal storage: files addressed by `kestra:///...` URIs (FILE inputs, task output files, batches).
 * Backends (memory, local directory, S3) implement this.
 */
export interface FileStorage {
  put(uri: string, data: Uint8Array | string): Promise<string>;
  get(uri: string): Promise<Uint8Array>;
  exists(uri: string): Promise<boolean>;
  size(uri: string): Promise<number>;
  delete(uri: string): Promise<boolean>;
  /** URIs under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** When a file was last written (undefined when it does not exist); optional: not every backend keeps it. */
  modified?(uri: string): Promise<Date | undefined>;
  /**
   * The file as a stream of chunks, for files too large to hold in memory (serdes conversions). Optional: a
   * backend without it is read whole through `get`.
   */
  read?(uri: string): AsyncIterable<Uint8Array>;
  /**
   * Writes a file from a stream of chunks without holding it whole; readers see it only once complete.
   * Optional: a backend without it is written whole through `put`.
   */
  write?(uri: string, chunks: AsyncIterable<Uint8Array>): Promise<string>;
}

/** A line a script printed, or a log it sent with the `::{"logs":[...]}::` protocol. */
export type ProcessLogHandler = (level: LogLevel, message: string) => void;

/** What a script process is asked to run, inside a workspace. */
export interface ProcessRequest {
  /** The program and its arguments (e.g. `["/bin/sh", "-c", "echo hi"]`). */
  command: string[];
  /** Variables added to the clean environment the process gets (never the server's own environment). */
  env?: Record<string, string>;
  /** Aborted on timeout or kill: the whole process group is terminated. */
  signal: AbortSignal;
  /** Each stdout line (INFO), stderr line (WARN) and protocol log, as it arrives. */
  onLog: ProcessLogHandler;
}

/** How a script process ended, with what it sent through the `::{...}::` line protocol. */
export interface ProcessResult {
  /** The exit code; null when the process was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended the process (e.g. `SIGTERM` after a timeout), or null. */
  exitSignal: string | null;
  /** Values sent with `::{"outputs":{...}}::` lines, merged in order. */
  outputs: Record<string, unknown>;
  /** Metrics sent with `::{"metrics":[...]}::` lines. */
  metrics: Metric[];
  stdoutLineCount: number;
  stderrLineCount: number;
  /** The last lines written to stderr, for error messages. */
  stderrTail: string[];
}

/** A file a script left in its workspace, matched by an output pattern. */
export interface WorkspaceFile {
  /** Path relative to the working directory (or to the output directory for files written there). */
  path: string;
  read(): Promise<Uint8Array>;
  /** When it was last written (a WorkingDirectory's cache is written again only when one changed). */
  modified?(): Promise<Date>;
}

/** A fresh working directory for one task attempt, removed by `dispose()`. */
export interface Workspace {
  /** Absolute path of the working directory: `{{ workingDir }}`, the process's cwd and HOME. */
  readonly workingDir: string;
  /** Absolute path of a directory whose files are all returned as output files: `{{ outputDir }}`. */
  readonly outputDir: string;
  /** Creates a file under the working directory (a relative path that stays inside it). */
  writeFile(path: string, content: Uint8Array | string): Promise<void>;
  /** Sets when a file of the working directory was last written (a restored cache keeps its own time). */
  setModified?(path: string, at: Date): Promise<void>;
  /** Runs one process in the working directory until it exits or `signal` aborts. */
  run(request: ProcessRequest): Promise<ProcessResult>;
  /** Regular files of the working directory matching glob patterns, then every file of the output directory. */
  collect(patterns: readonly string[]): Promise<WorkspaceFile[]>;
  dispose(): Promise<void>;
}

/** A working directory shared by several task runs (the tasks of one `core.flow.WorkingDirectory`). */
export interface SharedWorkingDirectory {
  /** The execution it belongs to: its shared directories are released when it ends. */
  executionId: string;
  /** Who shares it (the WorkingDirectory task run): same owner, same directory. */
  ownerId: string;
  /** Called once, by the first workspace that creates the directory (to write the owner's input files). */
  onCreate?(workspace: Workspace): Promise<void>;
}

/** Runs script processes for tasks (the worker's process runner). */
export interface ProcessRunner {
  /**
   * A fresh workspace. With `shared`, its working directory is the shared one (created by the first
   * workspace, kept by `dispose()`); the temporary and output directories are still the attempt's own.
   */
  createWorkspace(options?: { shared?: SharedWorkingDirectory }): Promise<Workspace>;
  /** Removes the shared working directories of an execution (when it has ended). */
  releaseShared?(executionId: string): Promise<void>;
  /**
   * A workspace over a shared directory that exists already (what a WorkingDirectory's tasks left), to
   * read its files; undefined when none of its tasks created it. Its `dispose()` leaves the directory.
   */
  openShared?(
    shared: Pick<SharedWorkingDirectory, "executionId" | "ownerId">,
  ): Promise<Workspace | undefined>;
}

/** Network rules for HTTP tasks and triggers, set by the server (CADENZA_HTTP_* settings). */
export interface HttpPolicy {
  /** When false, requests to loopback, private, link-local and other non-public addresses are refused. */
  allowPrivateNetworks: boolean;
  /** Non-public ranges (CIDR, e.g. `10.0.0.0/8`) that may be reached all the same. */
  allowedNetworks?: readonly string[];
  /** Resolves a host name to its addresses (the system resolver by default; tests give their own). */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

/** One log line of an execution, as the log store returns it. */
export interface LogRecord {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
  level: LogLevel;
  message: string;
  timestamp: string;
}

/** Read access to the logs of executions. */
export interface LogReader {
  /** The logs of one execution at `minLevel` or above, optionally only those of some tasks, oldest first. */
  fetch(filter: { executionId: string; taskIds?: string[]; minLevel?: LogLevel }): Promise<LogRecord[]>;
}

/** What a task may know about another execution. */
export interface ExecutionSummary {
  id: string;
  namespace: string;
  flowId: string;
  state: string;
}

/** One task run of an execution, as notification summaries see it. */
export interface TaskRunSummary {
  id: string;
  taskId: string;
  value?: string | null;
  state: string;
}

/** A read-only view of one execution: what a notification summary shows (state, duration, failed task...). */
export interface ExecutionDetail extends ExecutionSummary {
  flowRevision: number;
  labels: Label[];
  /** ISO-8601 dates; `endDate` once the execution has ended. */
  startDate: string;
  endDate?: string;
  /** The task runs in the order they were created. */
  taskRuns: TaskRunSummary[];
}

/** Access to the executions of the engine, for the execution tasks (Count, Resume) and notifications. */
export interface ExecutionService {
  get(executionId: string): Promise<ExecutionSummary | undefined>;
  /**
   * The state, dates, labels and task runs of an execution of the same tenant (undefined when there is none).
   * An execution running its afterExecution tasks shows the state it ends in.
   */
  detail(executionId: string): Promise<ExecutionDetail | undefined>;
  /**
   * Executions started in [startDate, endDate] (ISO-8601), optionally only in some states, counted per flow.
   * Every flow of `flows` is in the result (0 included); with `namespaces`, every known flow of those
   * namespaces and their children is.
   */
  countByFlow(filter: {
    flows?: { namespace: string; flowId: string }[];
    namespaces?: string[];
    states?: string[];
    startDate: string;
    endDate: string;
  }): Promise<{ namespace: string; flowId: string; count: number }[]>;
  /** Resumes a paused execution with the values of its `onResume` inputs; rejects when it cannot be resumed. */
  resume(executionId: string, inputs?: Record<string, unknown>): Promise<void>;
}

/** Which executions or logs a purge applies to (dates are ISO-8601). */
export interface PurgeFilter {
  /** A namespace and its children, or exactly this namespace when `flowId` is set. */
  namespace?: string;
  flowId?: string;
  startDate?: string;
  endDate: string;
}

/** Deleting a tenant's old executions and logs (PurgeExecutions, PurgeLogs). */
export interface PurgeService {
  /** Deletes the logs created in the range, optionally only some levels; returns how many. */
  deleteLogs(filter: PurgeFilter & { levels?: LogLevel[] }): Promise<number>;
  /** The namespaces of the logs `deleteLogs` would delete (so a caller can check it may reach each). */
  logNamespaces?(filter: PurgeFilter & { levels?: LogLevel[] }): Promise<string[]>;
  /**
   * Ended executions that ended in the range, optionally only in some states, never `exclude`; at most
   * `limit`, by id, after the id `after` (a cursor).
   */
  endedExecutions(
    filter: PurgeFilter & { states?: string[]; exclude?: string; after?: string },
    limit: number,
  ): Promise<ExecutionSummary[]>;
  /** Deletes the logs of these executions; returns how many. */
  deleteExecutionLogs(executionIds: string[]): Promise<number>;
  /** How many metrics these executions hold (metrics live in their task runs' attempts). */
  countExecutionMetrics(executionIds: string[]): Promise<number>;
  /** Deletes these executions with their task runs (and their logs and metrics); returns how many. */
  deleteExecutions(executionIds: string[]): Promise<number>;
}

/**
 * Namespace boundaries as a task sees them: for a task that finds its targets by walking shared data
 * (PurgeStorage walks the internal storage) rather than through a service that checks them itself.
 */
export interface NamespaceReach {
  /** Rejects when the running flow's namespace may not reach `target`. */
  check(target: string): Promise<void>;
}

/** Write access to the triggers of flows (the Toggle task). */
export interface TriggerService {
  /** Enables or disables a trigger; rejects when the flow or the trigger does not exist. */
  setEnabled(namespace: string, flowId: string, triggerId: string, enabled: boolean): Promise<void>;
}

/** A saved flow as the flow service returns it: its YAML as written. */
export interface StoredFlowSource {
  namespace: string;
  id: string;
  revision: number;
  source: string;
}

/** Who changed a flow through a task, for the audit log: the execution and the flow it ran. */
export interface FlowChangeOrigin {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
}

/**
 * Reading and writing a tenant's flows from a task (git.SyncFlows, git.PushFlows): the same validation,
 * revisions and audit entries as the REST API's flow service, given by the server to the worker.
 */
export interface FlowService {
  /** The current (not deleted) flows of a namespace, and of its children when asked, by namespace then id. */
  list(namespace: string, options?: { includeChildNamespaces?: boolean }): Promise<StoredFlowSource[]>;
  /**
   * Validates a flow's YAML and saves it as a new revision of `namespace`.`id` (created when missing,
   * nothing saved when unchanged). Rejects with the validation messages when it is invalid or when its
   * YAML says another id or namespace.
   */
  save(
    flow: { namespace: string; id: string; source: string },
    origin: FlowChangeOrigin,
  ): Promise<{ revision: number; created: boolean; changed: boolean }>;
  /** Deletes a flow (its revisions are kept); false when there was none. */
  delete(namespace: string, id: string, origin: FlowChangeOrigin): Promise<boolean>;
}

/**
 * Capabilities a worker hands to runnable tasks and polling triggers. Each is optional: a driver gives what it
 * has. A plugin that cannot work without some names them in its definition's `services` (see
 * `ServiceName`): the worker then refuses to run it, with a message naming what is missing, when the driver
 * lacks one, and its `ctx.services.<name>` is typed as present. A new capability is a new typed key here
 * (there is no index signature: a misspelt or undeclared service is a type error, not an `unknown` to cast).
 */
export interface TaskServices {
  kv?: KvStore;
  storage?: FileStorage;
  /** Runs script processes (scripts.* tasks). */
  processRunner?: ProcessRunner;
  /** Network rules for HTTP tasks; absent means non-public addresses are refused. */
  httpPolicy?: HttpPolicy;
  logs?: LogReader;
  executions?: ExecutionService;
  triggers?: TriggerService;
  purge?: PurgeService;
  /** The namespace boundaries of the running flow (always given by the worker, which enforces them). */
  reach?: NamespaceReach;
  /** The tenant's flows, written through the server's flow service (absent on engines without one). */
  flows?: FlowService;
  /**
   * The URL where people reach Cadenza's web UI (CADENZA_PUBLIC_URL), for links back to an execution in
   * notifications; absent when the operator did not set it (messages then carry no link).
   */
  publicUrl?: string;
  /** The plugins this worker runs, for tasks that run another task (TemplatedTask). */
  registry?: PluginRegistry;
}

/** The name of a task service a plugin may require (`services: ["kv"]`). */
export type ServiceName = keyof TaskServices;

/** The services a plugin that requires `K` sees: those are present, the others optional as ever. */
export type ServicesWith<K extends ServiceName> = TaskServices & {
  readonly [N in K]-?: NonNullable<TaskServices[N]>;
};

/**
 * What a runnable plugin's `run` receives. Everything here is data or an injected capability: no globals.
 * `K` names the services the plugin declared it requires (present in `services`).
 */
export interface TaskRunContext<P, K extends ServiceName = never> {
  /** The task's properties, rendered and validated against the plugin's schema. */
  readonly properties: P;
  readonly task: { readonly id: string; readonly type: string };
  readonly taskRun: {
    readonly id: string;
    readonly value?: string | null;
    readonly iteration?: number | null;
    /** 1-based number of this attempt. */
    readonly attempt: number;
  };
  readonly execution: {
    readonly id: string;
    readonly namespace: string;
    readonly flowId: string;
    readonly flowRevision: number;
    readonly tenantId?: string;
  };
  /** The expression context of this task run (inputs, outputs, vars, labels, ...), as plain data. */
  readonly variables: Record<string, unknown>;
  readonly logger: TaskLogger;
  /** Aborted when the task times out or the execution is killed. */
  readonly signal: AbortSignal;
  readonly services: ServicesWith<K>;
  now(): Date;
  /** Renders a value (strings inside maps/lists too) in this task run's context, with optional extra variables. */
  render(value: unknown, extra?: Record<string, unknown>): Promise<unknown>;
  /** Records a metric on the task run. */
  metric(metric: Metric): void;
}

/** What a runnable task returns. Throwing fails the attempt with the error's message. */
export interface TaskOutcome {
  outputs?: Record<string, unknown>;
  /** A task may end in WARNING instead of SUCCESS. */
  state?: "SUCCESS" | "WARNING";
  /** Labels to add to (or override on) the execution (the Labels task). */
  labels?: Label[];
  /** Flow variables to set or unset at run time (SetVariables / UnsetVariables). */
  setVariables?: Record<string, unknown>;
  unsetVariables?: string[];
  /** Ends the execution early in this state (the Exit task). */
  exit?: "SUCCESS" | "WARNING" | "KILLED" | "FAILED" | "CANCELLED";
  /** With `exit: KILLED`: kill the subflow executions it started without waiting too (Kill's propagateKill). */
  killSubflows?: boolean;
}

/** What every kind of plugin declares: its names, docs and the one schema of its properties. */
interface PluginBase<S extends z.ZodObject> {
  /** Cadenza's canonical name, e.g. `core.log.Log`. */
  type: string;
  /**
   * Other names that resolve to this plugin: Kestra's old aliases (`io.kestra.core.tasks.log.Log`, ...).
   * The Kestra name of a `core.*`, `scripts.*`, `git.*`, `openai.*`, `ai.*`, `dbt.*`... plugin (`io.kestra.plugin.core.log.Log`; see `kestraName`) is added automatically.
   */
  aliases?: string[];
  /** One line: what it does. */
  title: string;
  /** Markdown documentation. */
  description?: string;
  /** The plugin's own properties. Common task or trigger properties (id, retry, conditions...) are added by the flow language. */
  schema: S;
  /** Schema of the outputs, for docs and completion. */
  outputs?: z.ZodType;
  examples?: PluginExample[];
  /** Properties passed to `run` / `poll` as written, not rendered first (the plugin renders them itself). */
  rawProperties?: string[];
  /** When set, the plugin is deprecated; the text says what to use instead. */
  deprecated?: string;
  /** Checks beyond the schema (e.g. a Dag without cycles), run when a flow is validated. */
  validate?(properties: z.output<S>, context: ValidationContext): void;
}

/**
 * What the other kinds carry, absent from this one: so a flowable with a `run()` is a type error, and code
 * holding any plugin may still read `plugin.run?.(...)` or `plugin.poll` (undefined for the other kinds).
 */
type Without<Key extends string> = { [P in Key]?: never };

/** A task a worker runs: `run` does the work. */
export interface RunnablePluginDefinition<S extends z.ZodObject = z.ZodObject, K extends ServiceName = never>
  extends PluginBase<S>,
    Without<"handler" | "poll" | "test"> {
  kind: "runnable";
  /** The services it cannot work without: checked before `run`, and typed as present in `ctx.services`. */
  services?: readonly K[];
  /** Does the work. */
  run(context: TaskRunContext<z.output<S>, K>): Promise<TaskOutcome | undefined> | TaskOutcome | undefined;
  /** A light task that does no I/O and may run inside the executor's own transaction. */
  inline?: boolean;
}

/**
 * A task the executor interprets (Sequential, If, ForEach...): its `handler` is its semantics, in the same
 * definition as its schema and docs. There is no flowable without one.
 */
export interface FlowablePluginDefinition<S extends z.ZodObject = z.ZodObject>
  extends PluginBase<S>,
    Without<"run" | "services" | "inline" | "poll" | "test"> {
  kind: "flowable";
  handler: FlowableHandler<z.output<S>>;
}

/** A trigger: a polling one has `poll`; the others (Schedule, Flow, Webhook) are driven by the server. */
export interface TriggerPluginDefinition<S extends z.ZodObject = z.ZodObject>
  extends PluginBase<S>,
    Without<"run" | "services" | "inline" | "handler" | "test"> {
  kind: "trigger";
  /**
   * For polling triggers: checks once whether an execution should start (Kestra's PollingTriggerInterface).
   * Called every `interval` of the trigger's properties (PT60S by default) by one engine at a time.
   */
  poll?(context: PollContext<z.output<S>>): Promise<PollResult | undefined>;
}

/** A condition of a trigger. Without `test` (the deprecated MultipleCondition) it never holds. */
export interface ConditionPluginDefinition<S extends z.ZodObject = z.ZodObject>
  extends PluginBase<S>,
    Without<"run" | "services" | "inline" | "handler" | "poll"> {
  kind: "condition";
  /** Whether the condition holds. */
  test?(properties: z.output<S>, context: ConditionContext): boolean | Promise<boolean>;
}

/**
 * A plugin definition: one object per plugin, its variant chosen by `kind`, holding everything about it
 * (names, schema, docs and what it does).
 */
export type PluginDefinition<S extends z.ZodObject = z.ZodObject, K extends ServiceName = never> =
  | RunnablePluginDefinition<S, K>
  | FlowablePluginDefinition<S>
  | TriggerPluginDefinition<S>
  | ConditionPluginDefinition<S>;

/** What a polling trigger's `poll` receives. */
export interface PollContext<P> {
  /** The trigger's own properties, rendered with the flow's variables. */
  readonly properties: P;
  readonly flow: { readonly namespace: string; readonly id: string; readonly revision: number };
  readonly trigger: { readonly id: string; readonly type: string };
  readonly services: TaskServices;
  readonly logger: TaskLogger;
  /** Aborted when the engine stops or the poll takes longer than its interval allows. */
  readonly signal: AbortSignal;
  readonly now: Date;
  /** Renders a template with the flow's variables and `extra` (e.g. `response` for a condition). */
  render(template: unknown, extra?: Record<string, unknown>): Promise<unknown>;
}

/** A poll that starts an execution, with the variables the execution sees as `trigger.*`. */
export interface PollResult {
  variables: Record<string, unknown>;
}

/** The execution a Flow trigger reacts to, as conditions see it. */
export interface TriggeringExecution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: string;
  labels: Label[];
  outputs?: Record<string, unknown>;
  /** Number of attempts of its task runs, for HasRetryAttempt. */
  retried?: boolean;
}

/** What a condition is evaluated against. */
export interface ConditionContext {
  /** The flow that owns the trigger. */
  readonly flow: { readonly namespace: string; readonly id: string };
  /** For Flow triggers: the execution that just changed state. */
  readonly execution?: TriggeringExecution;
  /** For schedules: the scheduled date being considered. */
  readonly date?: Date;
  readonly now: Date;
  /** Renders a template with the trigger's variables (`trigger.*`, and the triggering execution's). */
  render(template: unknown): Promise<unknown>;
  /** Evaluates nested conditions (for Not / Or). */
  test(conditions: readonly { type: string }[]): Promise<boolean[]>;
}

/** Given to a plugin's `validate`: the flow around the task and a way to report errors at a property path. */
export interface ValidationContext {
  readonly flow: { readonly id?: string; readonly namespace?: string };
  /** Reports an error at a path relative to the task (e.g. `["tasks", 2, "dependsOn", 0]`). */
  error(path: (string | number)[], message: string): void;
}

/**
 * A registered plugin: its definition plus every name it answers to. The services a runnable requires are
 * kept as names only: `run`'s narrower context is its author's concern, and one registry holds plugins that
 * require different ones.
 */
export type Plugin<S extends z.ZodObject = z.ZodObject> = (
  | (Omit<RunnablePluginDefinition<S>, "services"> & { services?: readonly ServiceName[] })
  | FlowablePluginDefinition<S>
  | TriggerPluginDefinition<S>
  | ConditionPluginDefinition<S>
) & {
  readonly names: readonly string[];
};

/** A registered plugin of one kind. */
export type PluginOf<Kind extends PluginKind> = Extract<Plugin, { kind: Kind }>;
