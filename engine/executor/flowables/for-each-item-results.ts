import type { SubflowEndedEvent } from "../events";
import type { FlowableDecision } from "../flowable";
import { isFailure, type StateType } from "../states";
import { stateFromChild } from "./subflow";

/**
 * ForEachItem's `iterations` output: its subflows counted by state, those not ended yet as RUNNING. Kestra's
 * counters move each subflow from state to state, so with `kestraCounts` the states passed through stay at 0.
 */
export function iterationCounts(
  results: readonly SubflowEndedEvent[],
  total: number,
  kestraCounts: boolean,
): Record<string, number> {
  const counts: Record<string, number> = kestraCounts ? { CREATED: 0, RUNNING: 0 } : {};
  for (const result of results) counts[result.state] = (counts[result.state] ?? 0) + 1;
  if (results.length < total) counts.RUNNING = total - results.length;
  return counts;
}

/**
 * How a ForEachItem's batches ended, once every subflow has: FAILED when one failed (a child that could not
 * even start says why), else WARNING when one warned, else SUCCESS.
 */
export function batchesDecision(
  results: readonly SubflowEndedEvent[],
  total: number,
  transmitFailed: boolean,
): FlowableDecision {
  const states: StateType[] = results.map((r) =>
    r.error ? "FAILED" : stateFromChild(r.state, transmitFailed),
  );
  if (states.some(isFailure)) {
    const reason = results.find((r) => r.error)?.error;
    return {
      state: "FAILED",
      error: `${states.filter(isFailure).length} of ${total} subflow executions failed${reason ? `: ${reason}` : ""}`,
    };
  }
  return { state: states.includes("WARNING") ? "WARNING" : "SUCCESS" };
}
