import { z } from "zod";
import { isTruthy, parseIonValue } from "../../expr";
import { dyn, taskList } from "../../plugin/schema";
import { type BlockRuns, sequentialList, withErrorsAndFinally } from "../blocks";
import type { SubflowEndedEvent } from "../events";
import type { ChildSpec, FlowableContext, FlowableDecision, FlowableHandler } from "../flowable";
import {
  type IterationRef,
  iterationsOf,
  iterationVariables,
  type LoopInternal,
  loopRunItem,
} from "../loop-scope";
import type { LoopRun, TaskRun } from "../model";
import { outputsOf } from "../outputs";
import { isFailure, type StateType, worstOf } from "../states";
import { branchShape } from "./sequential";
import { stateFromChild } from "./subflow";

const declaredOutput = z.strictObject({
  id: z.string().min(1),
  type: z.string().optional(),
  value: z.unknown(),
});

export const loopSchema = z
  .object({
    values: z
      .union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
      .describe(
        "What to iterate over: a list, a map (`item.key` is the key), a string holding a JSON list or map, " +
          "or a `kestra://` file in internal storage (one iteration per line).",
      ),
    concurrencyLimit: dyn(z.number().int().min(0))
      .default(0)
      .describe("How many iterations run at once: 0 (default) all, 1 one after the other."),
    breakWhen: z
      .string()
      .optional()
      .describe(
        "Expression evaluated when an iteration ends, with its `item` and outputs: when true, no further " +
          "iteration starts (the running ones finish) and the loop succeeds.",
      ),
    transmitFailed: z
      .boolean()
      .default(true)
      .describe(
        "A failed iteration fails the loop and stops new iterations (default); when false the loop goes on and succeeds.",
      ),
    outputs: z
      .union([z.record(z.string(), z.unknown()), z.array(declaredOutput)])
      .optional()
      .describe(
        "Outputs rendered at the end of each iteration, in its context (`{{ outputs.task.value }}` reads the " +
          "iteration's own task): collected in the loop's `outputs` list as `{item, outputs}`.",
      ),
    fetchType: z
      .enum(["AUTO", "FETCH", "FETCH_ONE", "NONE", "STORE"])
      .default("AUTO")
      .describe(
        "How the loop exposes the iterations' outputs: AUTO (default) and FETCH every iteration in the " +
          "`outputs` list, FETCH_ONE the first only, NONE none.",
      ),
    tasks: taskList("Tasks run one after the other in each iteration; `{{ item.value }}` is its value.", {
      min: 1,
    }),
    errors: taskList(
      "Tasks run inside an iteration that failed, with its `item` (they do not make it succeed).",
    ).optional(),
    finally: branchShape.finally,
  })
  .superRefine((task, ctx) => {
    // Storing the outputs as a file needs storage I/O at the end of the loop: not built yet, said plainly.
    if (task.fetchType === "STORE")
      ctx.addIssue({
        code: "custom",
        path: ["fetchType"],
        message:
          "fetchType STORE is not supported by Cadenza yet: use AUTO (the default), FETCH or FETCH_ONE",
      });
  });
export type LoopProps = z.output<typeof loopSchema>;

interface IterationRecord {
  state: StateType;
  outputs?: Record<string, unknown>;
}

interface LoopState extends LoopInternal {
  error?: string;
  /** How many iterations were started; they start in index order. */
  next?: number;
  /** Iterations that ended, by index: their state and declared outputs. */
  done?: Record<string, IterationRecord>;
  /** breakWhen held: no further iteration starts. */
  broken?: boolean;
  /** Iterations run as LOOP executions (the env's choice when the run started): their ids, by index. */
  executions?: Record<string, string>;
  /** Each iteration runs the loop's `finally` (Kestra 2.0); unset, it runs once after them all. */
  finallyInIterations?: boolean;
  /** A file's lines are Ion values, each iteration's value their text (Kestra 2.0); unset, the raw lines. */
  ionLines?: boolean;
  /** Iterations to run again (failed before a restart), before any new one. */
  retry?: number[];
  /** What the run kept before its execution was restarted. */
  previous?: LoopState;
}

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * One line of a `values` file as Kestra 2.0 reads it: an Ion value, coalesced to text (a string or symbol
 * as itself, a struct or list as its JSON). A number, boolean or null keeps the line's own text (`1.50`
 * stays `1.50`), and a line that is not one Ion value (`hello world`) stays as written, so a plain text
 * file loops over its lines unchanged.
 */
function ionLineValue(line: string): string {
  try {
    const value = parseIonValue(line);
    if (typeof value === "string") return value;
    return value !== null && typeof value === "object" ? JSON.stringify(value) : line;
  } catch {
    return line;
  }
}

/** Renders `values` once, when the loop starts: a loop never changes shape while it runs. */
async function resolveValues(ctx: FlowableContext<LoopProps>): Promise<FlowableDecision | undefined> {
  const state = ctx.internal<LoopState>();
  let rendered = await ctx.render(ctx.task.values);
  if (typeof rendered === "string") {
    const text = rendered.trim();
    if (text.startsWith("kestra://")) {
      // Reading the file is I/O: the driver sends its lines back (itemsSplit).
      ctx.step.command({
        type: "splitItems",
        taskRunId: ctx.run.id,
        uri: text,
        separator: "\n",
        lines: true,
      });
      return undefined;
    }
    try {
      rendered = JSON.parse(text);
    } catch {
      return {
        state: "FAILED",
        error: `values must be a list, a map, JSON or a kestra:// URI, got '${text}'`,
      };
    }
  }
  if (Array.isArray(rendered)) {
    if (rendered.some((v) => v === null || v === undefined))
      return { state: "FAILED", error: `values must not hold null, got ${JSON.stringify(rendered)}` };
    state.loopValues = rendered.map(asText);
    return undefined;
  }
  if (rendered !== null && typeof rendered === "object") {
    const entries = Object.entries(rendered as Record<string, unknown>);
    state.loopKeys = entries.map(([key]) => key);
    state.loopValues = entries.map(([, value]) => asText(value ?? null));
    return undefined;
  }
  return {
    state: "FAILED",
    error: `values must be a list or a map, got ${rendered === null ? "null" : typeof rendered}`,
  };
}

/** The loop's children grouped by iteration (index), plus its own errors/finally runs (no iteration). */
function groupChildren(children: TaskRun[]): { byIteration: Map<number, TaskRun[]>; outer: TaskRun[] } {
  const byIteration = new Map<number, TaskRun[]>();
  const outer: TaskRun[] = [];
  for (const run of children) {
    if (typeof run.iteration !== "number") {
      outer.push(run);
      continue;
    }
    const list = byIteration.get(run.iteration);
    if (list) list.push(run);
    else byIteration.set(run.iteration, [run]);
  }
  return { byIteration, outer };
}

function block(
  ctx: FlowableContext,
  runs: TaskRun[],
  value: string | null,
  iteration: number | null,
): BlockRuns {
  return {
    runs,
    canCreate: ctx.canCreate,
    value,
    iteration,
    killing: ctx.step.execution.state.current === "KILLING",
  };
}

function declaredOutputs(outputs: LoopProps["outputs"]): Record<string, unknown> | undefined {
  if (!outputs) return undefined;
  if (!Array.isArray(outputs)) return outputs;
  return Object.fromEntries(outputs.map((o) => [o.id, o.value]));
}

/** One iteration: its tasks in order, then `errors` inside it when one failed (the iteration stays failed). */
function iteration(runs: BlockRuns, task: LoopProps): FlowableDecision {
  return withErrorsAndFinally(runs, sequentialList(runs, task.tasks), task.errors, undefined);
}

/** Renders the declared outputs and `breakWhen` in the context of one ended iteration. */
async function endIteration(
  ctx: FlowableContext<LoopProps>,
  index: number,
  state: StateType,
): Promise<IterationRecord> {
  const { step, run, task } = ctx;
  const byId = step.runIndex();
  const refs: IterationRef[] = [{ loop: run, index }, ...iterationsOf(run, byId)];
  const scope = iterationVariables(step.execution, byId, refs, outputsOf(step.execution, byId));
  const record: IterationRecord = { state };
  try {
    const declared = declaredOutputs(task.outputs);
    if (declared) record.outputs = (await ctx.render(declared, scope)) as Record<string, unknown>;
    if (task.breakWhen !== undefined && isTruthy(await ctx.render(task.breakWhen, scope)))
      ctx.internal<LoopState>().broken = true;
  } catch (error) {
    step.log("ERROR", `iteration ${index}: ${(error as Error).message}`, run);
    record.state = "FAILED";
  }
  return record;
}

function loopOutputs(ctx: FlowableContext<LoopProps>, running: number): void {
  const state = ctx.internal<LoopState>();
  const done = state.done ?? {};
  const indexes = Object.keys(done)
    .map(Number)
    .sort((a, b) => a - b);
  const outputs: Record<string, unknown> = {
    iterationCount: state.next ?? 0,
    runningIterations: running,
    terminatedIterations: indexes.length,
  };
  if (ctx.task.fetchType !== "NONE") {
    const entries = indexes.map((index) => {
      // Kestra names the position `iteration` here and `index` inside the loop: both are given.
      const item: Record<string, unknown> = { value: state.loopValues?.[index], index, iteration: index };
      const key = state.loopKeys?.[index];
      if (key !== undefined) item.key = key;
      return { item, outputs: done[String(index)]?.outputs ?? {} };
    });
    outputs.outputs = ctx.task.fetchType === "FETCH_ONE" ? entries.slice(0, 1) : entries;
  }
  ctx.setOutputs(outputs);
}

/**
 * Kestra 2.0's Loop. Each iteration is a group of task runs under the loop's run, every run carrying the
 * iteration's index (`iteration`) and value (`value`); `item` and the iteration's own outputs come from
 * loop-scope.ts. Iterations start in order, at most `concurrencyLimit` at once.
 */
async function resolveLoop(ctx: FlowableContext<LoopProps>): Promise<FlowableDecision> {
  const state = ctx.internal<LoopState>();
  if (state.error) return { state: "FAILED", error: state.error };
  const values = state.loopValues;
  if (!values) return {};
  if (state.executions) return resolveExecutions(ctx, values);
  const { task } = ctx;
  const done = (state.done ??= {});
  const { byIteration, outer } = groupChildren(ctx.children());
  const create: ChildSpec[] = [];
  let running = 0;
  const started = state.next ?? 0;
  for (let index = 0; index < started; index++) {
    const runs = byIteration.get(index) ?? [];
    const result = iteration(block(ctx, runs, values[index] ?? null, index), task);
    if (result.state === undefined) {
      running++;
      create.push(...(result.create ?? []));
      // A restarted iteration runs again: forget how it ended.
      delete done[String(index)];
    } else if (done[String(index)]?.state !== result.state) {
      done[String(index)] = await endIteration(ctx, index, result.state);
    }
  }
  const records = Object.values(done);
  const stopped = state.broken || (task.transmitFailed && records.some((r) => isFailure(r.state)));
  if (!stopped && ctx.canCreate) {
    const limit = Number(task.concurrencyLimit);
    let slots = limit > 0 ? Math.max(0, limit - running) : values.length - started;
    let next = started;
    while (slots > 0 && next < values.length) {
      const index = next++;
      const first = iteration(block(ctx, [], values[index] ?? null, index), task);
      if (first.state === undefined) {
        create.push(...(first.create ?? []));
        running++;
        slots--;
      } else {
        done[String(index)] = { state: first.state };
      }
    }
    state.next = next;
  }
  loopOutputs(ctx, running);
  if (running > 0 || create.length > 0) return { create };
  if (!stopped && (state.next ?? 0) < values.length) return { create };
  const states = Object.values(done).map((r) => stateFromChild(r.state, task.transmitFailed));
  // finally runs once, after every iteration, outside them.
  return withErrorsAndFinally(
    block(ctx, outer, null, null),
    { create: [], state: worstOf(states) },
    undefined,
    task.finally,
  );
}

// ------------------------------------------------------------ iterations as LOOP executions

/** The loopRun of iteration `index`: this loop's item, the enclosing iterations' as its parents. */
function iterationLoopRun(ctx: FlowableContext<LoopProps>, index: number): LoopRun {
  const { step, run } = ctx;
  const state = ctx.internal<LoopState>();
  const own = step.execution.loopRun;
  const loopRun: LoopRun = {
    executionId: step.execution.id,
    taskId: run.taskId,
    taskRunId: run.id,
    value: state.loopValues?.[index] ?? "",
    index,
    parents: own
      ? [
          { value: own.value, index: own.index, ...(own.key !== undefined ? { key: own.key } : {}) },
          ...own.parents,
        ]
      : [],
  };
  const key = state.loopKeys?.[index];
  if (key !== undefined) loopRun.key = key;
  return loopRun;
}

/** Starts iteration `index` as a child execution of kind LOOP of this flow revision. */
function startIteration(ctx: FlowableContext<LoopProps>, index: number): void {
  const { step, run, task } = ctx;
  const execution = step.execution;
  // The outputs the iteration sees, but the loop's own: they list every ended iteration, so each new
  // iteration's document would copy all those before it: 33 kB a document on average over 3,000 lines,
  // written, read and cloned at every step of the iteration (bench/loop-nested.ts).
  const { [run.taskId]: _own, ...outputs } = (step.variables(task, run).outputs ?? {}) as Record<
    string,
    unknown
  >;
  const executionId = step.env.newId();
  (ctx.internal<LoopState>().executions ??= {})[String(index)] = executionId;
  step.command({
    type: "startSubflow",
    taskRunId: run.id,
    iteration: index,
    executionId,
    namespace: execution.namespace,
    flowId: execution.flowId,
    revision: execution.flowRevision,
    inputs: execution.inputs,
    labels: execution.labels,
    wait: true,
    ...(execution.trigger ? { trigger: execution.trigger as never } : { trigger: noTrigger(ctx) }),
    parentId: execution.id,
    loop: {
      run: iterationLoopRun(ctx, index),
      outputs,
      ...(execution.variables ? { variables: execution.variables } : {}),
      ...(ctx.internal<LoopState>().finallyInIterations ? { finally: true } : {}),
    },
  });
}

function noTrigger(ctx: FlowableContext<LoopProps>) {
  return { id: ctx.task.id, type: ctx.task.type, variables: { executionId: ctx.step.execution.id } };
}

/** Renders the declared outputs and `breakWhen` for an iteration that ran as an execution. */
async function endIterationExecution(
  ctx: FlowableContext<LoopProps>,
  index: number,
  event: SubflowEndedEvent,
): Promise<IterationRecord> {
  const { step, run, task } = ctx;
  const record: IterationRecord = { state: event.error ? "FAILED" : event.state };
  if (event.error) step.log("ERROR", `iteration ${index}: ${event.error}`, run);
  const outer = (step.variables(task, run).outputs ?? {}) as Record<string, unknown>;
  const scope = {
    item: loopRunItem(iterationLoopRun(ctx, index)),
    outputs: { ...outer, ...event.taskOutputs },
    iteration: { executionId: event.executionId, state: record.state, outputs: event.taskOutputs ?? {} },
  };
  try {
    const declared = declaredOutputs(task.outputs);
    if (declared) record.outputs = (await ctx.render(declared, scope)) as Record<string, unknown>;
    if (task.breakWhen !== undefined && isTruthy(await ctx.render(task.breakWhen, scope)))
      ctx.internal<LoopState>().broken = true;
  } catch (error) {
    step.log("ERROR", `iteration ${index}: ${(error as Error).message}`, run);
    record.state = "FAILED";
  }
  return record;
}

/** Kestra 2.0's way: each iteration is an execution of kind LOOP; the loop waits for them to end. */
function resolveExecutions(ctx: FlowableContext<LoopProps>, values: string[]): FlowableDecision {
  const state = ctx.internal<LoopState>();
  const { task } = ctx;
  const done = (state.done ??= {});
  const executions = (state.executions ??= {});
  const retry = (state.retry ??= []);
  let running = Object.keys(executions).filter((index) => !done[index]).length;
  const records = Object.values(done);
  const stopped = state.broken || (task.transmitFailed && records.some((r) => isFailure(r.state)));
  if (!stopped && ctx.canCreate) {
    const limit = Number(task.concurrencyLimit);
    let slots = limit > 0 ? Math.max(0, limit - running) : Number.POSITIVE_INFINITY;
    let next = state.next ?? 0;
    while (slots > 0 && (retry.length > 0 || next < values.length)) {
      startIteration(ctx, retry.length > 0 ? (retry.shift() as number) : next++);
      running++;
      slots--;
    }
    state.next = next;
  }
  if (retry.length === 0) delete state.retry;
  loopOutputs(ctx, running);
  if (running > 0) return {};
  if (!stopped && (retry.length > 0 || (state.next ?? 0) < values.length)) return {};
  const states = Object.values(done).map((r) => stateFromChild(r.state, task.transmitFailed));
  return withErrorsAndFinally(
    block(ctx, ctx.children(), null, null),
    { create: [], state: worstOf(states) },
    undefined,
    state.finallyInIterations ? undefined : task.finally,
  );
}

export const loop: FlowableHandler<LoopProps> = {
  start(ctx) {
    const state = ctx.internal<LoopState>();
    const previous = state.previous;
    delete state.previous;
    if (previous?.executions && previous.loopValues) {
      // Restarted after a failed or killed iteration: the iterations that succeeded are kept, the others run
      // again as new LOOP executions, with the values rendered at the loop's first start.
      const executions: Record<string, string> = {};
      const done: Record<string, IterationRecord> = {};
      const retry: number[] = [];
      for (const index of Object.keys(previous.executions)
        .map(Number)
        .sort((a, b) => a - b)) {
        const record = previous.done?.[String(index)];
        if (record && !isFailure(record.state) && record.state !== "CANCELLED") {
          done[String(index)] = record;
          executions[String(index)] = previous.executions[String(index)] as string;
        } else retry.push(index);
      }
      Object.assign(state, {
        loopValues: previous.loopValues,
        next: previous.next ?? 0,
        executions,
        done,
        retry,
      });
      if (previous.loopKeys) state.loopKeys = previous.loopKeys;
      if (previous.broken) state.broken = true;
      if (previous.finallyInIterations) state.finallyInIterations = true;
      if (previous.ionLines) state.ionLines = true;
      return undefined;
    }
    if (ctx.step.env.loopExecutions) {
      state.executions = {};
      if (ctx.step.env.loopIterationRules) {
        state.finallyInIterations = true;
        state.ionLines = true;
      }
    }
    return resolveValues(ctx);
  },
  async onSubflowEnded(ctx, event) {
    const state = ctx.internal<LoopState>();
    const index = event.iteration;
    if (!state.executions || index === undefined) return;
    if (state.executions[String(index)] !== event.executionId || state.done?.[String(index)]) return;
    (state.done ??= {})[String(index)] = await endIterationExecution(ctx, index, event);
  },
  onKill(ctx) {
    const state = ctx.internal<LoopState>();
    for (const [index, executionId] of Object.entries(state.executions ?? {}))
      if (!state.done?.[index]) ctx.step.command({ type: "killExecution", executionId });
  },
  onItemsSplit(ctx, lines, error) {
    const state = ctx.internal<LoopState>();
    if (error) state.error = error;
    else state.loopValues = state.ionLines ? lines.map(ionLineValue) : lines;
  },
  resolve: (ctx) => resolveLoop(ctx),
};
