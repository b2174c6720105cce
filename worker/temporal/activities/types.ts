import type {
  Execution,
  ExecutionEvent,
  ExecutorCommand,
  ExecutorLog,
  StartSubflowCommand,
  TaskResultEvent,
  WorkingDirectorySavedEvent,
} from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { LogEntry } from "../../logs";

/**
 * A task attempt's result as the `runTask` activity returns it. `logs`: the attempt's last log lines
 * (masked), when the workflow asked for them (`logTail`): they are written with the step that applies the
 * result (`persist`'s `taskLogs`), in its statement, rather than by a commit of their own.
 */
export type TaskAttemptResult = TaskResultEvent & { logs?: LogEntry[] };

/** What the workflow needs to interpret an execution, read once per run. */
export interface LoadedExecution {
  execution: Execution;
  flow: Flow;
  /** Types of the flow's runnable tasks the worker knows (the workflow holds only the flowable plugins). */
  runnableTypes: { type: string; names: string[] }[];
  /** Expression functions backed by I/O (kv, secret, read...): the workflow calls them as activities. */
  functionNames: string[];
  /**
   * Ids of the flow's light tasks (plugins marked `inline`), when the worker runs them inline
   * (CADENZA_INLINE_TASKS): the workflow runs their attempts as local activities.
   */
  inlineTaskIds?: string[];
  /** History events after which the run hands over to a new one (the worker's setting). */
  historyLimit?: number;
  /** The names of SEARCH_ATTRIBUTES registered on the namespace: the workflow sets only these. */
  searchAttributes?: string[];
}

/** The worker's settings the workflow learns through `loadExecution` (so they are in its history). */
export interface WorkflowSettings {
  historyLimit?: number;
  searchAttributes: string[];
}

/**
 * The activities of the Temporal driver. Every one is idempotent: Temporal may run one again after a
 * worker is lost, so each writes the read model (PostgreSQL) as "make it so", never "add one more".
 */
export interface TemporalActivities {
  /**
   * `runId`: the workflow run asking. Its execution is read once per run (runStartDocument): a workflow
   * task's later attempt reads what the first read. Histories recorded without it read the row.
   */
  loadExecution(input: { tenantId: string; executionId: string; runId?: string }): Promise<LoadedExecution>;
  /**
   * Writes the stepped execution (document, columns, changed task runs) and the step's logs, with secret
   * values masked. `masked` is the execution as written when masking changed it: the workflow goes on from
   * it, so later tasks see the mask too (as in the embedded engine).
   */
  persist(input: {
    tenantId: string;
    execution: Execution;
    logs: ExecutorLog[];
    /** Log lines of the task attempts whose results this step applied (runTask's `logs`), masked. */
    taskLogs?: LogEntry[];
    /** The step ended the execution: `executionEnded`'s bookkeeping follows the write, in this activity. */
    ended?: boolean;
  }): Promise<{
    masked?: Execution;
  }>;
  /**
   * One attempt of a runnable task; heartbeats, and returns KILLED when cancelled. `logTail`: return the
   * attempt's last log lines (up to LOG_TAIL_CHARS of messages) instead of writing them (runs recorded
   * before the `cadenza-task-logs-in-step` patch do not ask).
   */
  runTask(input: {
    tenantId: string;
    executionId: string;
    command: Extract<ExecutorCommand, { type: "runTask" }>;
    logTail?: boolean;
  }): Promise<TaskAttemptResult>;
  callFunction(input: {
    tenantId: string;
    name: string;
    args: unknown[];
    named: Record<string, unknown>;
    context: Record<string, unknown>;
  }): Promise<unknown>;
  /**
   * The flow's executions holding a concurrency slot, this one left out; with `limit`, also claims this
   * execution's slot (or its place in the queue) in the same transaction (concurrency.ts).
   */
  runningCount(input: {
    tenantId: string;
    namespace: string;
    flowId: string;
    executionId: string;
    limit?: number;
    behavior?: "QUEUE" | "CANCEL" | "FAIL";
  }): Promise<number>;
  /** Creates (and stores) a subflow's execution; `error` when it cannot be created (unknown flow, inputs). */
  createSubflow(input: { tenantId: string; command: StartSubflowCommand }): Promise<{ error?: string }>;
  splitItems(input: {
    tenantId: string;
    executionId: string;
    command: Extract<ExecutorCommand, { type: "splitItems" }>;
  }): Promise<Extract<ExecutionEvent, { type: "itemsSplit" }>>;
  /** Writes ForEachItem's merged subflow outputs (the core's mergeSubflowOutputs). */
  mergeSubflowOutputs(input: {
    tenantId: string;
    executionId: string;
    command: Extract<ExecutorCommand, { type: "mergeSubflowOutputs" }>;
  }): Promise<Extract<ExecutionEvent, { type: "subflowOutputsMerged" }>>;
  /** Keeps a WorkingDirectory's outputFiles and cache from its shared directory (working-directory-save.ts). */
  saveWorkingDirectory(input: {
    tenantId: string;
    executionId: string;
    command: Extract<ExecutorCommand, { type: "saveWorkingDirectory" }>;
  }): Promise<WorkingDirectorySavedEvent>;
  /** What happens once an execution has ended, outside the execution itself: the core's executionEnded. */
  executionEnded(input: { tenantId: string; executionId: string }): Promise<void>;
  /** A flow-level retry (`CREATE_NEW_EXECUTION`) whose delay has passed: the core's retryExecution. */
  retryExecution(input: { tenantId: string; executionId: string; attemptNumber: number }): Promise<void>;
}
