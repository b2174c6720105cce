import type { Label, Metric } from "../plugin/types";
import type { StateType } from "./states";

export interface StateHistory {
  state: StateType;
  date: string;
}

/** Kestra's State: the current state, its history, and derived start/end/duration. */
export interface State {
  current: StateType;
  histories: StateHistory[];
  startDate: string;
  endDate?: string;
  /** ISO-8601 duration, set once the state is terminal. */
  duration?: string;
}

export interface TaskRunAttempt {
  state: State;
  /** Why the attempt failed, when it did. */
  error?: { message: string };
  /** The worker running it was lost (crash): the attempt was started again and does not count as a retry. */
  lost?: boolean;
  /** Counters and timers the task sent (scripts' `::{"metrics":[...]}::` lines). */
  metrics?: Metric[];
}

export interface TaskRun {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  parentTaskRunId?: string | null;
  /** The loop value when this run is one iteration of a ForEach (or EachSequential/EachParallel). */
  value?: string | null;
  /** The iteration number inside a LoopUntil (or the index of a ForEach value). */
  iteration?: number | null;
  state: State;
  attempts: TaskRunAttempt[];
  outputs?: Record<string, unknown> | null;
  /** Executor bookkeeping that is not part of Kestra's shape (resolved loop values, timers...). */
  internal?: Record<string, unknown>;
}

export interface ExecutionTrigger {
  id: string;
  type: string;
  variables?: Record<string, unknown>;
}

/**
 * Kestra's execution kind: absent for a normal execution (Kestra stores NORMAL as null), `LOOP` for one
 * iteration of a Kestra 2.0 Loop run as an execution of its own, `PLAYGROUND` / `TEST` for the editor's
 * playground and flow tests. Executions of kind LOOP are left out of the executions list unless asked for.
 */
export const EXECUTION_KINDS = ["LOOP", "PLAYGROUND", "TEST"] as const;
export type ExecutionKind = (typeof EXECUTION_KINDS)[number];

/** An outer Loop iteration of a LOOP execution (Kestra's `LoopRun.Parent`): `item.parent(s)` inside it. */
export interface LoopRunParent {
  value: string;
  index: number;
  key?: string;
}

/** Where a LOOP execution comes from (Kestra's `LoopRun`): the parent execution, Loop task run and iteration. */
export interface LoopRun {
  executionId: string;
  taskId: string;
  taskRunId: string;
  value: string;
  index: number;
  key?: string;
  /** The enclosing loops' iterations, nearest first. */
  parents: LoopRunParent[];
}

/** What a LOOP execution is created with, beside its parent's inputs, labels and trigger. */
export interface LoopIterationRequest {
  run: LoopRun;
  /** The outputs the iteration's tasks see from outside the loop (the parent's, at the loop's run). */
  outputs: Record<string, unknown>;
  /** The parent's run-time variables (SetVariables), over the flow's. */
  variables?: Record<string, unknown>;
  /** The iteration runs the Loop's `finally` itself, as Kestra 2.0 does (the loop decided so at its start). */
  finally?: boolean;
}

export interface Execution {
  id: string;
  /** Absent for a normal execution. */
  kind?: ExecutionKind;
  /** Set on executions of kind LOOP. */
  loopRun?: LoopRun;
  tenantId?: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: State;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels: Label[];
  /** Variables set at run time by SetVariables (merged over the flow's `variables`). */
  variables?: Record<string, unknown>;
  taskRunList: TaskRun[];
  trigger?: ExecutionTrigger;
  parentId?: string;
  originalId: string;
  scheduleDate?: string;
  metadata: { attemptNumber: number; originalCreatedDate: string };
  /** Executor bookkeeping: pending timers, the phase of the execution, the state it will end in... */
  internal?: ExecutionInternal;
}

export interface PendingTimer {
  id: string;
  at: string;
}

export interface ExecutionInternal {
  /** Timers started and not yet fired or cancelled. */
  timers?: PendingTimer[];
  /** Set once tasks/errors/finally are done: the state the execution ends in after afterExecution. */
  finalState?: StateType;
  /** Set by the Exit task: end the execution in this state without starting anything new. */
  exitState?: StateType;
  /** With exitState: run the flow's afterExecution before the end (a Pause's CANCEL; not Exit, as before). */
  exitAfterExecution?: boolean;
  /** The execution was paused by an operator (not by a Pause task). */
  manualPause?: boolean;
  /** A LOOP execution: the outputs its tasks see from outside the loop (`loopRun` says which iteration). */
  loopOutputs?: Record<string, unknown>;
  /** A LOOP execution that runs its Loop's `finally` after the Loop's tasks (and errors). */
  loopFinally?: boolean;
  /** Errors worth showing on the execution itself (e.g. outputs that failed to render). */
  errors?: string[];
  /** The messages of the FAIL_EXECUTION checks that did not hold: the execution ends FAILED at its start. */
  failedChecks?: string[];
  /** Why a Flow trigger's inputs did not render or validate (Kestra 2.0): the execution ends FAILED at its start. */
  invalidInputs?: string[];
}
