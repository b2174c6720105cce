import type { ExprFunction, RenderOptions } from "../expr";
import type { Flow } from "../flow/model";
import type { PluginRegistry } from "../plugin/registry";
import type { Execution } from "./model";
import type { InputCipher } from "./secret-inputs";

/**
 * What `step` may ask of the world. Everything non-deterministic or I/O-bound comes from here, so that
 * the same flow, execution, event and env always give the same result.
 */
export interface StepEnv {
  now(): Date;
  /** A new unique id (task runs, child executions). */
  newId(): string;
  registry: PluginRegistry;
  /** Expression functions backed by I/O: kv(), secret(), read(), errorLogs()... (may return Promises). */
  functions?: Record<string, ExprFunction>;
  /** How many executions of this flow are running now, not counting this one (for `concurrency`). */
  runningCount?(flow: Flow, execution: Execution): Promise<number>;
  /** `envs` in expressions: environment variables exposed to flows (already filtered and prefix-stripped). */
  envs?: Record<string, string>;
  globals?: Record<string, unknown>;
  /** Seals SECRET inputs in the execution and opens them for templates; without it they stay plain. */
  inputCipher?: InputCipher;
  /**
   * Random numbers in [0, 1) for retry jitter and randomInt()/uuid() in expressions. Required, never
   * defaulted: a Temporal workflow replays `step` and must see the same numbers (tests pass a seeded one).
   */
  random(): number;
  /**
   * Kestra 2.0's Loop runs each iteration as a child execution of kind LOOP (the driver creates it through
   * `startSubflow`); unset, its iterations run inline as task runs of the loop's own execution. Decided once
   * per Loop run, at its start (a Temporal workflow sets it behind a `patched()` id, so old histories replay).
   */
  loopExecutions?: boolean;
  /**
   * Kestra 2.0's rules for a Loop's iterations, only with `loopExecutions`: each iteration runs the Loop's
   * `finally` (not once after them all), and a file's lines are read as Ion values (`"a b"` is `a b`, a
   * struct its JSON). Decided once per Loop run at its start, like it (a `patched()` id on Temporal).
   */
  loopIterationRules?: boolean;
  /**
   * LoopUntil's `iterationCount` output counts the iteration that runs, as Kestra's does (1 during the first,
   * so a condition on it sees the current iteration); unset, it counts the iterations ended (0 during the
   * first). Decided once per LoopUntil run at its start (a `patched()` id on Temporal).
   */
  loopUntilCountsCurrent?: boolean;
  /**
   * ForEachItem's `iterations` output keeps the states its subflows went through at 0, as Kestra's counters
   * do (`CREATED: 0, RUNNING: 0, FAILED: 26` once they all failed), and a ForEachItem that does not wait
   * counts its subflows SUCCESS (`RUNNING: 0, SUCCESS: 26`) instead of CREATED. Decided once per ForEachItem
   * run at its start (a `patched()` id on Temporal).
   */
  forEachItemKestraCounts?: boolean;
  /**
   * ForEachItem runs as Kestra's: three child task runs `<id>_split` (output `splits`), `<id>_items` (the
   * subflows; `numberOfBatches`, `iterations`) and `<id>_merge` (`subflowOutputs`, the subflows' flow
   * outputs in one file); unset, it runs as one task run. Decided once per ForEachItem run at its start (a
   * `patched()` id on Temporal).
   */
  forEachItemTasks?: boolean;
  /**
   * A Pause ends as Kestra 2.0's does when its pauseDuration or timeout elapses: `behavior: CANCEL` cancels
   * the execution (the Pause and the execution CANCELLED), a timeout or `behavior: FAIL` runs the Pause's
   * `errors` and `finally` before it ends FAILED, `behavior: WARN` runs its `tasks` and ends WARNING; unset,
   * CANCEL ends the Pause KILLED and the others end it at once. Decided once per Pause run at its start (a
   * `patched()` id on Temporal).
   */
  pauseKestraOutcomes?: boolean;
  /**
   * A WorkingDirectory's own `outputFiles` and `cache` are built (the `saveWorkingDirectory` command once its
   * tasks are done, the cache restored where its directory is created); unset, `outputFiles` is refused and
   * `cache` ignored, as before they were. Decided once per WorkingDirectory run that has either, at its start
   * (a `patched()` id on Temporal).
   */
  workingDirectoryFiles?: boolean;
  /**
   * Kestra 2.0's parentOutput(), iterationOutput(), iterationOutputs() and outputFromIteration() answer in a
   * flowable's properties; unset, calling one fails as it did before they were built. Asked when one is
   * called (a `patched()` id on Temporal: a recorded history where the call failed replays as it ran).
   */
  iterationOutputFunctions?: boolean;
  /**
   * A Subflow run keeps an attempt per child execution (Kestra's Subflow.createSubflowExecutionResult), and
   * a `retry` on it (or on an enclosing flowable, or the flow's RETRY_FAILED_TASK) starts a new child after
   * a failed one (Kestra's ExecutorService.handleRetryTask, RESTART_FAILED_TASK); unset, the run has no
   * attempts and the first failed child fails it. Decided once per Subflow run at its start (a `patched()`
   * id on Temporal: a flow could already set `retry` on a Subflow, which now takes timers and children).
   */
  subflowAttempts?: boolean;
  /**
   * A kill of the execution (the kill operation) also kills the subflows it started with `wait: false`, as
   * Kestra's kill cascades to every execution it triggered (ExecutionService.killSubflowExecutions); unset,
   * only the ones a running task waits for. Asked at the kill, only when there is such a child (a
   * `patched()` id on Temporal). The Kill task's `propagateKill` needs no such switch: it comes with the
   * task's result (TaskResultEvent.killSubflows), which an old history records without it.
   */
  killUnwaitedSubflows?: boolean;
}

/** What the expression engine needs from an env: its I/O-backed functions, its clock and its randomness. */
export function expressionOptions(env: {
  now(): Date;
  random(): number;
  functions?: Record<string, ExprFunction>;
}): RenderOptions {
  return { functions: env.functions, now: () => env.now(), random: () => env.random() };
}
