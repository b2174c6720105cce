import type { StepTimes } from "./protocol";

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * p) - 1)] as number;

/**
 * Windmill's per-step overhead, from each step's own created / started / ended times: the run's span from
 * the first step's creation to the last step's end, less the time the steps spent executing, per step.
 * What remains is scheduling, persisting and handing over: what the orchestrator costs.
 */
export function overheadPerStep(steps: StepTimes[]): number {
  if (steps.length === 0) throw new Error("no steps recorded");
  const first = Math.min(...steps.map((s) => s.created));
  const last = Math.max(...steps.map((s) => s.ended));
  const executing = steps.reduce((sum, s) => sum + Math.max(0, s.ended - s.started), 0);
  return (last - first - executing) / steps.length;
}
