// The execution page's view of an execution: Kestra's execution JSON with each task run cut to what the
// page draws at once (ids, nesting, states and spans of the run and its attempts). Outputs, attempt
// metrics and errors, and the task runs' state histories are what makes a ForEach of 5,000 iterations
// weigh 4 MB: the page asks for them per task when it shows them (executionTaskRuns), as Kestra's UI
// does. Pure and without runtime imports: the page slims the full executions its SSE stream sends with it.

export interface PageState {
  current: string;
  startDate: string;
  endDate?: string;
}

export interface PageAttempt {
  state: PageState;
}

export interface PageTaskRun {
  id: string;
  taskId: string;
  parentTaskRunId: string | null;
  value: string | null;
  iteration: number | null;
  state: PageState;
  attempts: PageAttempt[];
}

/** Kestra's execution JSON, its taskRunList slim (the execution's own state keeps its histories). */
export type ExecutionPageView = Record<string, unknown> & { taskRunList: PageTaskRun[] };

type Json = Record<string, unknown>;

function pageState(state: unknown): PageState {
  const s = (state ?? {}) as Json;
  return {
    current: String(s.current ?? "CREATED"),
    startDate: String(s.startDate ?? ""),
    ...(typeof s.endDate === "string" ? { endDate: s.endDate } : {}),
  };
}

export function pageTaskRun(run: Json): PageTaskRun {
  return {
    id: String(run.id),
    taskId: String(run.taskId),
    parentTaskRunId: typeof run.parentTaskRunId === "string" ? run.parentTaskRunId : null,
    value: typeof run.value === "string" ? run.value : null,
    iteration: typeof run.iteration === "number" ? run.iteration : null,
    state: pageState(run.state),
    attempts: Array.isArray(run.attempts)
      ? run.attempts.map((attempt) => ({ state: pageState((attempt as Json).state) }))
      : [],
  };
}

/** The page's view of a full execution JSON (what GET /executions/{id} and its follow stream send). */
export function executionPageView(execution: Json): ExecutionPageView {
  const { taskRunList, variables: _variables, metadata: _metadata, ...rest } = execution;
  return {
    ...rest,
    taskRunList: Array.isArray(taskRunList) ? taskRunList.map((run) => pageTaskRun(run as Json)) : [],
  };
}

/**
 * One task run, packed: [id, task (index in `tasks`), parent (index in the list, or its id when it is not
 * in the list, or null), value, iteration, state (index in `states`), start and end (ms after `origin`,
 * null when unset), attempts (0: one attempt with the run's own state and span, the common case; else
 * [state, start, end] each)].
 */
export type PackedTaskRun = [
  string,
  number,
  number | string | null,
  string | null,
  number | null,
  number,
  number | null,
  number | null,
  0 | [number, number | null, number | null][],
];

/** The slim task runs in columns of small numbers: a ForEach of 5,000 runs in about 300 kB, not 1.7 MB. */
export interface PackedTaskRuns {
  origin: number;
  tasks: string[];
  states: string[];
  runs: PackedTaskRun[];
}

/** What the execution page receives first: the view with its task runs packed. */
export type PackedExecutionPageView = Record<string, unknown> & {
  id: string;
  packedTaskRuns: PackedTaskRuns;
};

export function packTaskRuns(runs: PageTaskRun[], originDate: string): PackedTaskRuns {
  const origin = Number.isNaN(Date.parse(originDate)) ? 0 : Date.parse(originDate);
  const tasks: string[] = [];
  const states: string[] = [];
  const taskIndex = new Map<string, number>();
  const stateIndex = new Map<string, number>();
  const cached = (map: Map<string, number>, list: string[], value: string) => {
    let at = map.get(value);
    if (at === undefined) {
      at = list.push(value) - 1;
      map.set(value, at);
    }
    return at;
  };
  const position = new Map(runs.map((run, i) => [run.id, i]));
  const offset = (date: string | undefined) => {
    if (date === undefined) return null;
    const ms = Date.parse(date);
    return Number.isNaN(ms) ? null : ms - origin;
  };
  return {
    origin,
    tasks,
    states,
    runs: runs.map((run): PackedTaskRun => {
      const start = offset(run.state.startDate);
      const end = offset(run.state.endDate);
      const only = run.attempts.length === 1 ? run.attempts[0] : undefined;
      const same =
        only !== undefined &&
        only.state.current === run.state.current &&
        offset(only.state.startDate) === start &&
        offset(only.state.endDate) === end;
      return [
        run.id,
        cached(taskIndex, tasks, run.taskId),
        run.parentTaskRunId === null ? null : (position.get(run.parentTaskRunId) ?? run.parentTaskRunId),
        run.value,
        run.iteration,
        cached(stateIndex, states, run.state.current),
        start,
        end,
        same
          ? 0
          : run.attempts.map((a) => [
              cached(stateIndex, states, a.state.current),
              offset(a.state.startDate),
              offset(a.state.endDate),
            ]),
      ];
    }),
  };
}

export function unpackTaskRuns(packed: PackedTaskRuns): PageTaskRun[] {
  const date = (offset: number | null) =>
    offset === null ? undefined : new Date(packed.origin + offset).toISOString();
  const state = (code: number, start: number | null, end: number | null): PageState => {
    const endDate = date(end);
    return {
      current: packed.states[code] ?? "CREATED",
      startDate: date(start) ?? "",
      ...(endDate !== undefined ? { endDate } : {}),
    };
  };
  const runs = packed.runs;
  return runs.map(([id, task, parent, value, iteration, code, start, end, attempts]) => {
    const own = state(code, start, end);
    return {
      id,
      taskId: packed.tasks[task] ?? "",
      parentTaskRunId: typeof parent === "number" ? (runs[parent]?.[0] ?? null) : parent,
      value,
      iteration,
      state: own,
      attempts: attempts === 0 ? [{ state: own }] : attempts.map(([c, s, e]) => ({ state: state(c, s, e) })),
    };
  });
}

export function packExecutionPageView(view: ExecutionPageView): PackedExecutionPageView {
  const { taskRunList, ...rest } = view;
  const startDate = ((view.state ?? {}) as Json).startDate;
  return {
    ...rest,
    id: String(view.id),
    packedTaskRuns: packTaskRuns(taskRunList, typeof startDate === "string" ? startDate : ""),
  };
}

export function unpackExecutionPageView(packed: PackedExecutionPageView): ExecutionPageView {
  const { packedTaskRuns, ...rest } = packed;
  return { ...rest, taskRunList: unpackTaskRuns(packedTaskRuns) };
}
