"use client";
// One task's runs in an execution: each run (per loop value), its attempts with their states and
// durations, its outputs (a subflow's child execution as a link), its log lines, and "Change state".
import Link from "next/link";
import { DateTime } from "../date-time";
import { useAbilities } from "./actions";
import { ChangeStateButton } from "./change-state";
import { durationMs, type ExecutionView, formatMs, type TaskRunView } from "./live";
import { type LogLine, LogView } from "./log-view";
import { StateBadge } from "./state-badge";
import { useTaskRunDetails } from "./task-run-details";

/** A loop's thousands of runs: the panel shows the latest ones (their outputs read from the server). */
const SHOWN_RUNS = 50;

export function TaskRunDetail({
  tenant,
  execution,
  onChanged,
  taskId,
  runs,
  logs,
  now,
  onClose,
}: {
  tenant: string;
  execution: ExecutionView;
  onChanged(next?: ExecutionView): void;
  taskId: string;
  runs: TaskRunView[];
  logs: LogLine[];
  now: number;
  onClose(): void;
}) {
  const lines = logs.filter((line) => line.taskId === taskId);
  const abilities = useAbilities(tenant, execution.id);
  const shown = runs.length > SHOWN_RUNS ? runs.slice(runs.length - SHOWN_RUNS) : runs;
  const details = useTaskRunDetails(tenant, execution.id, shown);
  return (
    <aside
      aria-label={`Task ${taskId}`}
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center justify-between">
        <h3 className="font-mono text-sm font-semibold">{taskId}</h3>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close"
          className="text-zinc-500 hover:text-zinc-900"
        >
          ✕
        </button>
      </div>
      {runs.length === 0 ? <p className="text-sm text-zinc-500">This task has not run.</p> : null}
      {shown.length < runs.length ? (
        <p className="text-xs text-zinc-500">
          The last {shown.length} of its {runs.length.toLocaleString("en")} runs (the Gantt has every one).
        </p>
      ) : null}
      {shown.map((run) => {
        const full = details?.get(run.id);
        const outputs = full?.outputs;
        const child = outputs?.executionId;
        return (
          <div key={run.id} className="space-y-2 border-t border-zinc-100 pt-2 text-sm dark:border-zinc-800">
            <p className="flex flex-wrap items-center gap-2">
              <StateBadge state={run.state.current} />
              {run.value !== null ? <span className="font-mono text-xs">[{run.value}]</span> : null}
              <span className="text-xs text-zinc-500">
                <DateTime iso={run.state.startDate} timeOnly /> · {formatMs(durationMs(run.state, now))}
              </span>
              <span className="ml-auto">
                <ChangeStateButton
                  tenant={tenant}
                  execution={execution}
                  run={run}
                  ability={abilities?.changeState}
                  onChanged={onChanged}
                />
              </span>
            </p>
            {typeof child === "string" ? (
              <p className="text-xs">
                Subflow execution:{" "}
                <Link href={`/executions/${encodeURIComponent(child)}`} className="font-mono hover:underline">
                  {child}
                </Link>
              </p>
            ) : null}
            <ol className="space-y-0.5 text-xs" aria-label="Attempts">
              {run.attempts.map((attempt, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: attempts are numbered by position
                <li key={index} className="flex items-center gap-2">
                  <span className="text-zinc-500">Attempt {index + 1}</span>
                  <StateBadge state={attempt.state.current} />
                  <span className="text-zinc-500">{formatMs(durationMs(attempt.state, now))}</span>
                </li>
              ))}
            </ol>
            {outputs && Object.keys(outputs).length > 0 ? (
              <pre className="max-h-40 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
                {JSON.stringify(outputs, null, 2)}
              </pre>
            ) : null}
          </div>
        );
      })}
      <LogView lines={lines} follow height={200} />
    </aside>
  );
}
