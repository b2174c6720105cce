"use client";
// Gantt: one row per task run nested under its parent (keyed by task run id, a loop's runs by value), its
// attempts as segments, growing live; zoom with the slider (or Ctrl/Cmd + wheel); the critical path
// outlined; a ghost bar for the task's median over the flow's last 20 successful executions, and runs
// slower than twice that marked. Past WINDOWED_FROM runs (a ForEach of thousands), the rows scroll in a box
// and only those on screen are drawn: five thousand rows of bars would take seconds to lay out.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import type { TabProps } from "./execution-page";
import { criticalPath, ganttRows } from "./gantt-model";
import { formatMs, useNow } from "./live";
import { TaskRunDetail } from "./task-run-detail";

const BAR: Record<string, string> = {
  SUCCESS: "bg-green-500",
  WARNING: "bg-amber-500",
  FAILED: "bg-red-500",
  RUNNING: "bg-blue-500",
  RETRYING: "bg-orange-500",
  PAUSED: "bg-purple-500",
  KILLED: "bg-zinc-500",
  CANCELLED: "bg-zinc-400",
  CREATED: "bg-sky-400",
  SKIPPED: "bg-zinc-300",
};

const ROW = 32; // h-8
const WINDOWED_FROM = 300;
const BOX = 640;

export function GanttTab({ tenant, execution, logs, running, onChanged }: TabProps) {
  const trpc = useTRPC();
  const now = useNow(running);
  const [zoom, setZoom] = useState(1);
  const [selected, setSelected] = useState<string>();
  const [scrollTop, setScrollTop] = useState(0);
  const medians = useQuery(
    trpc.executions.taskMedians.queryOptions(
      { tenant, namespace: execution.namespace, flowId: execution.flowId },
      { trpc: { context: { skipBatch: true } } },
    ),
  ).data;
  const rows = useMemo(() => ganttRows(execution.taskRunList, now), [execution, now]);
  const critical = useMemo(() => criticalPath(rows), [rows]);
  // A row is one task run: its panel shows that run (a loop's other iterations are rows of their own).
  const selectedRun = selected ? execution.taskRunList.find((run) => run.id === selected) : undefined;
  const origin = Date.parse(execution.state.startDate);
  const finish = Math.max(
    execution.state.endDate ? Date.parse(execution.state.endDate) : now,
    ...rows.map((r) => r.end),
    ...rows.map((r) => r.start + (medians?.[r.run.taskId] ?? 0)),
    origin + 1,
  );
  const total = finish - origin;
  // The bars use 92% of the width: the rest keeps room for the duration written after the last one.
  const pct = (t: number) => `${((t - origin) / total) * 92}%`;
  const width = (from: number, to: number) => `${Math.max(0.2, ((to - from) / total) * 92)}%`;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const windowed = rows.length > WINDOWED_FROM;
  const first = windowed ? Math.max(0, Math.floor(scrollTop / ROW) - 20) : 0;
  const last = windowed ? Math.min(rows.length, Math.ceil((scrollTop + BOX) / ROW) + 20) : rows.length;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          Zoom
          <input
            type="range"
            min={1}
            max={20}
            step={0.5}
            value={zoom}
            aria-label="Zoom"
            onChange={(e) => setZoom(Number(e.target.value))}
          />
          <span className="w-10 text-xs text-zinc-500">{zoom}×</span>
        </label>
        <span className="flex items-center gap-1 text-xs text-zinc-500">
          <span className="inline-block h-2 w-5 rounded-sm ring-2 ring-brand-600" /> critical path
        </span>
        <span className="flex items-center gap-1 text-xs text-zinc-500">
          <span className="inline-block h-2 w-5 rounded-sm border border-dashed border-zinc-400" /> median of
          the last 20 successes
        </span>
        <span className="text-xs text-red-600">⚠ slower than 2× the median</span>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No task has started yet.</p>
      ) : (
        <div
          className={`overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900 ${windowed ? "overflow-y-auto" : ""}`}
          style={windowed ? { maxHeight: BOX } : undefined}
          onScroll={windowed ? (event) => setScrollTop(event.currentTarget.scrollTop) : undefined}
          onWheel={(event) => {
            if (!event.ctrlKey && !event.metaKey) return;
            event.preventDefault();
            setZoom((z) => Math.min(20, Math.max(1, z * (event.deltaY < 0 ? 1.2 : 1 / 1.2))));
          }}
        >
          <div className="grid grid-cols-[16rem_1fr]" data-testid="gantt">
            <div className="sticky left-0 z-10 border-b border-r border-zinc-200 bg-white px-2 py-1 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
              Task
            </div>
            <div
              className="relative border-b border-zinc-200 dark:border-zinc-800"
              style={{ width: `${zoom * 100}%` }}
            >
              {ticks.map((t) => (
                <span
                  key={t}
                  className="absolute top-1 whitespace-nowrap px-1 text-[10px] text-zinc-500"
                  style={{ left: `${t * 92}%` }}
                >
                  {formatMs(total * t)}
                </span>
              ))}
              <span className="invisible text-xs">0</span>
            </div>
            {first > 0 ? <div className="col-span-2" style={{ height: first * ROW }} /> : null}
            {rows.slice(first, last).map((row) => {
              const median = medians?.[row.run.taskId];
              const took = row.end - row.start;
              const slow = median !== undefined && median > 0 && took > 2 * median;
              const onPath = critical.has(row.run.id);
              return (
                <div
                  key={row.run.id}
                  className="contents"
                  data-task-run={row.run.id}
                  data-task={row.run.taskId}
                >
                  <button
                    type="button"
                    onClick={() => setSelected(row.run.id)}
                    className="sticky left-0 z-10 flex items-center gap-1 truncate border-r border-zinc-200 bg-white py-1 pr-2 text-left font-mono text-xs hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800"
                    style={{ paddingLeft: `${0.5 + row.depth}rem` }}
                    title={`${row.run.taskId}${row.run.value !== null ? ` [${row.run.value}]` : ""}`}
                  >
                    <span className="truncate">{row.run.taskId}</span>
                    {row.run.value !== null ? (
                      <span className="truncate text-zinc-500">[{row.run.value}]</span>
                    ) : null}
                    {slow ? (
                      <span
                        className="text-red-600"
                        title={`Slower than 2× the median (${formatMs(median)})`}
                      >
                        ⚠
                      </span>
                    ) : null}
                  </button>
                  <div
                    className="relative h-8 border-b border-zinc-100 dark:border-zinc-800/60"
                    style={{ width: `${zoom * 100}%` }}
                  >
                    {median !== undefined ? (
                      <div
                        data-ghost
                        className="absolute top-1 h-4 rounded-sm border border-dashed border-zinc-400 dark:border-zinc-500"
                        style={{ left: pct(row.start), width: width(row.start, row.start + median) }}
                        title={`Median ${formatMs(median)}`}
                      />
                    ) : null}
                    <div
                      data-bar
                      data-state={row.run.state.current}
                      data-critical={onPath || undefined}
                      className={`absolute top-1 h-4 rounded-sm ${BAR[row.run.state.current] ?? "bg-zinc-400"} ${onPath ? "ring-2 ring-brand-600" : ""} ${slow ? "outline outline-2 outline-red-600" : ""}`}
                      style={{ left: pct(row.start), width: width(row.start, row.end) }}
                      title={`${row.run.taskId}: ${row.run.state.current}, ${formatMs(took)}`}
                    />
                    {row.attempts.length > 1
                      ? row.attempts.map((attempt, index) => (
                          <div
                            // biome-ignore lint/suspicious/noArrayIndexKey: attempts are numbered by position
                            key={index}
                            data-attempt={index + 1}
                            className={`absolute top-[22px] h-1.5 rounded-sm ${BAR[attempt.state] ?? "bg-zinc-400"}`}
                            style={{ left: pct(attempt.start), width: width(attempt.start, attempt.end) }}
                            title={`Attempt ${index + 1}: ${attempt.state}, ${formatMs(attempt.end - attempt.start)}`}
                          />
                        ))
                      : null}
                    <span
                      className="absolute top-1 whitespace-nowrap pl-1 text-[10px] leading-4 text-zinc-600 dark:text-zinc-300"
                      style={{ left: `calc(${pct(row.end)} + 2px)` }}
                    >
                      {formatMs(took)}
                    </span>
                  </div>
                </div>
              );
            })}
            {last < rows.length ? (
              <div className="col-span-2" style={{ height: (rows.length - last) * ROW }} />
            ) : null}
          </div>
        </div>
      )}
      {windowed ? (
        <p className="text-xs text-zinc-500">
          {rows.length.toLocaleString("en")} task runs; rows {(first + 1).toLocaleString("en")}–
          {last.toLocaleString("en")} drawn, the others as you scroll.
        </p>
      ) : null}
      {selectedRun ? (
        <TaskRunDetail
          tenant={tenant}
          execution={execution}
          onChanged={onChanged}
          taskId={selectedRun.taskId}
          runs={[selectedRun]}
          logs={logs}
          now={now}
          onClose={() => setSelected(undefined)}
        />
      ) : null}
    </div>
  );
}
