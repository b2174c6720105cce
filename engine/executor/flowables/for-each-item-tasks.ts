import type { Task } from "../../flow/model";
import type { SubflowEndedEvent } from "../events";
import type { FlowableContext, FlowableHandler } from "../flowable";
import type { TaskRun } from "../model";
import { batchesDecision, iterationCounts } from "./for-each-item-results";
import { subflowCommand } from "./subflow";

/*
 * Kestra's ForEachItem is a flowable whose children are three tasks it builds itself (ForEachItem.getTasks):
 * `<id>_split` (ForEachItemSplit), `<id>_items` (ForEachItemExecutable) and `<id>_merge`
 * (ForEachItemMergeOutputs), run one after the other. They are not in the flow: the parent's handler
 * builds them (internalTasks) and the executor finds their handlers here, by type.
 */

export const SPLIT_TYPE = "io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit";
export const ITEMS_TYPE = "io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable";
export const MERGE_TYPE = "io.kestra.plugin.core.flow.ForEachItem$ForEachItemMergeOutputs";

/** Properties of the ForEachItem the internal tasks read (rendered on the ForEachItem run). */
const SPLIT_KEYS = ["items", "batch"] as const;
const ITEMS_KEYS = [
  "namespace",
  "flowId",
  "revision",
  "inputs",
  "labels",
  "wait",
  "transmitFailed",
  "inheritLabels",
  "scheduleDate",
] as const;

function pick(task: Task, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if ((task as Record<string, unknown>)[key] !== undefined) out[key] = task[key];
  return out;
}

/** The three children of a ForEachItem, as Kestra's ForEachItem.getTasks builds them. */
export function forEachItemTasks(task: Task): Task[] {
  return [
    { id: `${task.id}_split`, type: SPLIT_TYPE, ...pick(task, SPLIT_KEYS) } as Task,
    { id: `${task.id}_items`, type: ITEMS_TYPE, ...pick(task, ITEMS_KEYS) } as Task,
    { id: `${task.id}_merge`, type: MERGE_TYPE } as Task,
  ];
}

/** The ForEachItem run above an internal task run, with the properties it rendered when it started. */
function parentOf(ctx: FlowableContext): { run: TaskRun | undefined; task: Record<string, unknown> } {
  const run = ctx.run.parentTaskRunId ? ctx.step.run(ctx.run.parentTaskRunId) : undefined;
  const rendered = run?.internal?.rendered as Record<string, unknown> | undefined;
  return { run, task: { ...(ctx.task as Record<string, unknown>), ...rendered } };
}

/** The sibling run of `ctx.run` for the internal task with this suffix. */
function sibling(ctx: FlowableContext, suffix: string): TaskRun | undefined {
  const parent = ctx.run.parentTaskRunId;
  if (!parent) return undefined;
  const base = ctx.run.taskId.slice(0, ctx.run.taskId.lastIndexOf("_"));
  return ctx.step.children(parent).find((r) => r.taskId === `${base}${suffix}`);
}

interface SplitState {
  batches?: string[];
  splits?: string;
  error?: string;
}

/**
 * ForEachItemSplit: splits the items into batch files and writes `splits.txt`, their URIs one a line
 * (output `splits`). Splitting is I/O: the driver does it (splitItems with `splitsFile`).
 */
const split: FlowableHandler<{ items: string; batch?: Record<string, unknown> }> = {
  async start(ctx) {
    const uri = String(await ctx.render(ctx.task.items));
    const batch = (parentOf(ctx).task.batch ?? {}) as Record<string, unknown>;
    const rows = batch.rows === undefined ? undefined : Number(batch.rows);
    const partitions = batch.partitions === undefined ? undefined : Number(batch.partitions);
    if ((rows !== undefined && !(rows >= 1)) || (partitions !== undefined && !(partitions >= 1))) {
      return { state: "FAILED", error: "batch.rows and batch.partitions must be positive integers" };
    }
    // Kestra's ForEachItemSplit.run refuses what is not an internal storage file.
    if (!uri.startsWith("kestra://")) {
      return {
        state: "FAILED",
        error: `Unable to split the items from ${uri}, this is not an internal storage URI!`,
      };
    }
    ctx.step.command({
      type: "splitItems",
      taskRunId: ctx.run.id,
      uri,
      ...(rows !== undefined ? { rows } : {}),
      ...(typeof batch.bytes === "string" ? { bytes: batch.bytes } : {}),
      ...(partitions !== undefined ? { partitions } : {}),
      separator: typeof batch.separator === "string" ? batch.separator : "\n",
      splitsFile: true,
    });
    return undefined;
  },
  onItemsSplit(ctx, batches, error, splits) {
    const state = ctx.internal<SplitState>();
    state.batches = batches;
    if (splits) state.splits = splits;
    if (error) state.error = error;
  },
  resolve(ctx) {
    const state = ctx.internal<SplitState>();
    if (state.error) return { state: "FAILED", error: state.error };
    if (!state.batches) return {};
    if (state.splits) ctx.setOutputs({ splits: state.splits });
    return { state: "SUCCESS" };
  },
};

interface ItemsState {
  started?: boolean;
  childIds?: string[];
  /** By iteration (1-based, as Kestra's). */
  results?: Record<string, SubflowEndedEvent>;
  wait?: boolean;
}

/** The subflow target as rendered on the ForEachItem run (wait, transmitFailed... may be expressions). */
type Target = Parameters<typeof subflowCommand>[0]["task"];

/**
 * ForEachItemExecutable: one subflow execution per batch, `{{ taskrun.items }}` its batch's URI and
 * `{{ taskrun.iteration }}` its number from 1 (ForEachItemExecutable.createSubflowExecutions). Outputs
 * `numberOfBatches` and `iterations`, the count of subflows by state; none when there were no batches
 * (ForEachItemCaseTest.forEachItemEmptyItems). The ForEachItem run shows the same two outputs.
 */
const items: FlowableHandler<Record<string, unknown>> = {
  onSubflowEnded(ctx, event) {
    const state = ctx.internal<ItemsState>();
    (state.results ??= {})[String(event.iteration ?? 0)] = event;
  },
  onKill(ctx) {
    const { childIds = [], results = {} } = ctx.internal<ItemsState>();
    childIds.forEach((id, index) => {
      if (!results[String(index + 1)]) ctx.step.command({ type: "killExecution", executionId: id });
    });
  },
  unwaitedChildren(ctx) {
    const state = ctx.internal<ItemsState>();
    return state.wait === false ? (state.childIds ?? []) : [];
  },
  async resolve(ctx) {
    const state = ctx.internal<ItemsState>();
    const parent = parentOf(ctx);
    const target = { ...parent.task, id: ctx.run.taskId, type: ITEMS_TYPE } as unknown as Target;
    const mirror = (outputs: Record<string, unknown>) => {
      ctx.setOutputs(outputs);
      if (parent.run) parent.run.outputs = { ...outputs };
    };
    if (!state.started) {
      if (!ctx.canCreate) return {};
      const batches = (sibling(ctx, "_split")?.internal as SplitState | undefined)?.batches ?? [];
      state.started = true;
      state.wait = target.wait;
      state.childIds = [];
      const base = ctx.step.variables(ctx.task, ctx.run);
      for (const [index, uri] of batches.entries()) {
        const iteration = index + 1;
        const variables = { ...base, taskrun: { ...(base.taskrun as object), items: uri, iteration } };
        const command = await subflowCommand({ ...ctx, task: target } as FlowableContext<Target>, {
          iteration,
          variables,
        });
        state.childIds.push(command.executionId);
        ctx.step.command(command);
      }
      const total = batches.length;
      if (total === 0) {
        if (parent.run) parent.run.outputs = { numberOfBatches: 0, iterations: {} };
        return { state: "SUCCESS" };
      }
      // Kestra counts a subflow it does not wait for as SUCCESS once created, moved out of RUNNING.
      mirror({
        numberOfBatches: total,
        iterations: target.wait ? { CREATED: total } : { RUNNING: 0, SUCCESS: total },
      });
      return target.wait ? {} : { state: "SUCCESS" };
    }
    const total = state.childIds?.length ?? 0;
    const results = Object.values(state.results ?? {});
    mirror({ numberOfBatches: total, iterations: iterationCounts(results, total, true) });
    if (results.length < total) return {};
    return batchesDecision(results, total, target.transmitFailed);
  },
};

interface MergeState {
  asked?: boolean;
  merged?: { uri?: string; error?: string };
}

/**
 * ForEachItemMergeOutputs: the flow outputs of the subflows it waited for, one line per subflow in the
 * order of their batches, in one internal storage file (output `subflowOutputs`); no output when no
 * subflow had flow outputs. Writing the file is I/O: the driver does it (mergeSubflowOutputs).
 */
const merge: FlowableHandler<Record<string, unknown>> = {
  onOutputsMerged(ctx, uri, error) {
    ctx.internal<MergeState>().merged = { ...(uri ? { uri } : {}), ...(error ? { error } : {}) };
  },
  resolve(ctx) {
    const state = ctx.internal<MergeState>();
    if (state.merged) {
      if (state.merged.error) return { state: "FAILED", error: state.merged.error };
      if (state.merged.uri) ctx.setOutputs({ subflowOutputs: state.merged.uri });
      return { state: "SUCCESS" };
    }
    if (state.asked) return {};
    const itemsState = sibling(ctx, "_items")?.internal as ItemsState | undefined;
    const results = Object.entries(itemsState?.results ?? {})
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, result]) => result.outputs)
      .filter((outputs): outputs is Record<string, unknown> => !!outputs && Object.keys(outputs).length > 0);
    if (itemsState?.wait === false || results.length === 0) return { state: "SUCCESS" };
    state.asked = true;
    ctx.step.command({ type: "mergeSubflowOutputs", taskRunId: ctx.run.id, outputs: results });
    return {};
  },
};

/** The handlers of the internal task types, which the executor looks up before the plugin registry. */
export const internalFlowables: ReadonlyMap<string, FlowableHandler<never>> = new Map([
  [SPLIT_TYPE, split as FlowableHandler<never>],
  [ITEMS_TYPE, items as FlowableHandler<never>],
  [MERGE_TYPE, merge as FlowableHandler<never>],
]);
