"use client";
// Metrics: each metric of each task run's attempts (counters and timers), as a table.
import type { TabProps } from "./execution-page";
import { useTaskRunDetails } from "./task-run-details";

export function MetricsTab({ tenant, execution }: TabProps) {
  const details = useTaskRunDetails(tenant, execution.id, execution.taskRunList, { all: true });
  if (!details) return <p className="text-sm text-zinc-500">Reading the metrics…</p>;
  const rows = execution.taskRunList.flatMap((run) =>
    (details.get(run.id)?.attempts ?? []).flatMap((attempt, index) =>
      (attempt.metrics ?? []).map((metric, m) => ({
        key: `${run.id}-${index}-${m}`,
        run,
        attempt: index + 1,
        metric,
      })),
    ),
  );
  if (rows.length === 0) return <p className="text-sm text-zinc-500">No task has reported a metric.</p>;
  return (
    <table aria-label="Metrics" className="w-full text-left text-sm">
      <thead className="text-xs uppercase tracking-wide text-zinc-500">
        <tr>
          {["Task", "Attempt", "Metric", "Type", "Value", "Tags"].map((h) => (
            <th key={h} className="border-b border-zinc-200 py-2 pr-4 font-medium dark:border-zinc-800">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map(({ key, run, attempt, metric }) => (
          <tr key={key}>
            <td className="py-1.5 pr-4 font-mono text-xs">
              {run.taskId}
              {run.value !== null ? <span className="text-zinc-500"> [{run.value}]</span> : null}
            </td>
            <td className="py-1.5 pr-4 text-xs">{attempt}</td>
            <td className="py-1.5 pr-4 font-mono text-xs">{metric.name}</td>
            <td className="py-1.5 pr-4 text-xs">{metric.type ?? "—"}</td>
            <td className="py-1.5 pr-4 text-xs tabular-nums">{metric.value}</td>
            <td className="py-1.5 pr-4 font-mono text-xs">
              {Object.entries(metric.tags ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(", ") || "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
