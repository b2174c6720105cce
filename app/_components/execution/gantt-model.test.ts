// The Gantt's rows and critical path: a Sequential inside a Parallel, a ForEach's iterations by value.
import { describe, expect, it } from "vitest";
import { criticalPath, type GanttRow, ganttRows } from "./gantt-model";
import type { TaskRunView } from "./live";

const t0 = Date.parse("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0 + ms).toISOString();
function run(
  id: string,
  taskId: string,
  parent: string | null,
  from: number,
  to?: number,
  value?: string,
): TaskRunView {
  return {
    id,
    taskId,
    parentTaskRunId: parent,
    value: value ?? null,
    iteration: null,
    state: {
      current: to === undefined ? "RUNNING" : "SUCCESS",
      startDate: at(from),
      ...(to !== undefined ? { endDate: at(to) } : {}),
    },
    attempts: [],
  };
}

const runs = [
  run("p", "fan", null, 0, 1000),
  run("l", "left", "p", 0, 10),
  run("s", "seq", "p", 0, 1000),
  run("a", "a", "s", 0, 600),
  run("b", "b", "s", 600, 1000),
  run("e", "each", null, 1000, 1300),
  run("x", "item", "e", 1000, 1100, "x"),
  run("y", "item", "e", 1100, 1300, "y"),
  run("f", "flaky", null, 1300),
];

describe("gantt model", () => {
  it("nests runs under their parent, one row per run id, loop runs by value, a running one up to now", () => {
    const rows = ganttRows(runs, t0 + 2000);
    expect(
      rows.map((r) => `${"  ".repeat(r.depth)}${r.run.taskId}${r.run.value ? `[${r.run.value}]` : ""}`),
    ).toEqual(["fan", "  left", "  seq", "    a", "    b", "each", "  item[x]", "  item[y]", "flaky"]);
    expect(rows.at(-1)?.end).toBe(t0 + 2000);
  });

  it("follows the critical path back through sequential runs, not into a Parallel's shorter branch", () => {
    const path = criticalPath(ganttRows(runs, t0 + 2000));
    expect([...path].sort()).toEqual(["a", "b", "e", "f", "p", "s", "x", "y"].sort());
    expect(path.has("l")).toBe(false);
  });

  it("finds the same path as a plain scan of every sibling at every step, on a ForEach of 400 runs", () => {
    // The definition, quadratic: from the latest end, back through whatever ended just before each start.
    const reference = (rows: GanttRow[]) => {
      const path = new Set<string>();
      let current = rows.reduce<GanttRow | undefined>((a, b) => (!a || b.end > a.end ? b : a), undefined);
      while (current) {
        path.add(current.run.id);
        const { start } = current;
        const self = current;
        current = rows
          .filter((r) => r !== self && r.end <= start + 50 && r.start < start && !path.has(r.run.id))
          .reduce<GanttRow | undefined>((a, b) => (!a || b.end > a.end ? b : a), undefined);
      }
      return path;
    };
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const loop = Array.from({ length: 400 }, (_, i) => {
      const from = Math.floor(random() * 20_000);
      return run(`r${i}`, "item", null, from, from + Math.floor(random() * 400), String(i));
    });
    const rows = ganttRows(loop, t0 + 30_000);
    expect([...criticalPath(rows)].sort()).toEqual([...reference(rows)].sort());
  });
});
