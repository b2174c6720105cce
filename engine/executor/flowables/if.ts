import { z } from "zod";
import { taskList } from "../../plugin/schema";
import { blockOf, sequentialBlock } from "../blocks";
import type { FlowableHandler } from "../flowable";
import { branchShape } from "./sequential";

export const ifSchema = z.object({
  condition: z
    .union([z.string(), z.boolean().transform(String)])
    .describe("Rendered, then false when it is '', '0', '-0', 'false' or null; true otherwise."),
  then: taskList("Tasks run when the condition is true.", { min: 1 }),
  else: taskList("Tasks run when the condition is false.").optional(),
  ...branchShape,
});
export type IfProps = z.output<typeof ifSchema>;

export const ifHandler: FlowableHandler<IfProps> = {
  async start(ctx) {
    ctx.setOutputs({ evaluationResult: await ctx.truthy(ctx.task.condition) });
    return undefined;
  },
  resolve(ctx) {
    const branch = ctx.run.outputs?.evaluationResult ? ctx.task.then : (ctx.task.else ?? []);
    if (branch.length === 0) return { state: "SUCCESS" };
    return sequentialBlock(blockOf(ctx), branch, ctx.task.errors, ctx.task.finally);
  },
};
