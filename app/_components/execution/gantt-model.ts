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
    const siblings = children.get(parent);
    if (siblings) siblings.push(run);
    else children.set(parent, [run]);
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
    const siblings = byParent.get(parent);
    if (siblings) siblings.push(row);
    else byParent.set(parent, [row]);
  }
  const slack = 50; // ms between one run's end and the next one's start
  const follow = (parent: string | null) => {
    // By end, latest first (the earlier sibling first among equal ends): each step walks back from the
    // latest end allowed, so a ForEach of thousands of runs is not scanned whole at every step.
    const siblings = (byParent.get(parent) ?? [])
      .map((row, index) => ({ row, index }))
      .sort((a, b) => b.row.end - a.row.end || a.index - b.index)
      .map((entry) => entry.row);
    let current: GanttRow | undefined = siblings[0];
    while (current) {
      path.add(current.run.id);
      follow(current.run.id);
      const start = current.start;
      const self = current;
      // The first sibling ending at or before start + slack (binary search), then the first of those that
      // started strictly before (a Parallel's branches start together: none waits for another).
      let low = 0;
      let high = siblings.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if ((siblings[mid] as GanttRow).end > start + slack) low = mid + 1;
        else high = mid;
      }
      current = undefined;
      for (let i = low; i < siblings.length; i++) {
        const row = siblings[i] as GanttRow;
        if (row !== self && row.start < start && !path.has(row.run.id)) {
          current = row;
          break;
        }
      }
    }
  };
  follow(null);
  return path;
}
