import type { Label, LogLevel, Metric } from "../plugin/types";
import type { ChangeableState } from "./change-state";
import type { ReviewDecision } from "./flowable";
import type { Execution, LoopIterationRequest } from "./model";
import type { StateType } from "./states";

/** Everything that can happen to an execution. `step` applies one at a time. */
export type ExecutionEvent =
  /** `force` (Kestra's force-run and unqueue) starts a CREATED or QUEUED execution past its flow's concurrency limit. */
  | { type: "start"; force?: boolean }
  | TaskResultEvent
  | { type: "timer"; timerId: string }
  | SubflowEndedEvent
  /** `splits`: the file listing the batch URIs one a line, when the command asked for it (`splitsFile`). */
  | { type: "itemsSplit"; taskRunId: string; batches: string[]; error?: string; splits?: string }
  /** The answer to mergeSubflowOutputs: the merged file, or why it could not be written. */
  | { type: "subflowOutputsMerged"; taskRunId: string; uri?: string; error?: string }
  | WorkingDirectorySavedEvent
  | { type: "attemptLost"; taskRunId: string; attempt: number; reason: string }
  | { type: "kill" }
  | { type: "pause" }
  /** `by`: who resumed it (a person's or a service account's name), for the Pause's `resumed` output. */
  | { type: "resume"; inputs?: Record<string, unknown>; by?: string }
  /**
   * A reviewer approves or denies a paused Approval (Kestra 2.0's review action). `taskRunId` names it when
   * several wait at once; without it the only one waiting is meant.
   */
  | ({ type: "review"; taskRunId?: string } & ReviewDecision)
  | { type: "restart" }
  /** Kestra's "change status" of a task run (ExecutionService.markAs), on an ended execution. */
  | { type: "changeTaskRunState"; taskRunId: string; state: ChangeableState }
  /** Kestra's execution-level change-status: an ended execution takes another terminal state. */
  | { type: "changeStatus"; state: StateType };

export interface TaskResultEvent {
  type: "taskResult";
  taskRunId: string;
  /** The attempt this result is for (1-based); results for an attempt that is no longer current are ignored. */
  attempt: number;
  state: "SUCCESS" | "WARNING" | "FAILED" | "KILLED";
  outputs?: Record<string, unknown>;
  error?: string;
  labels?: Label[];
  setVariables?: Record<string, unknown>;
  unsetVariables?: string[];
  exit?: StateType;
  /**
   * With `exit: KILLED`, the subflows this execution started without waiting are killed too (Kill's
   * `propagateKill`). It comes with the task's recorded result, so a Temporal history recorded before it
   * replays without it: no patch needed.
   */
  killSubflows?: boolean;
  metrics?: Metric[];
}

/**
 * A WorkingDirectory's files were kept (Kestra's WorkingDirectory.postExecuteTasks): its `outputFiles`
 * uploaded (`outputs`), its `cache` archived. `error` when the output files could not be kept (the
 * WorkingDirectory fails); `warnings` for what Kestra only logs (a cache that could not be written).
 */
export interface WorkingDirectorySavedEvent {
  type: "workingDirectorySaved";
  taskRunId: string;
  /** The execution's attempt number the save was asked in: a result from before a restart is ignored. */
  attempt: number;
  outputs?: Record<string, unknown>;
  error?: string;
  warnings?: string[];
}

export interface SubflowEndedEvent {
  type: "subflowEnded";
  taskRunId: string;
  /** For ForEachItem: which batch. */
  iteration?: number;
  executionId: string;
  state: StateType;
  /** The child's flow outputs. */
  outputs?: Record<string, unknown>;
  /** The child's task outputs (`outputs` as the child's expressions saw them), for the deprecated Subflow.outputs. */
  taskOutputs?: Record<string, unknown>;
  /** Set when the subflow could not even be created (unknown flow, invalid inputs). */
  error?: string;
}

/** What the driver must do after a step. */
export type ExecutorCommand =
  | { type: "runTask"; taskRunId: string; taskId: string; attempt: number; timeoutMs?: number }
  | { type: "cancelTask"; taskRunId: string; attempt: number }
  | { type: "startTimer"; timerId: string; at: string }
  | { type: "cancelTimer"; timerId: string }
  | StartSubflowCommand
  /** Restart a subflow execution that ended in failure; it reports its new end to `taskRunId` as before. */
  | { type: "restartSubflow"; taskRunId: string; executionId: string }
  | { type: "killExecution"; executionId: string }
  | {
      type: "splitItems";
      taskRunId: string;
      uri: string;
      rows?: number;
      bytes?: string;
      partitions?: number;
      separator: string;
      /** Send back the lines themselves rather than batch files (Loop over a storage file, one line each). */
      lines?: boolean;
      /** Also write `splits.txt`, the batch URIs one a line (Kestra's ForEachItemSplit output `splits`). */
      splitsFile?: boolean;
    }
  /**
   * ForEachItem's `<id>_merge`: write the subflows' flow outputs, one JSON line each (JSON is Ion text), to
   * one internal storage file and answer with `subflowOutputsMerged` (Kestra's ForEachItemMergeOutputs).
   */
  | { type: "mergeSubflowOutputs"; taskRunId: string; outputs: Record<string, unknown>[] }
  /**
   * A WorkingDirectory's tasks are done: keep its `outputFiles` and `cache` from the shared directory, on
   * the worker that holds it, and answer with `workingDirectorySaved` (same `attempt`).
   */
  | { type: "saveWorkingDirectory"; taskRunId: string; taskId: string; attempt: number }
  | { type: "executionEnded"; state: StateType }
  | { type: "createExecution"; reason: "retry"; at: string; attemptNumber: number };

export interface StartSubflowCommand {
  type: "startSubflow";
  taskRunId: string;
  iteration?: number;
  /** Id the child execution must be created with, chosen by the executor so the step stays deterministic. */
  executionId: string;
  namespace: string;
  flowId: string;
  revision?: number;
  inputs: Record<string, unknown>;
  labels: Label[];
  wait: boolean;
  scheduleDate?: string;
  /** Trigger recorded on the child execution. */
  trigger: { id: string; type: string; variables: Record<string, unknown> };
  parentId: string;
  /** Set for one iteration of a Loop: the child is an execution of kind LOOP of the same flow revision. */
  loop?: LoopIterationRequest;
}

export interface ExecutorLog {
  level: LogLevel;
  message: string;
  taskRunId?: string;
  taskId?: string;
  attempt?: number;
  timestamp: string;
}

export interface StepResult {
  execution: Execution;
  commands: ExecutorCommand[];
  logs: ExecutorLog[];
}
