import { z } from "zod";
import { duration, dyn, taskList } from "../../plugin/schema";
import { parseDuration } from "../../util/duration";
import { blockOf, sequentialList, withErrorsAndFinally } from "../blocks";
import type { FlowableHandler } from "../flowable";
import { isFailure } from "../states";
import { branchShape } from "./sequential";

export const loopUntilSchema = z.object({
  condition: z
    .union([z.string(), z.boolean().transform(String)])
    .describe("Evaluated after each iteration: the loop stops as soon as it is true."),
  tasks: taskList("Tasks of one iteration.", { min: 1 }),
  failOnMaxReached: dyn(z.boolean())
    .default(false)
    .describe("End FAILED instead of SUCCESS when a maximum is reached."),
  checkFrequency: z
    .strictObject({
      maxIterations: dyn(z.number().int().min(1))
        .optional()
        .describe("Stop after this many iterations (no limit by default)."),
      maxDuration: duration.optional().describe("Stop after this much time (no limit by default)."),
      interval: duration.default("PT1M").describe("Wait between two iterations."),
    })
    .default({ interval: "PT1M" }),
  ...branchShape,
});
export type LoopUntilProps = z.output<typeof loopUntilSchema>;

interface LoopState {
  /** The iteration whose children run now (1-based). */
  iteration: number;
  /** True while waiting `interval` before the next iteration. */
  waiting?: boolean;
  /** `iterationCount` is the running iteration (StepEnv.loopUntilCountsCurrent when the loop started). */
  countsCurrent?: boolean;
}

/** Runs its tasks, then evaluates the condition; repeats after `interval` until it holds or a maximum is reached. */
export const loopUntil: FlowableHandler<LoopUntilProps> = {
  start(ctx) {
    const state = ctx.internal<LoopState>();
    state.iteration = 1;
    if (ctx.step.env.loopUntilCountsCurrent) state.countsCurrent = true;
    // Kestra's LoopUntil.outputs: 1 while the first iteration runs, then one more per iteration started.
    ctx.setOutputs({ iterationCount: state.countsCurrent ? 1 : 0 });
    return undefined;
  },
  onTimer(ctx, kind) {
    const state = ctx.internal<LoopState>();
    if (kind === "next" && state.waiting) {
      state.waiting = false;
      state.iteration += 1;
      if (state.countsCurrent) ctx.setOutputs({ iterationCount: state.iteration });
    }
  },
  async resolve(ctx) {
    const state = ctx.internal<LoopState>();
    if (state.waiting) return {};
    const block = blockOf(ctx, { iteration: state.iteration });
    const result = sequentialList(block, ctx.task.tasks);
    if (result.state === undefined) return { create: result.create };
    const outer = blockOf(ctx, { iteration: null });
    if (isFailure(result.state))
      return withErrorsAndFinally(outer, result, ctx.task.errors, ctx.task.finally);

    ctx.setOutputs({ iterationCount: state.iteration });
    const done = await ctx.truthy(ctx.task.condition);
    const { maxIterations, maxDuration, interval } = ctx.task.checkFrequency;
    const elapsed = ctx.step.nowMs() - Date.parse(ctx.run.state.startDate);
    const maxReached =
      (maxIterations !== undefined && state.iteration >= maxIterations) ||
      (maxDuration !== undefined && elapsed >= (parseDuration(maxDuration) ?? Number.POSITIVE_INFINITY));
    if (done || maxReached) {
      if (!done)
        ctx.step.log(
          "WARN",
          maxIterations !== undefined && state.iteration >= maxIterations
            ? "Max iterations reached"
            : "Max duration reached",
          ctx.run,
        );
      const final = !done && ctx.task.failOnMaxReached ? "FAILED" : result.state;
      return withErrorsAndFinally(outer, { create: [], state: final }, ctx.task.errors, ctx.task.finally);
    }
    if (!ctx.canCreate) return {};
    state.waiting = true;
    ctx.startTimer("next", ctx.step.nowMs() + (parseDuration(interval) ?? 60_000));
    return {};
  },
};
