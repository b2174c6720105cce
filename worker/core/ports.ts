import type { Execution, ExecutionEvent, ExecutionRequest, InputCipher } from "@/engine/executor";
import type { ExprFunction } from "@/engine/expr";
import type { Flow } from "@/engine/flow";
import type { FileStorage, PluginRegistry } from "@/engine/plugin";
import type { PreconditionStore } from "@/engine/triggers";
import type { NamespaceAccess } from "../namespace-access";

/** The task run of a parent execution that waits for a child execution's end (Subflow, ForEachItem batch). */
export interface ParentLink {
  executionId: string;
  taskRunId: string;
  iteration?: number;
}

export interface CreateOptions {
  /** The child reports its end to this parent task run (a waiting Subflow or ForEachItem batch). */
  parentLink?: ParentLink;
  /** Makes creation idempotent: a second creation with the same key creates nothing and returns undefined. */
  dedupeKey?: string;
  /** Start at this time instead of now (a subflow's scheduleDate). */
  startAt?: Date;
}

/** Where the driver keeps executions. */
export interface ExecutionPort {
  /** The stored execution, undefined when there is none (never created, purged, another tenant's). */
  get(id: string): Promise<Execution | undefined>;
  /**
   * Applies an event to an execution. An event that no longer applies (the execution is gone, or `step`
   * refuses it with ExecutionOperationError) is dropped and resolves to why; undefined when applied. The
   * core sends events about things that may have moved on (a parent killed meanwhile, a queued execution
   * already started), so these are not errors. Anything else (the database is down) rejects.
   */
  send(id: string, event: ExecutionEvent): Promise<string | undefined>;
  /**
   * Creates an execution of `flow` and starts it (at `options.startAt` when that is later than now).
   * Throws InputValidationError for invalid inputs, ExecutionOperationError when it may not start.
   * Returns undefined when `options.dedupeKey` shows it was created before.
   */
  create(flow: Flow, request: ExecutionRequest, options?: CreateOptions): Promise<Execution | undefined>;
  /**
   * The parent task run waiting for this execution, if any: set by `create` with a parentLink and kept for
   * good, so a child restarted for its parent (Subflow restartBehavior RETRY_FAILED) reports to it again.
   */
  parentOf(execution: Execution): Promise<ParentLink | undefined>;
  /**
   * The QUEUED executions of a flow (waiting for its concurrency `limit`) to start now that one of its
   * executions has ended: the oldest, which takes the freed slot (so a second release picks another),
   * if one is free.
   */
  queuedToStart(namespace: string, flowId: string, limit: number): Promise<string[]>;
  /**
   * Gives back the slot queuedToStart gave an execution whose `start` was refused (its workflow gone while
   * its row says QUEUED): it is QUEUED again and holds no slot. Nothing for one whose start has applied.
   */
  requeue?(executionId: string): Promise<void>;
}

/** Where the driver keeps flows and the run-time state of their triggers. */
export interface FlowPort {
  /** A flow at a revision (the current one without), undefined when there is no such flow or revision. */
  get(namespace: string, flowId: string, revision?: number): Promise<Flow | undefined>;
  /** Flows that may react to other flows' executions (Flow triggers), run-time disabled triggers marked `disabled`. */
  withFlowTriggers(): Promise<Flow[]>;
  /** Disables a trigger at run time (its `stopAfter` was reached), as the Toggle task would. */
  disableTrigger(namespace: string, flowId: string, triggerId: string): Promise<void>;
}

/**
 * What the core needs from a driver. Every method is async and may do I/O: a Temporal driver implements
 * them with activities (or child workflows for `executions.create` with a parent link).
 */
export interface DriverPorts {
  executions: ExecutionPort;
  flows: FlowPort;
  /** Flow trigger preconditions (windows of upstream executions). */
  preconditions: PreconditionStore;
  /** Namespace boundaries: subflows and flow triggers respect them. */
  access: NamespaceAccess;
  /** The internal storage (ForEachItem reads its items and writes its batches there). */
  storage: FileStorage;
  /** What Flow triggers' conditions and inputs are rendered with. */
  render: {
    registry: PluginRegistry;
    functions?: Record<string, ExprFunction>;
    inputCipher?: InputCipher;
  };
  now(): Date;
  /** Randomness for Flow triggers' conditions and inputs (the driver's: a workflow's is replayed). */
  random(): number;
  /** Writes a log line of an execution (a Flow trigger that could not start...). */
  log(execution: Execution, level: "WARN" | "ERROR", message: string): Promise<void>;
  /** Frees what the task runner kept for an execution (shared working directories); optional. */
  releaseExecution?(executionId: string): Promise<void>;
  /** A failure that has nobody to report to (a cleanup that failed): logged or surfaced by the driver. */
  report(message: string, error: unknown): void;
  /**
   * Runs `work` with ports whose writes commit together (a database transaction), or as-is when the driver
   * has no transactions. Used where a partial result would be wrong: a subflow created without its parent
   * learning of a failure, a precondition recorded without the execution it triggers.
   */
  atomically<T>(work: (ports: DriverPorts) => Promise<T>): Promise<T>;
}
