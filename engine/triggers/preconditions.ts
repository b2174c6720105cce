import { compileRegex } from "../expr";
import type { TriggeringExecution } from "../plugin/types";
import { parseDuration } from "../util/duration";

export interface PreconditionFlow {
  namespace: string;
  flowId: string;
  states?: string[];
  labels?: Record<string, string>;
}

export interface PreconditionFilter {
  field: "FLOW_ID" | "NAMESPACE" | "STATE" | "EXPRESSION";
  type: string;
  value?: string;
  values?: string[];
}

export interface Preconditions {
  id?: string;
  timeWindow?: {
    type: "DURATION_WINDOW" | "SLIDING_WINDOW" | "DAILY_TIME_WINDOW" | "DAILY_TIME_DEADLINE";
    window?: string;
    windowAdvance?: string;
    startTime?: string;
    endTime?: string;
    deadline?: string;
  };
  resetOnSuccess: boolean;
  flows?: PreconditionFlow[];
  where?: { id: string; operand: "AND" | "OR"; filters: PreconditionFilter[] }[];
}

/** What a trigger remembers between upstream executions: when each precondition was last met. */
export interface PreconditionState {
  /** Start of the current window (DURATION_WINDOW). */
  windowStart?: string;
  /** Precondition key -> date it was met. */
  met: Record<string, string>;
}

/** Where precondition state lives: memory in tests, a table in the embedded engine. */
export interface PreconditionStore {
  get(key: string): Promise<PreconditionState | undefined>;
  set(key: string, state: PreconditionState | undefined): Promise<void>;
}

export class MemoryPreconditionStore implements PreconditionStore {
  readonly #states = new Map<string, PreconditionState>();
  async get(key: string) {
    return this.#states.get(key);
  }
  async set(key: string, state: PreconditionState | undefined) {
    if (state) this.#states.set(key, state);
    else this.#states.delete(key);
  }
}

function matchesFilter(
  filter: PreconditionFilter,
  execution: TriggeringExecution,
  expressionValue?: unknown,
): boolean {
  const actual =
    filter.field === "FLOW_ID"
      ? execution.flowId
      : filter.field === "NAMESPACE"
        ? execution.namespace
        : filter.field === "STATE"
          ? execution.state
          : expressionValue;
  const text = actual === undefined || actual === null ? undefined : String(actual);
  switch (filter.type) {
    case "EQUAL_TO":
      return text === filter.value;
    case "NOT_EQUAL_TO":
      return text !== filter.value;
    case "IN":
      return text !== undefined && (filter.values ?? []).includes(text);
    case "NOT_IN":
      return text === undefined || !(filter.values ?? []).includes(text);
    case "IS_TRUE":
      return actual === true || text === "true";
    case "IS_FALSE":
      return actual === false || text === "false";
    case "IS_NULL":
      return actual === undefined || actual === null;
    case "IS_NOT_NULL":
      return actual !== undefined && actual !== null;
    case "STARTS_WITH":
      return text?.startsWith(filter.value ?? "") ?? false;
    case "ENDS_WITH":
      return text?.endsWith(filter.value ?? "") ?? false;
    case "CONTAINS":
      return text?.includes(filter.value ?? "") ?? false;
    case "REGEX":
      try {
        // A tenant's pattern: RE2 (linear time), so a filter cannot stall the scheduler.
        return text !== undefined && compileRegex(filter.value ?? "").test(text);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

function timeOfDayMs(day: Date, time: string | undefined, fallback: number): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?/.exec(time ?? "");
  const base = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return m ? base + (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000 : base + fallback;
}

/** The [start, end] of the window in which preconditions must all be met, as of `now`. */
export function windowAt(
  preconditions: Preconditions,
  now: Date,
  state?: PreconditionState,
): { start: number; end: number } {
  const tw = preconditions.timeWindow ?? { type: "DURATION_WINDOW" as const };
  const size = parseDuration(tw.window ?? "PT24H") ?? 86_400_000;
  switch (tw.type) {
    case "SLIDING_WINDOW":
      return { start: now.getTime() - size, end: now.getTime() };
    case "DAILY_TIME_WINDOW":
      return { start: timeOfDayMs(now, tw.startTime, 0), end: timeOfDayMs(now, tw.endTime, 86_400_000 - 1) };
    case "DAILY_TIME_DEADLINE":
      return { start: timeOfDayMs(now, "00:00:00", 0), end: timeOfDayMs(now, tw.deadline, 86_400_000 - 1) };
    default: {
      const start = state?.windowStart ? Date.parse(state.windowStart) : now.getTime();
      return now.getTime() - start > size
        ? { start: now.getTime(), end: now.getTime() + size }
        : { start, end: start + size };
    }
  }
}

/**
 * Records an upstream execution against a trigger's preconditions and tells whether they are now all met
 * inside the window. Stateless parts (`where` filters over the current execution) count only for it.
 */
export async function recordPreconditions(
  key: string,
  preconditions: Preconditions,
  execution: TriggeringExecution,
  now: Date,
  store: PreconditionStore,
  evaluateExpression: (template: string) => Promise<unknown>,
): Promise<boolean> {
  const previous = await store.get(key);
  const window = windowAt(preconditions, now, previous);
  const inWindow = (date: string) => {
    const t = Date.parse(date);
    return t >= window.start && t <= window.end;
  };
  const state: PreconditionState = {
    windowStart: new Date(window.start).toISOString(),
    met: Object.fromEntries(Object.entries(previous?.met ?? {}).filter(([, date]) => inWindow(date))),
  };
  const nowIso = now.toISOString();
  const required: string[] = [];
  for (const [index, flow] of (preconditions.flows ?? []).entries()) {
    const id = `flow:${index}`;
    required.push(id);
    const matches =
      flow.namespace === execution.namespace &&
      flow.flowId === execution.flowId &&
      (!flow.states || flow.states.includes(execution.state)) &&
      Object.entries(flow.labels ?? {}).every(([k, v]) =>
        execution.labels.some((l) => l.key === k && l.value === v),
      );
    if (matches && now.getTime() >= window.start && now.getTime() <= window.end) state.met[id] = nowIso;
  }
  for (const where of preconditions.where ?? []) {
    const id = `where:${where.id}`;
    required.push(id);
    const results: boolean[] = [];
    for (const filter of where.filters) {
      const value =
        filter.field === "EXPRESSION" && filter.value ? await evaluateExpression(filter.value) : undefined;
      results.push(matchesFilter(filter, execution, value));
    }
    const ok = where.operand === "OR" ? results.some(Boolean) : results.every(Boolean);
    if (ok) state.met[id] = nowIso;
  }
  const allMet = required.every((id) => state.met[id] !== undefined);
  if (allMet && preconditions.resetOnSuccess) await store.set(key, { met: {} });
  else await store.set(key, state);
  return allMet;
}
