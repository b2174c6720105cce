/**
 * The workflow's patches (Temporal's `patched`): every change to the interpretation that issues other
 * commands than the code before it (another activity, timer, child, marker, search-attribute upsert, a
 * continueAsNew, or the same ones in another order) is taken only behind `patched(<id>)`, so the runs that
 * started on the code before it replay as they ran. An id is never reused. Once no execution started
 * before a patch can still be running (and its recorded histories are re-recorded), the old branch may go:
 * `deprecatePatch(<id>)` for one release, then the id. See worker/temporal/README.md.
 */
export const PATCHES = {
  /** A run whose history is long drains and continues as a new run (execution.ts). */
  continueAsNew: "cadenza-continue-as-new",
  /** CadenzaTenant, CadenzaState... set at the start and upserted on each change (search-attributes.ts). */
  searchAttributes: "cadenza-search-attributes",
  /**
   * Light tasks (the plugins marked `inline`, which the embedded engine runs inside its transaction) are
   * local activities, and so is the ended execution's bookkeeping: fewer round trips to the server.
   */
  localWork: "cadenza-local-work",
  /**
   * A task attempt's last log lines come back with its result and are written by the step that applies it
   * (`runTask`'s `logTail`, `persist`'s `taskLogs`): one commit per task instead of two.
   */
  taskLogsInStep: "cadenza-task-logs-in-step",
  /**
   * Kestra 2.0's Loop runs each iteration as a child execution of kind LOOP (a child workflow) instead of
   * task runs of its own execution. Asked only when a Loop starts (StepEnv.loopExecutions is a getter), so
   * a run that never meets a Loop records no marker.
   */
  loopExecutions: "cadenza-loop-executions",
  /**
   * Kestra 2.0's rules for a Loop's iterations: each runs the Loop's `finally` (in the LOOP child workflow)
   * instead of once in the loop's own execution, and a file's lines are read as Ion values. Asked when a
   * Loop starts, beside loopExecutions.
   */
  loopIterationRules: "cadenza-loop-iteration-rules",
  /**
   * LoopUntil's `iterationCount` is the running iteration (Kestra: 1 during the first), not the ended ones:
   * a condition reading it may end the loop an iteration earlier. Asked when a LoopUntil starts.
   */
  loopUntilCountsCurrent: "cadenza-loopuntil-counts-current",
  /**
   * ForEachItem's `iterations` counts as Kestra's: the states passed through stay at 0, a ForEachItem that
   * does not wait counts its subflows SUCCESS. An expression reading them may take another branch. Asked
   * when a ForEachItem starts.
   */
  forEachItemKestraCounts: "cadenza-foreachitem-kestra-counts",
  /**
   * ForEachItem runs as Kestra's, through three child task runs `<id>_split`, `<id>_items`, `<id>_merge`
   * (StepEnv.forEachItemTasks): the split asks for `splits.txt`, the merge is a new activity. Asked when a
   * ForEachItem starts.
   */
  forEachItemTasks: "cadenza-foreachitem-tasks",
  /**
   * A Pause ends as Kestra 2.0's (StepEnv.pauseKestraOutcomes): CANCEL cancels the execution, a timeout
   * or FAIL runs the Pause's errors and finally. Other tasks run and the execution ends in another state.
   * Asked when a Pause starts.
   */
  pauseKestraOutcomes: "cadenza-pause-kestra-outcomes",
  /**
   * A WorkingDirectory's own `outputFiles` and `cache` are kept once its tasks are done (the
   * `saveWorkingDirectory` activity) instead of refused and ignored. Asked when a WorkingDirectory that has
   * either starts.
   */
  workingDirectoryFiles: "cadenza-working-directory-files",
  /**
   * parentOutput(), iterationOutput(), iterationOutputs() and outputFromIteration() answer in a flowable's
   * properties, where a call failed the task before: another branch, other commands. Asked when one is called.
   */
  iterationOutputFunctions: "cadenza-iteration-output-functions",
  /**
   * A Subflow run keeps an attempt per child and its `retry` starts a new child after a failed one
   * (StepEnv.subflowAttempts): a retry timer and more child workflows where the run ended FAILED. Asked
   * when a Subflow starts.
   */
  subflowAttempts: "cadenza-subflow-attempts",
  /**
   * The kill operation also kills the subflows started with `wait: false` (StepEnv.killUnwaitedSubflows):
   * more signals to other workflows. Asked at a kill, only when there is such a child.
   */
  killUnwaitedSubflows: "cadenza-kill-unwaited-subflows",
  /**
   * A parent's restart restarts its failed child in place (Subflow restartBehavior RETRY_FAILED): a new run
   * of the child's workflow id as a child workflow, where the run failed the task run at once; a child
   * whose restart is refused fails its run with the reason. Asked when a restartSubflow command runs, and
   * in a run whose first event, a restart, is refused.
   */
  restartSubflows: "cadenza-restart-subflows",
  /**
   * A Subflow's `scheduleDate` is waited for: the child workflow starts at once (so a kill reaches it) and
   * waits on a durable timer, CREATED, before its start; it started at once before. Asked when a Subflow
   * whose date is still ahead starts its child.
   */
  subflowScheduleDate: "cadenza-subflow-schedule-date",
  /**
   * A kill of this execution while a waited child is being created or started is signalled once the child
   * runs (the child's start awaited with startChild, its end with its result): the signal went out at once
   * before, reached no run, and the child ran on. Asked when a Subflow that waits starts its child.
   */
  killStartingSubflows: "cadenza-kill-starting-subflows",
  /**
   * Stands for every patch above at once (BASELINE): a run started on this code records one marker, and one
   * search-attribute upsert, instead of one of each per patch (four at every start). A run recorded before
   * it has no such marker and asks for each patch as it did. Its runs also set their search attributes
   * after the first step rather than before it too (one upsert, not two), and do the end's bookkeeping in
   * the last step's `persist` (one local activity, not two): 25 history events for a 2-task flow, not 33.
   */
  baseline: "cadenza-baseline-1",
} as const;

/**
 * The patches `baseline` stands for: every one before it, listed here once and never changed. A patch added
 * later is asked for on its own (a run recorded with the baseline marker predates it).
 */
export const BASELINE: ReadonlySet<string> = new Set([
  PATCHES.continueAsNew,
  PATCHES.searchAttributes,
  PATCHES.localWork,
  PATCHES.taskLogsInStep,
  PATCHES.loopExecutions,
  PATCHES.loopIterationRules,
  PATCHES.loopUntilCountsCurrent,
  PATCHES.forEachItemKestraCounts,
  PATCHES.forEachItemTasks,
  PATCHES.pauseKestraOutcomes,
  PATCHES.workingDirectoryFiles,
  PATCHES.iterationOutputFunctions,
  PATCHES.subflowAttempts,
  PATCHES.killUnwaitedSubflows,
  PATCHES.restartSubflows,
  PATCHES.subflowScheduleDate,
  PATCHES.killStartingSubflows,
]);
