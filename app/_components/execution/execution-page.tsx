"use client";
// The execution page (Kestra's): a header with the state, the flow and the actions, then tabs that are deep
// links (/executions/{id}/{tab}); every tab reads the same live execution and logs (live.ts), so switching
// tabs neither refetches nor reopens a stream. Without a tab in the URL the person's default tab opens.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useEffect, useState } from "react";
import type { FlowGraph } from "@/engine/graph";
import type { LogPage } from "@/server/services/execution-logs";
import { type PackedExecutionPageView, unpackExecutionPageView } from "@/server/services/execution-view";
import { useTRPC } from "../../_trpc/react";
import type { Box } from "../../flows/_components/editor/layout";
import { usePreferences } from "../preferences";
import { ExecutionActions } from "./actions";
import { type ExecutionView, type StreamStatus, useLiveExecution } from "./live";
import { StateBadge, TERMINAL } from "./state-badge";
import { GanttTab } from "./tab-gantt";
import { LogsTab } from "./tab-logs";
import { MetricsTab } from "./tab-metrics";
import { OutputsTab } from "./tab-outputs";
import { OverviewTab } from "./tab-overview";
import { TopologyTab } from "./tab-topology";
import { EXECUTION_PAGE_TABS, type ExecutionPageTab } from "./tabs";

const TITLES: Record<ExecutionPageTab, string> = {
  overview: "Overview",
  topology: "Topology",
  gantt: "Gantt",
  logs: "Logs",
  outputs: "Outputs",
  metrics: "Metrics",
};

export interface TabProps {
  tenant: string;
  execution: ExecutionView;
  logs: import("./log-view").LogLine[];
  /** How many lines the execution has in all (the server's count; logs holds the latest ones). */
  logTotal?: number;
  running: boolean;
  /** After an operation on the execution: show its answer and follow it again. */
  onChanged(next?: ExecutionView): void;
}

function StreamStatusText({ status, running }: { status: StreamStatus; running: boolean }) {
  return (
    <span
      role="status"
      className={`text-xs font-normal ${status === "reconnecting" ? "text-amber-700 dark:text-amber-300" : running ? "text-green-700 dark:text-green-400" : "text-zinc-500"}`}
    >
      {status === "reconnecting" ? "Reconnecting…" : running ? "● Live" : "Ended"}
    </span>
  );
}

export function ExecutionPage({
  tenant,
  initial,
  tab,
  initialGraph,
  initialLayout,
  initialLogPage,
}: {
  tenant: string;
  /** executions.page: the execution with its task runs packed (a few hundred kB for thousands of runs). */
  initial: PackedExecutionPageView;
  /** The tab in the URL, if any. */
  tab?: ExecutionPageTab;
  /** The Topology's graph when the page opens on that tab. */
  initialGraph?: FlowGraph;
  /** initialGraph laid out on the server. */
  initialLayout?: { direction: "LR" | "TB"; boxes: Record<string, Box> };
  /** The Logs tab's first window (FIRST_LOG_WINDOW lines, every level) when the page opens on that tab. */
  initialLogPage?: LogPage;
}) {
  const preferences = usePreferences();
  const [unpacked] = useState(() => unpackExecutionPageView(initial) as unknown as ExecutionView);
  const live = useLiveExecution(tenant, unpacked);
  const { execution, logs } = live;
  const fallback = (EXECUTION_PAGE_TABS as readonly string[]).includes(preferences.defaultExecutionTab)
    ? (preferences.defaultExecutionTab as ExecutionPageTab)
    : "overview";
  const [shown, setShown] = useState<ExecutionPageTab>(tab ?? fallback);
  const running = !TERMINAL.has(execution.state.current);
  const href = (t: ExecutionPageTab) => `/executions/${encodeURIComponent(execution.id)}/${t}`;

  useEffect(() => {
    const onPop = () => {
      const last = window.location.pathname.split("/").at(-1) as ExecutionPageTab;
      setShown(EXECUTION_PAGE_TABS.includes(last) ? last : fallback);
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [fallback]);

  const trpc = useTRPC();
  const counts = useQuery({
    ...trpc.executions.logCounts.queryOptions(
      { tenant, executionId: execution.id },
      // Counting a million lines takes a while: the page's other queries do not wait for it.
      { trpc: { context: { skipBatch: true } } },
    ),
    refetchInterval: running ? 5_000 : false,
  }).data;
  // While running, the stream's lines may be ahead of the last count.
  const logTotal = counts ? Math.max(counts.total, logs.length) : undefined;
  const props: TabProps = {
    tenant,
    execution,
    logs,
    running,
    onChanged: live.refollow,
    ...(logTotal !== undefined ? { logTotal } : {}),
  };
  const content: Record<ExecutionPageTab, ReactNode> = {
    overview: <OverviewTab {...props} />,
    topology: (
      <TopologyTab
        {...props}
        {...(initialGraph ? { initialGraph } : {})}
        {...(initialLayout ? { initialLayout } : {})}
      />
    ),
    gantt: <GanttTab {...props} />,
    logs: <LogsTab {...props} {...(initialLogPage ? { initialPage: initialLogPage } : {})} />,
    outputs: <OutputsTab {...props} />,
    metrics: <MetricsTab {...props} />,
  };

  return (
    <>
      {live.status === "reconnecting" ? (
        <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200">
          The connection to the server dropped: this page resumes by itself as soon as it answers again.
        </div>
      ) : null}
      <div className="mb-4 flex flex-wrap items-start gap-4">
        <div className="min-w-0 flex-1">
          <p className="text-sm text-zinc-500">
            <Link href={`/flows/${execution.namespace}`} className="hover:underline">
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
            <StreamStatusText status={live.status} running={running} />
          </h1>
          <p className="mt-1 font-mono text-xs text-zinc-500">
            {execution.id} · revision {execution.flowRevision}
          </p>
        </div>
        <ExecutionActions tenant={tenant} execution={execution} onChanged={live.refollow} />
      </div>

      <nav
        aria-label="Execution tabs"
        className="mb-4 flex gap-1 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800"
      >
        {EXECUTION_PAGE_TABS.map((t) => (
          <a
            key={t}
            href={href(t)}
            aria-current={shown === t ? "page" : undefined}
            onClick={(event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              window.history.pushState(null, "", href(t));
              setShown(t);
            }}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              shown === t
                ? "border-brand-600 text-brand-700 dark:text-brand-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {TITLES[t]}
            {t === "logs" ? (
              <span
                className="ml-1 text-xs text-zinc-500"
                title={logTotal === undefined ? "Counting…" : undefined}
              >
                {/* Not the lines the stream brought so far (0 at first, 2,000 of a million later): the count. */}
                {logTotal === undefined ? "…" : logTotal.toLocaleString("en")}
              </span>
            ) : null}
          </a>
        ))}
      </nav>
      <section aria-label={TITLES[shown]}>{content[shown]}</section>
    </>
  );
}
