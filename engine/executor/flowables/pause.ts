import { z } from "zod";
import { inputSchema } from "../../flow/inputs-schema";
import type { Task } from "../../flow/model";
import { duration, dyn, taskList, taskRef } from "../../plugin/schema";
import { parseDuration } from "../../util/duration";
import { blockOf, sequentialBlock, withErrorsAndFinally } from "../blocks";
import type { FlowableContext, FlowableDecision, FlowableHandler } from "../flowable";
import { isTerminal, type StateType } from "../states";
import { pausedInputValues } from "./paused-inputs";
import { branchShape } from "./sequential";

export const pauseSchema = z.object({
  pauseDuration: duration.optional().describe("Resume automatically after this duration."),
  delay: duration.optional().describe("Deprecated alias of pauseDuration."),
  behavior: dyn(z.enum(["RESUME", "WARN", "FAIL", "CANCEL"]))
    .default("RESUME")
    .describe(
      "What happens when pauseDuration elapses: resume; end the Pause WARNING (its tasks still run) or FAILED " +
        "(its errors and finally run); or CANCEL the execution (the Pause and the execution end CANCELLED).",
    ),
  timeout: duration
    .optional()
    .describe("Fail the Pause when it is still paused after this duration (its errors and finally run)."),
  // Before `tasks`: the graph draws it first in the Pause's box, as Kestra's Pause.tasksTree does.
  onPause: taskRef
    .optional()
    .describe(
      "A runnable task started when the Pause pauses, while the execution waits (a notification, for instance). " +
        "The Pause ends once it has ended too; its state does not change the Pause's.",
    ),
  onResume: z
    .array(inputSchema)
    .optional()
    .describe("Inputs asked when resuming, available as outputs.<id>.onResume."),
  tasks: taskList("Deprecated: tasks run after the pause.").optional(),
  ...branchShape,
});
export type PauseProps = z.output<typeof pauseSchema>;

interface PauseState {
  /** Set when the pause ends without resuming (timeout or a non-RESUME behavior). */
  outcome?: StateType;
  /** Kestra 2.0's ends (StepEnv.pauseKestraOutcomes when the run started). */
  kestra?: boolean;
}

/** Kestra's Pause.Behavior.mapToState. */
const BEHAVIOR_STATES: Record<string, StateType> = { WARN: "WARNING", FAIL: "FAILED", CANCEL: "CANCELLED" };
/** A Pause started before pauseKestraOutcomes (an old Temporal history): CANCEL ended it KILLED. */
const EARLIER_BEHAVIOR_STATES: Record<string, StateType> = {
  WARN: "WARNING",
  FAIL: "FAILED",
  CANCEL: "KILLED",
};

type Context = FlowableContext<PauseProps>;

/**
 * Pauses the execution until it is resumed (API, UI, Resume task) or a duration elapses. The end follows
 * Kestra 2.0's ExecutorService.handlePausedDelay and ExecutionService.markAs: when pauseDuration elapses the
 * behavior gives the Pause's terminal state (CANCEL also ends the execution CANCELLED at once), when timeout
 * elapses it is FAILED; a Pause with tasks, errors or finally then runs them as Pause.resolveNexts does with
 * that terminal state (errors when FAILED).
 */
export const pause: FlowableHandler<PauseProps> = {
  start(ctx) {
    const state = ctx.internal<PauseState>();
    if (ctx.step.env.pauseKestraOutcomes) state.kestra = true;
    const now = ctx.step.nowMs();
    const wait = ctx.task.pauseDuration ?? ctx.task.delay;
    if (wait) ctx.startTimer("elapsed", now + (parseDuration(wait) ?? 0));
    // The executor arms the task's `timeout` already; the earlier rule armed it a second time.
    if (ctx.task.timeout && !state.kestra)
      ctx.startTimer("timeout", now + (parseDuration(ctx.task.timeout) ?? 0));
    const onPause = ctx.task.onPause;
    if (onPause && !onPause.disabled && ctx.step.pluginOf(onPause).kind === "flowable") {
      throw new Error(`onPause: '${onPause.id}' is a flowable task; onPause takes a runnable task`);
    }
    ctx.step.setState(ctx.run, "PAUSED");
    ctx.step.log("INFO", wait ? `Paused for ${wait}` : "Paused: waiting to be resumed", ctx.run);
    // Kestra's ExecutorService starts the onPause task as the Pause pauses.
    if (onPause && !onPause.disabled) return { create: [{ task: onPause, whilePaused: true }] };
    return undefined;
  },
  async onTimer(ctx, kind) {
    if (ctx.run.state.current !== "PAUSED") return;
    const state = ctx.internal<PauseState>();
    if (kind === "timeout") {
      timedOut(ctx);
      return;
    }
    if (kind !== "elapsed") return;
    const outcome = (state.kestra ? BEHAVIOR_STATES : EARLIER_BEHAVIOR_STATES)[ctx.task.behavior];
    if (outcome === "CANCELLED") {
      // Kestra's markAs: "we need to cancel immediately or the executor will process the next task".
      ctx.step.log(
        "WARN",
        `Pause ended after ${ctx.task.pauseDuration ?? ctx.task.delay}: cancelling`,
        ctx.run,
      );
      resumed(ctx, "CANCELLED");
      ctx.step.exit(ctx.run, "CANCELLED", { afterExecution: true });
      return;
    }
    if (outcome) state.outcome = outcome;
    else await resumeWith(ctx, {});
    resumed(ctx, outcome ?? "SUCCESS");
    ctx.step.setState(ctx.run, "RUNNING");
  },
  onTimeout(ctx) {
    if (!ctx.internal<PauseState>().kestra) return false;
    // As Kestra's ExecutionDelayProcessor: a Pause no longer paused (resumed, running its tasks) ignores it.
    if (ctx.run.state.current === "PAUSED") timedOut(ctx);
    return true;
  },
  async onResume(ctx, inputs, by) {
    await resumeWith(ctx, inputs);
    resumed(ctx, "SUCCESS", by);
    ctx.step.setState(ctx.run, "RUNNING");
  },
  resolve(ctx) {
    // The Pause ends once its onPause task has: nothing after it starts while the notification still runs.
    const onPause = ctx.task.onPause;
    if (onPause && ctx.children().some((r) => r.taskId === onPause.id && !isTerminal(r.state.current)))
      return {};
    const state = ctx.internal<PauseState>();
    const block = blockOf(ctx);
    const tasks: readonly Task[] = ctx.task.tasks ?? [];
    const outcome = state.outcome;
    if (!outcome) {
      if (tasks.length > 0) return sequentialBlock(block, tasks, ctx.task.errors, ctx.task.finally);
      return { state: "SUCCESS" };
    }
    if (!state.kestra) return { state: outcome };
    if (outcome === "FAILED")
      return withErrorsAndFinally(block, { create: [], state: "FAILED" }, ctx.task.errors, ctx.task.finally);
    // WARN: Pause.resolveState turns the block's SUCCESS into WARNING.
    const decision: FlowableDecision = sequentialBlock(block, tasks, ctx.task.errors, ctx.task.finally);
    return decision.state === "SUCCESS" ? { ...decision, state: outcome } : decision;
  },
};

/** The Pause's own `timeout` elapsed while paused: it ends FAILED (Kestra's State.Type.fail). */
function timedOut(ctx: Context): void {
  ctx.internal<PauseState>().outcome = "FAILED";
  ctx.step.log("ERROR", `Pause timed out after ${ctx.task.timeout}`, ctx.run);
  resumed(ctx, "FAILED");
  ctx.step.setState(ctx.run, "RUNNING");
}

/**
 * Kestra 2.0's `resumed` output (Pause.Resumed): who resumed the Pause (absent when its time elapsed), when,
 * and the state it ended towards.
 */
function resumed(ctx: Context, to: StateType, by?: string): void {
  const on = new Date(ctx.step.nowMs()).toISOString();
  ctx.setOutputs({ ...(ctx.run.outputs ?? {}), resumed: { by: by ?? null, on, to } });
}

async function resumeWith(ctx: Context, inputs: Record<string, unknown>) {
  if (!ctx.task.onResume?.length) return;
  const values = await pausedInputValues(ctx, ctx.task.onResume, inputs, "resume");
  ctx.setOutputs({ ...(ctx.run.outputs ?? {}), onResume: values });
}
