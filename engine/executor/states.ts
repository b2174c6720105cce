import type { STATES } from "../flow/common";
import { formatDuration } from "../util/duration";
import type { State } from "./model";

export type StateType = (typeof STATES)[number];

const TERMINAL = new Set<StateType>([
  "SUCCESS",
  "WARNING",
  "FAILED",
  "KILLED",
  "CANCELLED",
  "RETRIED",
  "SKIPPED",
]);
const FAILED = new Set<StateType>(["FAILED", "KILLED"]);
const CREATED = new Set<StateType>(["CREATED", "RESTARTED"]);

export const isTerminal = (state: StateType): boolean => TERMINAL.has(state);
/** FAILED or KILLED: a state that makes the enclosing block fail. */
export const isFailure = (state: StateType): boolean => FAILED.has(state);
export const isCreated = (state: StateType): boolean => CREATED.has(state);
export const isRunning = (state: StateType): boolean => state === "RUNNING" || state === "KILLING";

export function newState(state: StateType, date: string): State {
  return { current: state, histories: [{ state, date }], startDate: date };
}

/** Moves a State to a new current state (in place), keeping the history and the end date / duration. */
export function transition(target: State, state: StateType, date: string): void {
  if (target.current === state && target.histories.length > 0) return;
  target.current = state;
  target.histories.push({ state, date });
  if (isTerminal(state)) {
    target.endDate = date;
    target.duration = formatDuration(Date.parse(date) - Date.parse(target.startDate));
  } else {
    delete target.endDate;
    delete target.duration;
  }
}

/**
 * The aggregate of children's states, as Kestra's guessFinalState: FAILED > KILLED > WARNING > SUCCESS. A
 * CANCELLED child (a Loop iteration whose execution was cancelled) counts as KILLED; an Exit or a Pause's
 * CANCEL does not go through it: they end their parents and the execution CANCELLED themselves
 * (StepContext.exit).
 */
export function worstOf(states: Iterable<StateType>): StateType {
  let result: StateType = "SUCCESS";
  for (const state of states) {
    if (state === "FAILED") return "FAILED";
    if (state === "KILLED") result = "KILLED";
    else if (state === "WARNING" && result === "SUCCESS") result = "WARNING";
    else if (state === "CANCELLED" && result !== "KILLED") result = "KILLED";
  }
  return result;
}
