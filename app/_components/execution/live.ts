"use client";
// The one live data source of the execution page: the execution and its log lines, followed over the two
// Server-Sent Event streams of the REST API (`/executions/{id}/follow`, `/logs/{id}/follow`) and shared by
// every tab. A dropped stream reports "reconnecting" while EventSource retries; a stream the server closes
// before the execution ends is reopened.
import { useEffect, useRef, useState } from "react";
import { executionPageView, type PageTaskRun } from "@/server/services/execution-view";
import type { LogLine } from "./log-view";
import { TERMINAL } from "./state-badge";

export interface StateJson {
  current: string;
  /** The execution's own state carries its histories; its task runs' (slim) do not. */
  histories?: { state: string; date: string }[];
  startDate: string;
  endDate?: string;
  duration?: number;
}

/**
 * A task run as the page holds it (server/services/execution-view.ts): ids, nesting, states and spans.
 * Its outputs and its attempts' errors and metrics are read when shown (useTaskRunDetails).
 */
export type TaskRunView = PageTaskRun;

export interface ExecutionView {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: StateJson & { histories: { state: string; date: string }[] };
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
  scheduleDate?: string;
  trigger?: { id?: string; type?: string; variables?: Record<string, unknown> } | null;
  parentId?: string | null;
  originalId?: string | null;
  /** Kestra's kind: null for a normal execution, LOOP for one iteration of a Loop. */
  kind?: string | null;
  /** Set on a LOOP execution: the loop's execution, task and the iteration. */
  loopRun?: { executionId: string; taskId: string; index: number; value: string; key?: string };
  taskRunList: TaskRunView[];
}

/** The page's view of a full execution (an SSE message, an operation's answer). */
export function toExecutionView(json: unknown): ExecutionView {
  return executionPageView(json as Record<string, unknown>) as unknown as ExecutionView;
}

export type StreamStatus = "live" | "reconnecting" | "ended";

/** Follows an SSE endpoint: `onData` for each message, until an `end` event with `done()` true. */
export function useFollow(
  url: string,
  onData: (data: unknown) => void,
  done: () => boolean,
  enabled: boolean,
  /** A new value reopens the stream (after an operation brought an ended execution back to life). */
  generation = 0,
) {
  const [status, setStatus] = useState<StreamStatus>(enabled ? "live" : "ended");
  const handler = useRef(onData);
  const finished = useRef(done);
  handler.current = onData;
  finished.current = done;
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation only reopens the stream
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
        setStatus("reconnecting");
        if (source?.readyState === EventSource.CLOSED) retry = setTimeout(open, 2000);
      };
    };
    open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [url, enabled, generation]);
  return status;
}

/**
 * How many of the latest log lines the page keeps (and the stream starts with): a longer log is read a
 * window at a time from the server by the Logs tab, never shipped whole.
 */
export const LIVE_LOG_LINES = 2_000;

/** The execution and its logs, live; `generation` restarts both streams (after a restart or resume). */
export function useLiveExecution(tenant: string, initial: ExecutionView) {
  const [execution, setExecution] = useState(initial);
  const [logs, setLogs] = useState<LogLine[]>([]);
  const [generation, setGeneration] = useState(0);
  const seen = useRef(new Set<string>());
  // Lines arrive one event each: appended in one state update per frame, not one per line.
  const pending = useRef<LogLine[]>([]);
  const flush = useRef<ReturnType<typeof setTimeout>>(undefined);
  const current = useRef(execution);
  current.current = execution;
  const base = `/api/v1/${encodeURIComponent(tenant)}`;
  const done = () => TERMINAL.has(current.current.state.current);
  // An execution that had ended when the page was made is not followed until an operation brings it back
  // (the stream would only send it again, whole: megabytes for thousands of task runs).
  const executionStatus = useFollow(
    `${base}/executions/${encodeURIComponent(initial.id)}/follow`,
    (data) => setExecution(toExecutionView(data)),
    done,
    generation > 0 || !TERMINAL.has(initial.state.current),
    generation,
  );
  const logStatus = useFollow(
    `${base}/logs/${encodeURIComponent(initial.id)}/follow?tail=${LIVE_LOG_LINES}`,
    (data) => {
      const line = data as LogLine;
      if (seen.current.has(line.id)) return; // a reconnected stream starts again from the tail
      seen.current.add(line.id);
      pending.current.push(line);
      flush.current ??= setTimeout(() => {
        flush.current = undefined;
        const batch = pending.current;
        pending.current = [];
        setLogs((old) => {
          const next = old.concat(batch);
          return next.length > LIVE_LOG_LINES ? next.slice(next.length - LIVE_LOG_LINES) : next;
        });
      }, 50);
    },
    done,
    true,
    generation,
  );
  const status: StreamStatus =
    executionStatus === "reconnecting" || logStatus === "reconnecting"
      ? "reconnecting"
      : executionStatus === "ended" && logStatus === "ended"
        ? "ended"
        : "live";
  return {
    execution,
    logs,
    status,
    /** After an operation: show its answer now and follow the streams again (the execution lives on). */
    refollow(next?: unknown) {
      if (next) setExecution(toExecutionView(next));
      setGeneration((g) => g + 1);
    },
  };
}

/** Re-renders every second while `running`, for live durations and growing bars. */
export function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

export function durationMs(state: StateJson, now: number): number | undefined {
  const start = Date.parse(state.startDate);
  const end = state.endDate ? Date.parse(state.endDate) : TERMINAL.has(state.current) ? undefined : now;
  return end === undefined ? undefined : end - start;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
