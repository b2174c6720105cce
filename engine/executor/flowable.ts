import type { Task } from "../flow/model";
import type { SubflowEndedEvent, WorkingDirectorySavedEvent } from "./events";
import type { TaskRun } from "./model";
import type { StateType } from "./states";
import type { StepContext } from "./step-context";

/** A reviewer's decision on an Approval (the `review` event, Kestra's Approval.Decision and Pause.Resumed). */
export interface ReviewDecision {
  decision: "APPROVED" | "DENIED";
  comment?: string;
  /** Who decided: a user's name or email, an API token's name. */
  by?: string;
  /** Values for the Approval's review `inputs`. */
  inputs?: Record<string, unknown>;
}

/** A child task run a flowable wants created. */
export interface ChildSpec {
  task: Task;
  value?: string | null;
  iteration?: number | null;
  /** It starts while its parent is PAUSED (a Pause's `onPause`), instead of waiting for the resume. */
  whilePaused?: boolean;
}

/** What a flowable decides when the executor looks at it: children to create, and/or that it is done. */
export interface FlowableDecision {
  create?: ChildSpec[];
  /** Set when the flowable is finished, with its state before allowFailure/allowWarning are applied. */
  state?: StateType;
  /** Why it failed, logged on the task run. */
  error?: string;
  /** Children still running to end now, with their own children (Parallel `failFast`, Dag `onChildFailure`). */
  kill?: TaskRun[];
  /** The state `kill` ends them in; KILLED when unset. */
  killState?: StateType;
}

/** Given to flowable handlers: one flowable task run inside one step. */
export interface FlowableContext<P = Record<string, unknown>> {
  readonly step: StepContext;
  readonly task: Task & P;
  readonly run: TaskRun;
  /** False while the execution is paused, killing or exiting: handlers must not ask for new children. */
  readonly canCreate: boolean;
  children(): TaskRun[];
  /** Per-run state a handler keeps between steps (resolved loop values, received subflow results...). */
  internal<T = Record<string, unknown>>(): T;
  render(template: unknown, extra?: Record<string, unknown>): Promise<unknown>;
  truthy(template: unknown): Promise<boolean>;
  setOutputs(outputs: Record<string, unknown>): void;
  startTimer(kind: string, atMs: number): void;
}

/**
 * How the executor interprets a flowable task type. `resolve` is the one place that decides children and
 * completion; the event hooks only record what happened (into `internal`) for `resolve` to read.
 */
export interface FlowableHandler<P = Record<string, unknown>> {
  /**
   * Children it builds itself rather than reads from the flow (Kestra's ForEachItem.getTasks): the
   * executor finds a run's task among them when the flow does not have it.
   */
  internalTasks?(task: Task): Task[];
  /**
   * Its children share state outside the execution (WorkingDirectory's directory, gone once the execution
   * ended): a restart re-runs the whole block from its start rather than only its failed children.
   */
  restartsWhole?: boolean;
  /** Called once when the run goes RUNNING (render values, start timers, start subflows...). */
  start?(context: FlowableContext<P>): Promise<FlowableDecision | undefined> | FlowableDecision | undefined;
  resolve(context: FlowableContext<P>): Promise<FlowableDecision> | FlowableDecision;
  onTimer?(context: FlowableContext<P>, kind: string): void | Promise<void>;
  /**
   * The task's `timeout` elapsed. Returns true when the handler took it; otherwise (or without this hook)
   * the run's children are killed and it ends FAILED.
   */
  onTimeout?(context: FlowableContext<P>): boolean;
  onSubflowEnded?(context: FlowableContext<P>, event: SubflowEndedEvent): void | Promise<void>;
  /** `splits`: the file listing the batches, when the command asked for it (`splitsFile`). */
  onItemsSplit?(
    context: FlowableContext<P>,
    batches: string[],
    error?: string,
    splits?: string,
  ): void | Promise<void>;
  /** The driver wrote the merged subflow outputs (mergeSubflowOutputs): the file, or why not. */
  onOutputsMerged?(context: FlowableContext<P>, uri?: string, error?: string): void;
  onWorkingDirectorySaved?(context: FlowableContext<P>, event: WorkingDirectorySavedEvent): void;
  /** Resume of a PAUSED run; returns the outputs to set. Throws ExecutionOperationError on invalid inputs. */
  onResume?(context: FlowableContext<P>, inputs: Record<string, unknown>, by?: string): Promise<void> | void;
  /** A reviewer's decision on a PAUSED run (an Approval). Throws ExecutionOperationError when refused. */
  onReview?(context: FlowableContext<P>, review: ReviewDecision): Promise<void> | void;
  /** The execution is being killed while this run is active (e.g. kill the subflows it started). */
  onKill?(context: FlowableContext<P>): void;
  /**
   * The child executions this run started without waiting for them (`wait: false`), which a kill of this
   * execution kills too (Kestra's ExecutionService.killSubflowExecutions).
   */
  unwaitedChildren?(context: FlowableContext<P>): string[];
}
