import { isTruthy } from "../expr";
import { localToEpoch, offsetAt, resolveZone } from "../expr/dates/zone";
import type { TriggeringExecution } from "../plugin/types";
import { parseDuration } from "../util/duration";
import type { PreconditionState, PreconditionStore } from "./preconditions";

/** One entry of a Kestra 2.0 Flow trigger's `dependsOn`: every field set must match. */
export interface Dependency {
  namespace?: string;
  flowId?: string;
  states?: string[];
  labels?: Record<string, string | number | boolean>;
  when?: string | boolean;
}

/** Kestra 2.0's `window`; its kind is read from the fields that are set. */
export interface DependsOnWindow {
  deadline?: string;
  from?: string;
  to?: string;
  every?: string;
  offset?: string;
  lookback?: string;
  timezone?: string;
}

export interface DependsOn {
  dependsOn: Dependency[];
  window?: DependsOnWindow;
  mode?: "ALL" | "ANY" | "AT_LEAST";
  minSatisfied?: number;
}

/** What a dependsOn trigger remembers: when each dependency was met, and the outputs that met it. */
export interface DependsOnState extends PreconditionState {
  /** Dependency key -> the upstream execution that met it last in the window. */
  upstreams?: Record<string, { namespace: string; flowId: string; outputs: Record<string, unknown> }>;
}

const DAY = 86_400_000;

function timeOfDaySeconds(time: string): number {
  const [h = "0", m = "0", s = "0"] = time.split(":");
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Midnight, in `timezone`, of the local day `now` falls on (epoch milliseconds). */
function localMidnight(
  now: number,
  timezone: string | undefined,
): { midnight: number; at: (s: number) => number } {
  const zone = resolveZone(timezone ?? "UTC");
  const localSeconds = Math.floor(now / 1000) + offsetAt(zone, Math.floor(now / 1000));
  const dayStart = Math.floor(localSeconds / 86_400) * 86_400;
  return {
    midnight: localToEpoch(zone, dayStart) * 1000,
    at: (seconds) => localToEpoch(zone, dayStart + seconds) * 1000,
  };
}

/**
 * The [start, end) in which dependencies must all be met, as of `now` (Kestra's Window.toTimeWindow):
 * `deadline` is today's midnight to the deadline; `from`/`to` today's range; `lookback` the duration before
 * now; otherwise windows of `every` (one day) aligned on midnight plus `offset`. Daily times and midnight are
 * read in `timezone` (UTC by default).
 */
export function dependsOnWindowAt(
  window: DependsOnWindow | undefined,
  now: Date,
): { start: number; end: number } {
  const t = now.getTime();
  const w = window ?? {};
  if (w.lookback !== undefined) return { start: t - (parseDuration(w.lookback) ?? DAY), end: t + 1 };
  const day = localMidnight(t, w.timezone);
  if (w.deadline !== undefined) return { start: day.midnight, end: day.at(timeOfDaySeconds(w.deadline)) };
  if (w.from !== undefined && w.to !== undefined)
    return { start: day.at(timeOfDaySeconds(w.from)), end: day.at(timeOfDaySeconds(w.to)) };
  const every = Math.max(1000, parseDuration(w.every ?? "P1D") ?? DAY);
  const anchor = day.midnight + (parseDuration(w.offset ?? "PT0S") ?? 0);
  const start = anchor + Math.floor((t - anchor) / every) * every;
  return { start, end: start + every };
}

/** A dependency's identity in the stored state: its fields, so editing another entry keeps what it met. */
export function dependencyKey(d: Dependency): string {
  const labels = Object.entries(d.labels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${String(v)}`);
  return JSON.stringify([
    d.namespace ?? null,
    d.flowId ?? null,
    [...(d.states ?? [])].sort(),
    labels,
    d.when ?? null,
  ]);
}

/** Whether an upstream execution meets a dependency (Kestra's DependencyCondition). */
export async function meetsDependency(
  d: Dependency,
  execution: TriggeringExecution,
  render: (template: unknown) => Promise<unknown>,
): Promise<boolean> {
  if (d.namespace !== undefined && d.namespace !== execution.namespace) return false;
  if (d.flowId !== undefined && d.flowId !== execution.flowId) return false;
  if (d.states && !d.states.includes(execution.state)) return false;
  for (const [key, value] of Object.entries(d.labels ?? {}))
    if (!execution.labels.some((l) => l.key === key && l.value === String(value))) return false;
  if (d.when === undefined) return true;
  return isTruthy(await render(d.when));
}

function required(trigger: DependsOn, count: number): number {
  if (trigger.mode === "ANY") return 1;
  if (trigger.mode === "AT_LEAST") return Math.min(count, trigger.minSatisfied ?? count);
  return count;
}

/** What recording an upstream execution gives: whether the trigger fires, and the outputs it saw. */
export interface DependsOnResult {
  fired: boolean;
  /** `<flowId>` -> outputs of the upstream executions that met a dependency in the window (scoped outputs). */
  scopedOutputs: Record<string, Record<string, unknown>>;
}

/**
 * Records an upstream execution against a trigger's `dependsOn` and tells whether enough dependencies are now
 * met inside the window (ALL, ANY or AT_LEAST `minSatisfied`). Once the trigger fires its state is reset, so
 * the dependencies must be met again (Kestra 2.0 removed `window.fireOnce`: a fired trigger always resets).
 */
export async function recordDependsOn(
  key: string,
  trigger: DependsOn,
  execution: TriggeringExecution,
  now: Date,
  store: PreconditionStore,
  render: (template: unknown) => Promise<unknown>,
): Promise<DependsOnResult> {
  const previous = (await store.get(key)) as DependsOnState | undefined;
  const window = dependsOnWindowAt(trigger.window, now);
  const inWindow = (date: string) => {
    const t = Date.parse(date);
    return t >= window.start && t < window.end;
  };
  const state: DependsOnState = { met: {}, upstreams: {} };
  for (const [id, date] of Object.entries(previous?.met ?? {}))
    if (inWindow(date)) {
      state.met[id] = date;
      const upstream = previous?.upstreams?.[id];
      if (upstream && state.upstreams) state.upstreams[id] = upstream;
    }
  const t = now.getTime();
  if (t >= window.start && t < window.end) {
    for (const dependency of trigger.dependsOn) {
      if (!(await meetsDependency(dependency, execution, render))) continue;
      const id = dependencyKey(dependency);
      state.met[id] = now.toISOString();
      if (state.upstreams)
        state.upstreams[id] = {
          namespace: execution.namespace,
          flowId: execution.flowId,
          outputs: execution.outputs ?? {},
        };
    }
  }
  const keys = [...new Set(trigger.dependsOn.map(dependencyKey))];
  const satisfied = keys.filter((id) => state.met[id] !== undefined).length;
  const fired = satisfied > 0 && satisfied >= required(trigger, keys.length);
  const scopedOutputs: Record<string, Record<string, unknown>> = {};
  for (const id of keys) {
    const upstream = state.upstreams?.[id];
    if (upstream) scopedOutputs[upstream.flowId] = { ...scopedOutputs[upstream.flowId], ...upstream.outputs };
  }
  await store.set(key, fired ? undefined : state);
  return { fired, scopedOutputs };
}
