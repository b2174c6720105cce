"use client";
// One execution, live: its state, flow, inputs, outputs, task runs (with attempts) and logs, updated from the
// two Server-Sent Event streams of the REST API (`/executions/{id}/follow`, `/logs/{id}/follow`). A dropped
// stream shows "Reconnecting…" while EventSource retries; a stream that ends before the execution does is
// reopened. "Run again" opens the launch form with this execution's inputs.
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { DateTime } from "../date-time";
import { ExecuteButton } from "../execute";
import { Card } from "../ui";
import { type LogLine, LogView } from "./log-view";
import { StateBadge, TERMINAL } from "./state-badge";

interface StateJson {
  current: string;
  histories: { state: string; date: string }[];
  startDate: string;
  endDate?: string;
  duration?: number;
}

export interface ExecutionView {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: StateJson;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
  scheduleDate?: string;
  taskRunList: {
    id: string;
    taskId: string;
    parentTaskRunId: string | null;
    value: string | null;
    state: StateJson;
    attempts?: { state: StateJson }[];
    outputs?: Record<string, unknown> | null;
  }[];
}

export type StreamStatus = "live" | "reconnecting" | "ended";

/**
 * Follows an SSE endpoint: `onData` for each `data:` message, until an `end` event with `done()` true.
 * Reports "reconnecting" while the browser retries a dropped connection.
 */
function useFollow(url: string, onData: (data: unknown) => void, done: () => boolean, enabled: boolean) {
  const [status, setStatus] = useState<StreamStatus>(enabled ? "live" : "ended");
  const handler = useRef(onData);
  const finished = useRef(done);
  handler.current = onData;
  finished.current = done;
  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      source = new EventSource(url);
      source.onopen = () => setStatus("live");
      source.onmessage = (event) => {
        setStatus("live");
        handler.current(JSON.parse(event.data));
      };
      source.addEventListener("end", () => {
        source?.close();
        if (finished.current() || stopped) setStatus("ended");
        else retry = setTimeout(open, 1000); // the server closed a long stream: follow on
      });
      source.onerror = (event) => {
        const message = (event as MessageEvent).data;
        if (typeof message === "string") {
          // The server's own `event: error` (e.g. the execution was deleted): stop.
          source?.close();
          setStatus("ended");
          return;
        }
        if (source?.readyState === EventSource.CLOSED) {
          setStatus("reconnecting");
          retry = setTimeout(open, 2000);
        } else setStatus("reconnecting");
      };
    };
    open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [url, enabled]);
  return status;
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

function durationOf(state: StateJson, now: number): number | undefined {
  const start = Date.parse(state.startDate);
  const end = state.endDate ? Date.parse(state.endDate) : TERMINAL.has(state.current) ? undefined : now;
  return end === undefined ? undefined : end - start;
}

function Values({ values, empty }: { values?: Record<string, unknown> | null; empty: string }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <p className="text-sm text-zinc-500">{empty}</p>;
  return (
    <dl className="grid grid-cols-[minmax(6rem,max-content)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-mono text-xs text-zinc-500">{key}</dt>
          <dd className="min-w-0 break-words font-mono text-xs">
            {typeof value === "string" ? value : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ExecutionLive({ tenant, initial }: { tenant: string; initial: ExecutionView }) {
  const [execution, setExecution] = useState(initial);
  const [logs, setLogs] = useState<LogLine[]>([]);
  const seen = useRef(new Set<string>());
  const [now, setNow] = useState(() => Date.now());
  const terminal = TERMINAL.has(execution.state.current);
  const base = `/api/v1/${encodeURIComponent(tenant)}`;

  const executionStatus = useFollow(
    `${base}/executions/${encodeURIComponent(initial.id)}/follow`,
    (data) => setExecution(data as ExecutionView),
    () => TERMINAL.has(execution.state.current),
    true,
  );
  const logStatus = useFollow(
    `${base}/logs/${encodeURIComponent(initial.id)}/follow`,
    (data) => {
      const line = data as LogLine;
      if (seen.current.has(line.id)) return; // a reconnected stream starts again from the first line
      seen.current.add(line.id);
      setLogs((old) => [...old, line]);
    },
    () => TERMINAL.has(execution.state.current),
    true,
  );

  useEffect(() => {
    if (terminal) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [terminal]);

  const reconnecting = executionStatus === "reconnecting" || logStatus === "reconnecting";
  const runs = useMemo(() => execution.taskRunList ?? [], [execution]);

  return (
    <>
      <div className="mb-6 flex flex-wrap items-start gap-4">
        <div className="min-w-0 flex-1">
          <p className="text-sm text-zinc-500">
            <Link href={`/flows/${execution.namespace}/${execution.flowId}`} className="hover:underline">
              {execution.namespace}
            </Link>
          </p>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            <Link
              href={`/flows/${execution.namespace}/${execution.flowId}`}
              className="hover:underline"
              aria-label={`Flow ${execution.namespace}.${execution.flowId}`}
            >
              {execution.flowId}
            </Link>
            <StateBadge state={execution.state.current} large />
          </h1>
          <p className="mt-1 font-mono text-xs text-zinc-500">
            {execution.id} · revision {execution.flowRevision}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <span
            role="status"
            className={`text-xs ${reconnecting ? "text-amber-700 dark:text-amber-300" : terminal ? "text-zinc-500" : "text-green-700 dark:text-green-400"}`}
          >
            {reconnecting ? "Reconnecting…" : terminal ? "Ended" : "● Live"}
          </span>
          <ExecuteButton
            tenant={tenant}
            namespace={execution.namespace}
            flowId={execution.flowId}
            initialValues={execution.inputs}
            label="Run again"
            variant="plain"
          />
        </div>
      </div>

      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(
          [
            ["Started", <DateTime key="s" iso={execution.state.startDate} />, undefined],
            ["Ended", <DateTime key="e" iso={execution.state.endDate} />, undefined],
            ["Duration", formatDuration(durationOf(execution.state, now)), undefined],
            [
              "Labels",
              (execution.labels ?? []).map((l) => `${l.key}:${l.value}`).join(", ") || "—",
              (execution.labels ?? []).map((l) => `${l.key}:${l.value}`).join(", "),
            ],
          ] as const
        ).map(([label, value, title]) => (
          <div
            key={label}
            className="rounded-lg border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <p className="text-xs text-zinc-500">{label}</p>
            <p className="truncate text-sm font-medium" title={title}>
              {value}
            </p>
          </div>
        ))}
      </div>

      <div className="grid gap-x-6 md:grid-cols-2">
        <Card title="Inputs">
          <Values values={execution.inputs} empty="No inputs." />
        </Card>
        <Card title="Outputs">
          <Values
            values={execution.outputs}
            empty={terminal ? "No outputs." : "Outputs appear when it ends."}
          />
        </Card>
      </div>

      <Card title="Task runs">
        {runs.length === 0 ? (
          <p className="text-sm text-zinc-500">No task has started yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table aria-label="Task runs" className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  {["Task", "State", "Attempts", "Duration", "Started"].map((h) => (
                    <th
                      key={h}
                      className="border-b border-zinc-200 py-2 pr-4 font-medium dark:border-zinc-800"
                    >
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {runs.map((run) => (
                  <tr key={run.id} data-task={run.taskId}>
                    <td className="py-2 pr-4 font-mono text-xs">
                      {run.taskId}
                      {run.value !== null ? <span className="text-zinc-500"> [{run.value}]</span> : null}
                    </td>
                    <td className="py-2 pr-4">
                      <StateBadge state={run.state.current} />
                    </td>
                    <td className="py-2 pr-4">
                      <span className="flex flex-wrap gap-1">
                        {(run.attempts ?? []).map((attempt, index) => (
                          <span
                            // biome-ignore lint/suspicious/noArrayIndexKey: attempts are numbered by position
                            key={index}
                            title={`Attempt ${index + 1}: ${attempt.state.current}`}
                            className="text-xs text-zinc-500"
                          >
                            #{index + 1} {attempt.state.current.toLowerCase()}
                          </span>
                        ))}
                        {(run.attempts ?? []).length === 0 ? (
                          <span className="text-xs text-zinc-400">—</span>
                        ) : null}
                      </span>
                    </td>
                    <td className="py-2 pr-4 text-xs">{formatDuration(durationOf(run.state, now))}</td>
                    <td className="py-2 pr-4 text-xs text-zinc-500">
                      <DateTime iso={run.state.startDate} timeOnly />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card title={`Logs (${logs.length})`}>
        <LogView lines={logs} follow={!terminal} />
      </Card>
    </>
  );
}
