import { z } from "zod";
import { dyn } from "../../plugin/schema";
import { blockOf, sequentialBlock } from "../blocks";
import type { SubflowEndedEvent } from "../events";
import type { FlowableHandler } from "../flowable";
import { batchesDecision, iterationCounts } from "./for-each-item-results";
import { forEachItemTasks } from "./for-each-item-tasks";
import { branchShape } from "./sequential";
import { subflowCommand, subflowTarget } from "./subflow";

export const forEachItemSchema = z.object({
  items: z
    .string()
    .describe("URI of a file in internal storage (often an expression such as {{ inputs.file }})."),
  batch: z
    .strictObject({
      rows: dyn(z.number().int().min(1)).optional().describe("Rows per batch (default 1)."),
      bytes: z.string().optional().describe("Bytes per batch, e.g. 10MB."),
      partitions: dyn(z.number().int().min(1)).optional().describe("Number of batches."),
      separator: z.string().default("\n"),
    })
    .default({ separator: "\n" }),
  ...subflowTarget,
  errors: branchShape.errors,
});
export type ForEachItemProps = z.output<typeof forEachItemSchema>;

interface ItemsState {
  batches?: string[];
  error?: string;
  childIds?: string[];
  started?: boolean;
  results?: Record<string, SubflowEndedEvent>;
  /** `iterations` counts as Kestra's (StepEnv.forEachItemKestraCounts when it started). */
  kestraCounts?: boolean;
  /** Runs as Kestra's, through `<id>_split`, `<id>_items`, `<id>_merge` (StepEnv.forEachItemTasks). */
  tasks?: boolean;
}

/**
 * Splits a file into batches of rows and starts one subflow execution per batch; `{{ taskrun.items }}` is the
 * URI of the batch. As Kestra's (ForEachItem.getTasks), it runs three children one after the other, then its
 * `errors` if one failed: `<id>_split`, `<id>_items`, `<id>_merge` (for-each-item-tasks.ts). A ForEachItem
 * started before that rule (StepEnv.forEachItemTasks unset) does it all in its own run: it asks the driver to
 * split (splitItems / itemsSplit), then starts the subflows.
 */
export const forEachItem: FlowableHandler<ForEachItemProps> = {
  internalTasks: (task) => forEachItemTasks(task),
  async start(ctx) {
    if (ctx.step.env.forEachItemTasks) {
      ctx.internal<ItemsState>().tasks = true;
      return undefined;
    }
    if (ctx.step.env.forEachItemKestraCounts) ctx.internal<ItemsState>().kestraCounts = true;
    const uri = String(await ctx.render(ctx.task.items));
    const batch = (await ctx.render(ctx.task.batch)) as ForEachItemProps["batch"];
    const rows = batch.rows === undefined ? undefined : Number(batch.rows);
    const partitions = batch.partitions === undefined ? undefined : Number(batch.partitions);
    if ((rows !== undefined && !(rows >= 1)) || (partitions !== undefined && !(partitions >= 1))) {
      return { state: "FAILED", error: "batch.rows and batch.partitions must be positive integers" };
    }
    ctx.step.command({
      type: "splitItems",
      taskRunId: ctx.run.id,
      uri,
      ...(rows !== undefined ? { rows } : {}),
      ...(batch.bytes ? { bytes: batch.bytes } : {}),
      ...(partitions !== undefined ? { partitions } : {}),
      separator: batch.separator ?? "\n",
    });
    return undefined;
  },
  onItemsSplit(ctx, batches, error) {
    const state = ctx.internal<ItemsState>();
    state.batches = batches;
    if (error) state.error = error;
  },
  onSubflowEnded(ctx, event) {
    const state = ctx.internal<ItemsState>();
    (state.results ??= {})[String(event.iteration ?? 0)] = event;
  },
  onKill(ctx) {
    // With its internal tasks, `<id>_items` kills the subflows it started.
    const { childIds = [], results = {} } = ctx.internal<ItemsState>();
    childIds.forEach((id, index) => {
      if (!results[String(index)]) ctx.step.command({ type: "killExecution", executionId: id });
    });
  },
  unwaitedChildren(ctx) {
    return ctx.task.wait ? [] : (ctx.internal<ItemsState>().childIds ?? []);
  },
  async resolve(ctx) {
    const state = ctx.internal<ItemsState>();
    if (state.tasks) return sequentialBlock(blockOf(ctx), forEachItemTasks(ctx.task), ctx.task.errors);
    if (state.error) return { state: "FAILED", error: state.error };
    if (!state.batches) return {};
    const total = state.batches.length;
    if (!state.started) {
      if (!ctx.canCreate) return {};
      state.started = true;
      state.childIds = [];
      const base = ctx.step.variables(ctx.task, ctx.run);
      for (const [index, uri] of state.batches.entries()) {
        const variables = { ...base, taskrun: { ...(base.taskrun as object), items: uri, iteration: index } };
        const command = await subflowCommand(ctx, { iteration: index, variables });
        state.childIds.push(command.executionId);
        ctx.step.command(command);
      }
      // Kestra counts a subflow it does not wait for as SUCCESS once created, moved out of RUNNING.
      const created =
        state.kestraCounts && !ctx.task.wait ? { RUNNING: 0, SUCCESS: total } : { CREATED: total };
      ctx.setOutputs({ numberOfBatches: total, iterations: created });
      if (!ctx.task.wait || total === 0) return { state: "SUCCESS" };
      return {};
    }
    const results = Object.values(state.results ?? {});
    ctx.setOutputs({
      numberOfBatches: total,
      iterations: iterationCounts(results, total, state.kestraCounts === true),
    });
    if (results.length < total) return {};
    return batchesDecision(results, total, ctx.task.transmitFailed);
  },
};
