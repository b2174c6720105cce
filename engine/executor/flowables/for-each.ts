import { z } from "zod";
import type { Task } from "../../flow/model";
import { dyn, taskList } from "../../plugin/schema";
import { blocksByValue, parallelList, sequentialList, withErrorsAndFinally } from "../blocks";
import type { ChildSpec, FlowableContext, FlowableDecision, FlowableHandler } from "../flowable";
import type { TaskRun } from "../model";
import { isFailure, isTerminal, type StateType, worstOf } from "../states";
import { branchShape } from "./sequential";

const valuesSchema = z
  .union([z.string(), z.array(z.unknown())])
  .describe("The values to iterate over: a list, or a string holding a JSON list (often an expression).");

export const forEachSchema = z.object({
  values: valuesSchema,
  concurrencyLimit: dyn(z.number().int().min(0))
    .default(1)
    .describe("How many values are processed at once: 1 (default) one after the other, 0 all at once."),
  // A new property: flows written before it never set it, and its default is what ForEach always did, so
  // their recorded Temporal histories replay unchanged without a patch id.
  childFailurePolicy: z
    .enum(["STOP", "FAIL_FAST", "CONTINUE"])
    .default("STOP")
    .describe(
      "Kestra 2.0, when `concurrencyLimit` is not 1: once a value's tasks fail, STOP (default) starts no new value and awaits the running ones; FAIL_FAST also kills the running ones (KILLED); CONTINUE starts every value and fails once all have ended.",
    ),
  tasks: taskList("Tasks run for each value; `{{ taskrun.value }}` holds the value.", { min: 1 }),
  ...branchShape,
});
export type ChildFailurePolicy = "STOP" | "FAIL_FAST" | "CONTINUE";
export type ForEachProps = z.output<typeof forEachSchema>;

export const eachSequentialSchema = z.object({
  value: valuesSchema,
  tasks: taskList("Tasks run for each value, one value after the other.", { min: 1 }),
  ...branchShape,
});
export const eachParallelSchema = z.object({
  value: valuesSchema,
  concurrent: dyn(z.number().int().min(0)).default(0),
  tasks: taskList("Tasks run for each value, all values at once.", { min: 1 }),
  ...branchShape,
});

interface LoopState {
  values?: string[];
}

/** Renders the loop values once, when the loop starts, so a loop never changes shape while it runs. */
async function resolveValues(ctx: FlowableContext, raw: unknown): Promise<FlowableDecision | undefined> {
  let rendered = await ctx.render(raw);
  if (typeof rendered === "string") {
    try {
      rendered = JSON.parse(rendered);
    } catch {
      return { state: "FAILED", error: `values must be a list or a JSON list, got '${rendered}'` };
    }
  }
  if (!Array.isArray(rendered)) {
    return {
      state: "FAILED",
      error: `values must be a list, got ${rendered === null ? "null" : typeof rendered}`,
    };
  }
  const nulls = rendered.filter((v) => v === null || v === undefined).length;
  if (nulls > 0) {
    return {
      state: "FAILED",
      error: `Found '${nulls}' null values on Each, with values=${JSON.stringify(rendered)}`,
    };
  }
  const values = [...new Set(rendered.map((v) => (typeof v === "string" ? v : JSON.stringify(v))))];
  ctx.internal<LoopState>().values = values;
  return undefined;
}

/**
 * Runs `tasks` once per value, `limit` values at a time (0 = all), each value's tasks one after the other
 * (or side by side when `parallelInside`). A failure stops new values from starting, unless `policy` is
 * CONTINUE; with FAIL_FAST it also kills the values still running.
 */
function resolveGroups(
  ctx: FlowableContext,
  tasks: readonly Task[],
  errors: readonly Task[] | undefined,
  finallyTasks: readonly Task[] | undefined,
  limit: number,
  parallelInside: boolean,
  policy: ChildFailurePolicy = "STOP",
): FlowableDecision {
  // A value whose tasks are all disabled has nothing to run: the loop ends as if over no values (Kestra's
  // EachSequentialTest.eachDisabledTasks); waiting for a first child that is never created hung it.
  const values = tasks.some((t) => !t.disabled) ? (ctx.internal<LoopState>().values ?? []) : [];
  const create: ChildSpec[] = [];
  const states: StateType[] = [];
  const notStarted: number[] = [];
  const active: TaskRun[] = [];
  let running = 0;
  const blockFor = blocksByValue(ctx);
  values.forEach((value, index) => {
    const block = blockFor(value);
    if (block.runs.length === 0) {
      notStarted.push(index);
      return;
    }
    block.iteration = index;
    const result = parallelInside ? parallelList(block, tasks, 0) : sequentialList(block, tasks);
    if (result.state === undefined) {
      running++;
      const live = block.runs.filter((r) => !isTerminal(r.state.current));
      active.push(...live);
      // A value between two of its tasks has nothing to kill: it creates its next one, killed next pass.
      if (policy !== "FAIL_FAST" || live.length === 0) create.push(...result.create);
    } else {
      states.push(result.state);
    }
  });
  const failed = states.some(isFailure);
  if (failed && policy === "FAIL_FAST" && active.length > 0) return { create, kill: active };
  if ((!failed || policy === "CONTINUE") && ctx.canCreate) {
    const slots = limit > 0 ? Math.max(0, limit - running) : notStarted.length;
    for (const index of notStarted.slice(0, slots)) {
      const value = values[index] as string;
      const block = { ...blockFor(value), iteration: index };
      const first = parallelInside ? parallelList(block, tasks, 0) : sequentialList(block, tasks);
      create.push(...first.create);
    }
  }
  const more = notStarted.length > 0 && (!failed || policy === "CONTINUE");
  if (running > 0 || create.length > 0 || more) return { create };
  // errors / finally of a loop run once, outside any value.
  const outer = blockFor(null);
  return withErrorsAndFinally(outer, { create: [], state: worstOf(states) }, errors, finallyTasks);
}

export const forEach: FlowableHandler<ForEachProps> = {
  start: (ctx) => resolveValues(ctx, ctx.task.values),
  resolve: (ctx) =>
    resolveGroups(
      ctx,
      ctx.task.tasks,
      ctx.task.errors,
      ctx.task.finally,
      ctx.task.concurrencyLimit,
      false,
      // Kestra applies it only to concurrent values; one at a time, a failure stops the loop anyway.
      ctx.task.concurrencyLimit === 1 ? "STOP" : ctx.task.childFailurePolicy,
    ),
};

type EachProps = z.output<typeof eachParallelSchema>;

export const eachSequential: FlowableHandler<EachProps> = {
  start: (ctx) => resolveValues(ctx, ctx.task.value),
  resolve: (ctx) => resolveGroups(ctx, ctx.task.tasks, ctx.task.errors, ctx.task.finally, 1, false),
};

export const eachParallel: FlowableHandler<EachProps> = {
  start: (ctx) => resolveValues(ctx, ctx.task.value),
  resolve: (ctx) =>
    resolveGroups(ctx, ctx.task.tasks, ctx.task.errors, ctx.task.finally, ctx.task.concurrent ?? 0, true),
};
