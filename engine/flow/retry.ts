import { z } from "zod";
import { duration } from "../plugin/schema";

/**
 * Retry policies (Kestra's AbstractRetry). Kestra's own flows say `maxAttempt`; newer docs say `maxAttempts`:
 * both are accepted and mean the total number of attempts, the first one included.
 */
const base = {
  maxAttempt: z.number().int().min(1).optional().describe("Deprecated spelling of maxAttempts."),
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Total number of attempts, the first one included."),
  maxDuration: duration
    .optional()
    .describe("Stop retrying once this much time has passed since the first attempt."),
  warningOnRetry: z
    .boolean()
    .default(false)
    .describe("End in WARNING instead of SUCCESS when a retry was needed."),
  behavior: z
    .enum(["RETRY_FAILED_TASK", "CREATE_NEW_EXECUTION"])
    .default("RETRY_FAILED_TASK")
    .describe("Flow-level retry: retry the failed task in place, or start a new execution."),
};

export const retrySchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("constant"),
      interval: duration.describe("Wait between attempts."),
      ...base,
    }),
    z.strictObject({
      type: z.literal("exponential"),
      interval: duration.describe("Wait before the first retry."),
      maxInterval: duration.describe("Longest wait between attempts."),
      delayFactor: z.number().positive().optional().describe("Multiplier between waits (default 2)."),
      ...base,
    }),
    z.strictObject({
      type: z.literal("random"),
      minInterval: duration.describe("Shortest random wait."),
      maxInterval: duration.describe("Longest random wait."),
      ...base,
    }),
  ])
  .refine((r) => r.maxAttempt === undefined || r.maxAttempts === undefined, {
    message: "set maxAttempts or maxAttempt, not both",
  })
  .describe("Retry policy: constant, exponential or random.");

export type Retry = z.output<typeof retrySchema>;

/** The total number of attempts a policy allows (1 when no count is set and no maxDuration bounds it). */
export function maxAttemptsOf(retry: Retry): number | undefined {
  return retry.maxAttempts ?? retry.maxAttempt;
}
