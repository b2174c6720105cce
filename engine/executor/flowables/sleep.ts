import { z } from "zod";
import { duration } from "../../plugin/schema";
import { parseDuration } from "../../util/duration";
import type { FlowableHandler } from "../flowable";

export const sleepSchema = z.object({
  duration: duration.describe("How long to wait, as an ISO-8601 duration."),
});
export type SleepProps = z.output<typeof sleepSchema>;

/** Waits without holding a worker: a timer in the executor. */
export const sleep: FlowableHandler<SleepProps> = {
  async start(ctx) {
    const rendered = String(await ctx.render(ctx.task.duration));
    const ms = parseDuration(rendered);
    if (ms === undefined) return { state: "FAILED", error: `'${rendered}' is not an ISO-8601 duration` };
    ctx.startTimer("wake", ctx.step.nowMs() + ms);
    // Kestra's Sleep logs this line, and Log.Fetch counts it (FetchTest expects 3 lines from get-log.yaml).
    ctx.step.log("INFO", `Waiting for ${rendered}`, ctx.run);
    return undefined;
  },
  onTimer(ctx, kind) {
    if (kind === "wake") ctx.internal<{ awake?: boolean }>().awake = true;
  },
  resolve: (ctx) => (ctx.internal<{ awake?: boolean }>().awake ? { state: "SUCCESS" } : {}),
};
