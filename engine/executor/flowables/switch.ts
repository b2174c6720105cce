import { z } from "zod";
import { toOutputString } from "../../expr";
import { taskList } from "../../plugin/schema";
import { blockOf, sequentialBlock } from "../blocks";
import type { FlowableHandler } from "../flowable";
import { branchShape } from "./sequential";

export const switchSchema = z.object({
  value: z
    .union([z.string(), z.number(), z.boolean()])
    .describe("Rendered, then matched against the keys of cases."),
  cases: z.record(z.string(), taskList("Tasks run when the value equals this key.")).optional(),
  defaults: taskList("Tasks run when no case matches.").nullable().optional(),
  ...branchShape,
});
export type SwitchProps = z.output<typeof switchSchema>;

export const switchHandler: FlowableHandler<SwitchProps> = {
  async start(ctx) {
    const value = toOutputString(await ctx.render(String(ctx.task.value)));
    const matched = ctx.task.cases && Object.hasOwn(ctx.task.cases, value);
    ctx.setOutputs({ value, defaults: !matched });
    if (!matched && !ctx.task.defaults?.length) {
      return { state: "FAILED", error: `no case matches the value '${value}' and there are no defaults` };
    }
    return undefined;
  },
  resolve(ctx) {
    const value = String(ctx.run.outputs?.value ?? "");
    const branch = ctx.run.outputs?.defaults ? (ctx.task.defaults ?? []) : (ctx.task.cases?.[value] ?? []);
    return sequentialBlock(blockOf(ctx), branch, ctx.task.errors, ctx.task.finally);
  },
};
