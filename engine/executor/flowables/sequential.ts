import { z } from "zod";
import { taskList } from "../../plugin/schema";
import { blockOf, sequentialBlock } from "../blocks";
import type { FlowableHandler } from "../flowable";

export const branchShape = {
  errors: taskList("Tasks run when a task of this block fails.").optional(),
  finally: taskList("Tasks always run at the end of this block.").optional(),
};

export const sequentialSchema = z.object({
  tasks: taskList("Tasks run one after the other.", { min: 1 }),
  ...branchShape,
});
export type SequentialProps = z.output<typeof sequentialSchema>;

export const sequential: FlowableHandler<SequentialProps> = {
  resolve: (ctx) => sequentialBlock(blockOf(ctx), ctx.task.tasks, ctx.task.errors, ctx.task.finally),
};

export const allowFailureSchema = sequentialSchema;

/** Like Sequential, but a failure inside ends the block in WARNING so the flow goes on. */
export const allowFailure: FlowableHandler<SequentialProps> = {
  resolve: (ctx) => {
    const decision = sequentialBlock(blockOf(ctx), ctx.task.tasks, ctx.task.errors, ctx.task.finally);
    if (decision.state === "FAILED" || decision.state === "KILLED") {
      return { ...decision, state: ctx.step.execution.state.current === "KILLING" ? "KILLED" : "WARNING" };
    }
    return decision;
  },
};

export const workingDirectorySchema = z.object({
  tasks: taskList("Tasks that share one working directory.", { min: 1 }),
  ...branchShape,
  cache: z.strictObject({ patterns: z.array(z.string()), ttl: z.string().optional() }).optional(),
  namespaceFiles: z.record(z.string(), z.unknown()).optional(),
  inputFiles: z.union([z.record(z.string(), z.string()), z.string()]).optional(),
  outputFiles: z.array(z.string()).optional(),
});
