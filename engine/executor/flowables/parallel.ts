import { z } from "zod";
import { dyn, taskList } from "../../plugin/schema";
import { blockOf, parallelList, withErrorsAndFinally } from "../blocks";
import type { FlowableHandler } from "../flowable";
import { interruptState, onChildFailureSchema } from "./dag";
import { branchShape } from "./sequential";

export const parallelSchema = z.object({
  tasks: taskList("Tasks run side by side.", { min: 1 }),
  concurrent: dyn(z.number().int().min(0)).default(0).describe("How many run at once; 0 means no limit."),
  failFast: dyn(z.boolean())
    .default(false)
    .describe(
      "Kestra 2.0: after a task fails, kill the ones still running (KILLED) instead of awaiting them.",
    ),
  onChildFailure: onChildFailureSchema("Parallel"),
  ...branchShape,
});
export type ParallelProps = z.output<typeof parallelSchema>;

export const parallel: FlowableHandler<ParallelProps> = {
  resolve: (ctx) => {
    const block = blockOf(ctx);
    return withErrorsAndFinally(
      block,
      parallelList(block, ctx.task.tasks, ctx.task.concurrent, undefined, {
        // onChildFailure (the later 2.0 name) names the state; failFast alone kills.
        interrupt: interruptState(ctx.task.onChildFailure) ?? (ctx.task.failFast ? "KILLED" : undefined),
      }),
      ctx.task.errors,
      ctx.task.finally,
    );
  },
};
