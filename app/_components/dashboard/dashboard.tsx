"use client";
// The dashboard: executions over time by state, success ratio, what runs and waits now, recent failures,
// the slowest flows (p50 / p95), executions and failures per namespace, recent error logs. Refreshes every
// 10 s. Give it a namespace or a flow and namespace and flow pages show the same figures for themselves.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatElapsed, formatRelative } from "../../_lib/format-date";
import { useTRPC } from "../../_trpc/react";
import { StateChart } from "../executions/state-chart";
import { StateBadge } from "../executions/states";
import { useFormatDate, useTimeZone } from "../preferences";
import { Card, Empty, ErrorText } from "../ui";

const RANGES = [
  { value: "24h", label: "24 hours" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
] as const;
type Range = (typeof RANGES)[number]["value"];

const REFRESH_MS = 10_000;

export function Dashboard({
  tenant,
  namespace,
  flowId,
}: {
  tenant: string;
  namespace?: string;
  flowId?: string;
}) {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("7d");
  const timeZone = useTimeZone();
  const formatDate = useFormatDate();
  const query = useQuery({
    ...trpc.dashboard.get.queryOptions({
      tenant,
      range,
      timeZone,
      ...(namespace ? { namespace } : {}),
      ...(flowId ? { flowId } : {}),
    }),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const scoped = new URLSearchParams({
    range: range === "24h" ? "24h" : range,
    ...(namespace ? { namespace } : {}),
    ...(flowId ? { flowId } : {}),
  });

  if (query.error && !data)
    return (
      <Card>
        <ErrorText>Could not load the dashboard: {query.error.message}</ErrorText>
      </Card>
    );
  if (!data)
    return (
      <div aria-busy="true" className="grid gap-4 md:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-24 animate-pulse rounded-xl bg-zinc-200/70 dark:bg-zinc-800/70" />
        ))}
      </div>
    );
  if (!data.hasFlows && !namespace && !flowId) return <GetStarted />;

  const total = Object.values(data.totals).reduce<number>((s, n) => s + (n ?? 0), 0);
  const running = (data.active.RUNNING ?? 0) + (data.active.RETRYING ?? 0) + (data.active.KILLING ?? 0);
  const waiting = (data.active.CREATED ?? 0) + (data.active.QUEUED ?? 0) + (data.active.RESTARTED ?? 0);
  const maxNs = Math.max(1, ...data.perNamespace.map((n) => n.total));

  return (
    <div>
      <div className="mb-6 flex flex-wrap items-center gap-3">
        <fieldset
          aria-label="Time range"
          className="inline-flex rounded-md border border-zinc-300 dark:border-zinc-700"
        >
          {RANGES.map((r) => (
            <button
              key={r.value}
              type="button"
              aria-pressed={range === r.value}
              onClick={() => setRange(r.value)}
              className={`px-3 py-1.5 text-sm first:rounded-l-md last:rounded-r-md ${
                range === r.value
                  ? "bg-brand-600 text-white"
                  : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
              }`}
            >
              {r.label}
            </button>
          ))}
        </fieldset>
        <span className="text-xs text-zinc-500">
          Refreshes every 10 s{query.isFetching ? " · refreshing…" : ""} · times in {timeZone}
        </span>
      </div>

      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Stat label="Executions" value={total.toLocaleString("en")} href={`/executions?${scoped}`} />
        <Stat
          label="Success ratio"
          value={data.successRatio === null ? "—" : `${(data.successRatio * 100).toFixed(1)}%`}
          tone={data.successRatio !== null && data.successRatio < 0.9 ? "bad" : "good"}
        />
        <Stat
          label="Failed"
          value={(data.totals.FAILED ?? 0).toLocaleString("en")}
          tone={(data.totals.FAILED ?? 0) > 0 ? "bad" : undefined}
          href={`/executions?${scoped}&state=FAILED`}
        />
        <Stat
          label="Running now"
          value={running.toLocaleString("en")}
          href={`/executions?range=all&state=RUNNING`}
        />
        <Stat
          label="Queued · paused"
          value={`${waiting.toLocaleString("en")} · ${(data.active.PAUSED ?? 0).toLocaleString("en")}`}
          href={`/executions?range=all&state=QUEUED&state=CREATED&state=PAUSED`}
        />
      </div>

      <Card title="Executions over time">
        <StateChart
          points={data.overTime}
          bucket={data.bucket}
          from={new Date(data.from)}
          to={new Date(data.to)}
          timeZone={timeZone}
          height={180}
        />
      </Card>

      <div className="grid gap-x-6 lg:grid-cols-2">
        <Card title="Recent failures">
          {data.recentFailures.length === 0 ? (
            <Empty>No failed execution in this period.</Empty>
          ) : (
            <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
              {data.recentFailures.map((e) => (
                <li key={e.id} className="flex items-center gap-3 py-1.5">
                  <StateBadge state={e.state} />
                  <Link
                    href={`/executions/${e.id}`}
                    className="font-mono text-xs text-brand-600 hover:underline"
                  >
                    {e.id.slice(0, 8)}
                  </Link>
                  <Link href={`/flows/${e.namespace}/${e.flowId}`} className="truncate hover:underline">
                    {e.namespace}.{e.flowId}
                  </Link>
                  <span
                    className="ml-auto whitespace-nowrap text-xs text-zinc-500"
                    title={formatDate(e.startDate)}
                  >
                    {formatRelative(e.startDate)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title="Slowest flows">
          <p className="-mt-2 mb-2 text-xs text-zinc-500">
            Durations of ended executions, by p95
            {data.durationsEstimated ? " — p50 and p95 estimated from a histogram, within about 9%" : ""}.
          </p>
          {data.slowestFlows.length === 0 ? (
            <Empty>No execution ended in this period.</Empty>
          ) : (
            <table aria-label="Slowest flows" className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th className="pb-1 font-medium">Flow</th>
                  <th className="pb-1 text-right font-medium">Runs</th>
                  <th className="pb-1 text-right font-medium">p50</th>
                  <th className="pb-1 text-right font-medium">p95</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {data.slowestFlows.map((f) => (
                  <tr key={`${f.namespace}/${f.flowId}`}>
                    <td className="py-1.5">
                      <Link href={`/flows/${f.namespace}/${f.flowId}`} className="hover:underline">
                        <span className="text-zinc-500">{f.namespace}.</span>
                        {f.flowId}
                      </Link>
                    </td>
                    <td className="py-1.5 text-right tabular-nums">{f.count.toLocaleString("en")}</td>
                    <td className="py-1.5 text-right tabular-nums">{formatElapsed(f.p50Ms)}</td>
                    <td className="py-1.5 text-right font-medium tabular-nums">{formatElapsed(f.p95Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>

        <Card title="Per namespace">
          {data.perNamespace.length === 0 ? (
            <Empty>No execution in this period.</Empty>
          ) : (
            <ul className="space-y-2 text-sm">
              {data.perNamespace.map((n) => (
                <li key={n.namespace}>
                  <div className="flex justify-between">
                    <Link
                      href={`/executions?namespace=${encodeURIComponent(n.namespace)}&range=${range}`}
                      className="hover:underline"
                    >
                      {n.namespace}
                    </Link>
                    <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                      {n.total.toLocaleString("en")} run{n.total === 1 ? "" : "s"}
                      {n.failed ? (
                        <span className="ml-2 text-red-600">{n.failed.toLocaleString("en")} failed</span>
                      ) : null}
                    </span>
                  </div>
                  <div className="mt-1 flex h-1.5 overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800">
                    <div
                      className="bg-emerald-500"
                      style={{ width: `${((n.total - n.failed) / maxNs) * 100}%` }}
                    />
                    <div className="bg-red-500" style={{ width: `${(n.failed / maxNs) * 100}%` }} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card title="Recent error logs">
          {data.errorLogs.length === 0 ? (
            <Empty>No error logged in this period.</Empty>
          ) : (
            <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
              {data.errorLogs.map((log) => (
                <li key={log.id} className="py-1.5">
                  <div className="flex gap-2 text-xs text-zinc-500">
                    <span title={formatDate(log.timestamp)}>{formatRelative(log.timestamp)}</span>
                    <span>
                      {log.namespace}.{log.flowId}
                      {log.taskId ? ` · ${log.taskId}` : ""}
                    </span>
                    {log.executionId ? (
                      <Link
                        href={`/executions/${log.executionId}`}
                        className="ml-auto font-mono text-brand-600 hover:underline"
                      >
                        {log.executionId.slice(0, 8)}
                      </Link>
                    ) : null}
                  </div>
                  <p className="mt-0.5 line-clamp-2 break-words font-mono text-xs text-red-700 dark:text-red-300">
                    {log.message}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}

function Stat({
  label,
  value,
  href,
  tone,
}: {
  label: string;
  value: string;
  href?: string;
  tone?: "good" | "bad";
}) {
  const color =
    tone === "bad"
      ? "text-red-600 dark:text-red-400"
      : tone === "good"
        ? "text-emerald-600 dark:text-emerald-400"
        : "";
  const body = (
    <>
      <span className="block text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</span>
      <span className={`mt-1 block text-2xl font-semibold tabular-nums ${color}`}>{value}</span>
    </>
  );
  const look = "block rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900";
  return href ? (
    <Link href={href} className={`${look} transition-colors hover:border-brand-500`}>
      {body}
    </Link>
  ) : (
    <section aria-label={label} className={look}>
      {body}
    </section>
  );
}

function GetStarted() {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white p-8 dark:border-zinc-700 dark:bg-zinc-900">
      <h2 className="text-lg font-semibold">Nothing has run yet</h2>
      <p className="mt-1 max-w-2xl text-zinc-600 dark:text-zinc-400">
        This tenant has no flow. Write one in Kestra&apos;s YAML, or start from a blueprint — then execute it,
        and its runs, failures and durations show up here.
      </p>
      <div className="mt-5 flex flex-wrap gap-3">
        <Link
          href="/flows"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Create a flow
        </Link>
        <Link
          href="/blueprints"
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
        >
          Start from a blueprint
        </Link>
      </div>
    </div>
  );
}
