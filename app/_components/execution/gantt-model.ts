// The Gantt's rows, pure: task runs nested under their parent run (a Sequential inside a Parallel, each
// ForEach iteration by its `value`), keyed by task run id, with their spans, and the critical path: from
// the run that ended last, back through whatever ended just before each one started (siblings), and down
// into the child that ended last.
import type { TaskRunView } from "./live";

export interface GanttRow {
  run: TaskRunView;
  depth: number;
  start: number;
  /** The end, or `now` while it runs. */
  end: number;
  attempts: { state: string; start: number; end: number }[];
}

export function ganttRows(runs: TaskRunView[], now: number): GanttRow[] {
  const children = new Map<string | null, TaskRunView[]>();
  const ids = new Set(runs.map((r) => r.id));
  for (const run of runs) {
    const parent = run.parentTaskRunId && ids.has(run.parentTaskRunId) ? run.parentTaskRunId : null;
    children.set(parent, [...(children.get(parent) ?? []), run]);
  }
  const span = (state: TaskRunView["state"]) => {
    const start = Date.parse(state.startDate);
    const end = state.endDate ? Date.parse(state.endDate) : now;
    return { start, end: Math.max(start, end) };
  };
  const out: GanttRow[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const run of children.get(parent) ?? []) {
      out.push({
        run,
        depth,
        ...span(run.state),
        attempts: (run.attempts ?? []).map((a) => ({ state: a.state.current, ...span(a.state) })),
      });
      walk(run.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The ids of the task runs on the critical path. */
export function criticalPath(rows: GanttRow[]): Set<string> {
  const path = new Set<string>();
  const byParent = new Map<string | null, GanttRow[]>();
  const ids = new Set(rows.map((r) => r.run.id));
  for (const row of rows) {
    const parent =
      row.run.parentTaskRunId && ids.has(row.run.parentTaskRunId) ? row.run.parentTaskRunId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), row]);
  }
  const slack = 50; // ms between one run's end and the next one's start
  const follow = (parent: string | null) => {
    const siblings = byParent.get(parent) ?? [];
    let current = siblings.reduce<GanttRow | undefined>((a, b) => (!a || b.end > a.end ? b : a), undefined);
    while (current) {
      path.add(current.run.id);
      follow(current.run.id);
      const start = current.start;
      const self = current;
      current = siblings
        // started strictly before (a Parallel's branches start together: none waits for another)
        .filter(
          (row) => row !== self && row.end <= start + slack && row.start < start && !path.has(row.run.id),
        )
        .reduce<GanttRow | undefined>((a, b) => (!a || b.end > a.end ? b : a), undefined);
    }
  };
  follow(null);
  return path;
}
