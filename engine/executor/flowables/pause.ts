import { z } from "zod";
import { inputSchema } from "../../flow/inputs-schema";
import { duration, dyn, taskList } from "../../plugin/schema";
import { parseDuration } from "../../util/duration";
import { blockOf, sequentialBlock } from "../blocks";
import type { FlowableHandler } from "../flowable";
import { resolveInputValues } from "../inputs";
import type { StateType } from "../states";
import { ExecutionOperationError } from "../step-context";
import { branchShape } from "./sequential";

export const pauseSchema = z.object({
  pauseDuration: duration.optional().describe("Resume automatically after this duration."),
  delay: duration.optional().describe("Deprecated alias of pauseDuration."),
  behavior: dyn(z.enum(["RESUME", "WARN", "FAIL", "CANCEL"]))
    .default("RESUME")
    .describe(
      "What happens when pauseDuration elapses: resume, or end the task in WARNING, FAILED or KILLED.",
    ),
  timeout: duration.optional().describe("Fail the task when it is still paused after this duration."),
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
}

const BEHAVIOR_STATES: Record<string, StateType> = { WARN: "WARNING", FAIL: "FAILED", CANCEL: "KILLED" };

/** Pauses the execution until it is resumed (API, UI, Resume task) or a duration elapses. */
export const pause: FlowableHandler<PauseProps> = {
  start(ctx) {
    const now = ctx.step.nowMs();
    const wait = ctx.task.pauseDuration ?? ctx.task.delay;
    if (wait) ctx.startTimer("elapsed", now + (parseDuration(wait) ?? 0));
    if (ctx.task.timeout) ctx.startTimer("timeout", now + (parseDuration(ctx.task.timeout) ?? 0));
    ctx.step.setState(ctx.run, "PAUSED");
    ctx.step.log("INFO", wait ? `Paused for ${wait}` : "Paused: waiting to be resumed", ctx.run);
    return undefined;
  },
  async onTimer(ctx, kind) {
    if (ctx.run.state.current !== "PAUSED") return;
    if (kind === "timeout") {
      ctx.internal<PauseState>().outcome = "FAILED";
      ctx.step.log("ERROR", `Pause timed out after ${ctx.task.timeout}`, ctx.run);
    } else if (kind === "elapsed") {
      const outcome = BEHAVIOR_STATES[ctx.task.behavior];
      if (outcome) ctx.internal<PauseState>().outcome = outcome;
      else await resumeWith(ctx, {});
    }
    ctx.step.setState(ctx.run, "RUNNING");
  },
  async onResume(ctx, inputs) {
    await resumeWith(ctx, inputs);
    ctx.step.setState(ctx.run, "RUNNING");
  },
  resolve(ctx) {
    const outcome = ctx.internal<PauseState>().outcome;
    if (outcome) return { state: outcome };
    if (ctx.task.tasks?.length)
      return sequentialBlock(blockOf(ctx), ctx.task.tasks, ctx.task.errors, ctx.task.finally);
    return { state: "SUCCESS" };
  },
};

async function resumeWith(
  ctx: Parameters<NonNullable<FlowableHandler<PauseProps>["onResume"]>>[0],
  inputs: Record<string, unknown>,
) {
  if (!ctx.task.onResume?.length) return;
  const variables = ctx.step.variables(ctx.task, ctx.run);
  const result = await resolveInputValues(ctx.task.onResume, inputs, (template, values) =>
    ctx.step.renderWith({ ...variables, inputs: values }, template),
  );
  if (result.errors.length > 0) {
    throw new ExecutionOperationError(
      `invalid resume inputs: ${result.errors.map((e) => `${e.input}: ${e.message}`).join("; ")}`,
      "INVALID_INPUT",
    );
  }
  ctx.setOutputs({ ...(ctx.run.outputs ?? {}), onResume: result.values });
}
