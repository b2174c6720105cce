import { ExpressionError, type ExprFunction, type RenderOptions } from "../expr";
import type { Execution, TaskRun } from "./model";
import { ancestorsOf } from "./outputs";

/**
 * Kestra 2.0's functions that read the outputs of other task runs of the same execution, relative to the
 * task run rendering them: `parentOutput(index?)` (ParentOutputFunction), `iterationOutput(taskId?,
 * iteration?)` (IterationOutputFunction), `iterationOutputs(iteration?, taskId?)` (IterationOutputsFunction)
 * and `outputFromIteration(index)` (OutputFromIterationFunction). They need the run's ancestry, which the
 * template variables do not hold (Cadenza's `parents` keeps 1.x's shape), so they are bound to one run.
 *
 * An iteration is the position of a run among the runs of the same task under the same loop values (its
 * ancestors' values), in the order they were created: Kestra's position in the map `outputs.<task>[...]`,
 * read from the runs because a JavaScript object puts integer-like keys ("1", "10") first, in numeric order.
 *
 * `enabled` is asked when one is called (a Temporal workflow answers with a `patched()` id, so a history
 * recorded before them, where a call failed, replays as it ran).
 */
export function iterationFunctions(
  runs: readonly TaskRun[],
  run: TaskRun,
  byId: ReadonlyMap<string, TaskRun>,
  enabled: () => boolean,
): Record<string, ExprFunction> {
  const guard =
    (name: string, before: string, fn: ExprFunction): ExprFunction =>
    (args, named, call) => {
      if (!enabled()) throw new ExpressionError(before.replace("%s", name));
      return fn(args, named, call);
    };
  const unavailable = "function '%s' is not available here";
  const unknown = "Function or Macro [%s] does not exist.";
  return {
    parentOutput: guard("parentOutput", unavailable, (args, named, call) =>
      parentOutput(run, byId, arg(args, named, 0, "index"), call.context),
    ),
    iterationOutput: guard("iterationOutput", unavailable, (args, named) =>
      iterationOutput(runs, run, byId, {
        taskId: arg(args, named, 0, "taskId"),
        iteration: arg(args, named, 1, "iteration"),
        strict: false,
      }),
    ),
    iterationOutputs: guard("iterationOutputs", unknown, (args, named) =>
      iterationOutput(runs, run, byId, {
        iteration: arg(args, named, 0, "iteration"),
        taskId: arg(args, named, 1, "taskId"),
        strict: true,
      }),
    ),
    outputFromIteration: guard("outputFromIteration", unknown, (args, named) =>
      outputFromIteration(runs, run, byId, arg(args, named, 0, "index")),
    ),
  };
}

function arg(args: unknown[], named: Record<string, unknown>, position: number, name: string): unknown {
  return Object.hasOwn(named, name) ? named[name] : args[position];
}

const absent = (v: unknown): boolean => v === null || v === undefined;

/** The outputs of the nearest ancestor, or of `parents[index]` counted from the outermost (Kestra's order). */
function parentOutput(
  run: TaskRun,
  byId: ReadonlyMap<string, TaskRun>,
  index: unknown,
  context: Record<string, unknown>,
): unknown {
  const ancestors = ancestorsOf(run, byId);
  let parent: TaskRun | undefined;
  if (absent(index)) {
    parent = ancestors[ancestors.length - 1];
  } else {
    if (typeof index !== "number" || !Number.isInteger(index)) {
      throw new ExpressionError("The 'parentOutput' function expects an argument 'index' of type integer.");
    }
    if (index < 0 || index + 1 > ancestors.length) {
      throw new ExpressionError(`Invalid index: ${index} for parents size: ${ancestors.length}`);
    }
    parent = ancestors[index];
  }
  if (!parent) return null;
  const outputs = context.outputs as Record<string, unknown> | undefined;
  const own = outputs && Object.hasOwn(outputs, parent.taskId) ? outputs[parent.taskId] : undefined;
  if (absent(own) || typeof own !== "object") return null;
  if (absent(parent.value)) return own;
  const byValue = own as Record<string, unknown>;
  return Object.hasOwn(byValue, parent.value as string) ? byValue[parent.value as string] : null;
}

/** The loop values a run sits under: those of its ancestors, outermost first. */
function pathOf(run: TaskRun, byId: ReadonlyMap<string, TaskRun>): string {
  return JSON.stringify(
    ancestorsOf(run, byId)
      .map((a) => a.value)
      .filter((v) => !absent(v)),
  );
}

/** The runs of `taskId` under the same loop values as `run` that have outputs, one per value, in order. */
function iterationsOf(
  runs: readonly TaskRun[],
  run: TaskRun,
  byId: ReadonlyMap<string, TaskRun>,
  taskId: string,
): TaskRun[] {
  const path = pathOf(run, byId);
  const byValue = new Map<string, TaskRun>();
  for (const candidate of runs) {
    // The rendering run holds no outputs yet (an empty map at most), as in Kestra's `outputs`.
    if (candidate.taskId !== taskId || candidate.id === run.id) continue;
    if (!candidate.outputs || Object.keys(candidate.outputs).length === 0) continue;
    if (pathOf(candidate, byId) !== path) continue;
    byValue.set(String(candidate.value ?? ""), candidate);
  }
  return [...byValue.values()];
}

function toIteration(value: unknown, name: string, fn: string): number {
  const n = typeof value === "number" ? value : Number.parseInt(String(value), 10);
  if (!Number.isInteger(n) || (typeof value === "string" && !/^[+-]?\d+$/.test(value.trim()))) {
    throw new ExpressionError(
      `The '${name}' argument for '${fn}' must be an integer, but got: ${String(value)}`,
    );
  }
  return n;
}

function valueOutput(found: TaskRun | undefined): unknown {
  const outputs = found?.outputs as Record<string, unknown> | undefined;
  return outputs && Object.hasOwn(outputs, "value") ? outputs.value : null;
}

function iterationOutput(
  runs: readonly TaskRun[],
  run: TaskRun,
  byId: ReadonlyMap<string, TaskRun>,
  options: { taskId: unknown; iteration: unknown; strict: boolean },
): unknown {
  if (absent(run.iteration)) {
    throw new ExpressionError(" 'iterationOutputs()' function should be used inside iterative tasks only");
  }
  const taskId = absent(options.taskId) ? run.taskId : String(options.taskId);
  const iteration = absent(options.iteration)
    ? (run.iteration as number) - 1
    : toIteration(options.iteration, "iteration", "iterationOutputs");
  if (iteration < 0) {
    throw new ExpressionError(`Cannot fetch iteration ${iteration}: no previous iteration exists.`);
  }
  const found = iterationsOf(runs, run, byId, taskId);
  if (found.length === 0) {
    if (!options.strict) return null;
    throw new ExpressionError(`The provided task with taskId = ${taskId} has no execution outputs`);
  }
  if (iteration >= found.length) {
    throw new ExpressionError(
      `The provided index (${iteration}) is out of range. It refers to an iteration whose outputs do not exist yet. Maximum valid index is ${found.length - 1}.`,
    );
  }
  return valueOutput(found[iteration]);
}

function outputFromIteration(
  runs: readonly TaskRun[],
  run: TaskRun,
  byId: ReadonlyMap<string, TaskRun>,
  index: unknown,
): unknown {
  if (absent(index)) {
    throw new ExpressionError("The 'outputFromIteration' function requires an argument named 'index'.");
  }
  const n = toIteration(index, "index", "outputFromIteration");
  if (n < 0) throw new ExpressionError(`Cannot fetch iteration ${n}: no previous iteration exists.`);
  const found = iterationsOf(runs, run, byId, run.taskId);
  if (n === found.length) {
    throw new ExpressionError(
      `The provided index (${n}) refers to the current iteration, whose outputs are not yet available at runtime.`,
    );
  }
  if (n > found.length) {
    throw new ExpressionError(
      `The provided index (${n}) is out of range. It refers to a future iteration whose outputs do not exist yet. Maximum valid index is ${found.length - 1}.`,
    );
  }
  return valueOutput(found[n]);
}

/**
 * `options` with the functions above bound to `run`, for a renderer outside the executor (the worker, which
 * renders a runnable task's properties in an activity: nothing to replay there, so they always answer).
 * The caller's own functions win, as everywhere.
 */
export function withIterationFunctions(
  options: RenderOptions,
  execution: Pick<Execution, "taskRunList">,
  run: TaskRun,
): RenderOptions {
  const byId = new Map(execution.taskRunList.map((r) => [r.id, r]));
  const own = iterationFunctions(execution.taskRunList, run, byId, () => true);
  return { ...options, functions: { ...own, ...options.functions } };
}
