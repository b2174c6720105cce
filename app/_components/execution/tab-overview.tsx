"use client";
// Overview (Kestra's): state with its history, flow and revision, labels, trigger, parent and children,
// previous/next execution of the flow, inputs and outputs, the duration live while running; a failed
// execution compares itself with the flow's last success.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { DateTime } from "../date-time";
import { Card } from "../ui";
import { LabelsEditor, useAbilities } from "./actions";
import { ApprovalDecisions, isApproval, useFlowDoc } from "./approval";
import { CompareWithSuccess } from "./compare";
import type { TabProps } from "./execution-page";
import { findTask } from "./flow-source";
import { durationMs, type ExecutionView, formatMs, useNow } from "./live";
import { LogView } from "./log-view";
import { StateBadge } from "./state-badge";

export function Values({ values, empty }: { values?: Record<string, unknown> | null; empty: string }) {
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

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

/** A Loop's first iterations shown here; the executions list has them all (a Loop may have 10,000). */
const FIRST_ITERATIONS = 12;

const execLink = (e: { id: string; state: string }, text?: string) => (
  <Link
    href={`/executions/${encodeURIComponent(e.id)}`}
    className="inline-flex items-center gap-2 hover:underline"
  >
    <span className="font-mono text-xs">{text ?? e.id.slice(0, 8)}</span>
    <StateBadge state={e.state} />
  </Link>
);

/** The Approvals decided (Kestra's review: who, when, comment), when the flow has any. */
function ApprovalsCard({ tenant, execution }: { tenant: string; execution: ExecutionView }) {
  const doc = useFlowDoc(tenant, execution);
  if (!doc || !execution.taskRunList.some((run) => isApproval(findTask(doc.tasks, run.taskId)))) return null;
  return (
    <Card title="Approvals">
      <ApprovalDecisions tenant={tenant} execution={execution} doc={doc} />
    </Card>
  );
}

export function OverviewTab({ tenant, execution, logs, logTotal, running }: TabProps) {
  const trpc = useTRPC();
  const now = useNow(running);
  const abilities = useAbilities(tenant, execution.id);
  const relatives = useQuery(
    trpc.executions.relatives.queryOptions({ tenant, executionId: execution.id }),
  ).data;
  const loopChildren = relatives?.children.filter((c) => c.kind === "LOOP") ?? [];
  const trigger = execution.trigger;
  return (
    <>
      <div className="grid gap-x-6 lg:grid-cols-[2fr_1fr]">
        <Card title="Execution">
          <dl className="grid grid-cols-[minmax(7rem,max-content)_1fr] items-center gap-x-4 gap-y-2">
            <Row label="State">
              <StateBadge state={execution.state.current} />
            </Row>
            <Row label="Flow">
              <Link href={`/flows/${execution.namespace}/${execution.flowId}`} className="hover:underline">
                {execution.namespace}.{execution.flowId}
              </Link>{" "}
              <Link
                href={`/flows/${execution.namespace}/${execution.flowId}/revisions`}
                className="text-xs text-brand-700 hover:underline dark:text-brand-300"
              >
                revision {execution.flowRevision}
              </Link>
            </Row>
            <Row label="Started">
              <DateTime iso={execution.state.startDate} />
            </Row>
            <Row label="Ended">
              <DateTime iso={execution.state.endDate} />
            </Row>
            <Row label="Duration">
              <span data-duration className="tabular-nums">
                {formatMs(durationMs(execution.state, now))}
                {running ? <span className="ml-1 text-xs text-zinc-500">(running)</span> : null}
              </span>
            </Row>
            {execution.scheduleDate ? (
              <Row label="Scheduled for">
                <DateTime iso={execution.scheduleDate} />
              </Row>
            ) : null}
            <Row label="Trigger">
              {trigger?.id ? (
                <span className="font-mono text-xs">
                  {trigger.id} <span className="text-zinc-500">{trigger.type?.split(".").at(-1)}</span>
                </span>
              ) : (
                <span className="text-xs text-zinc-500">Manual</span>
              )}
            </Row>
            <Row label="Labels">
              <LabelsEditor tenant={tenant} execution={execution} ability={abilities?.labels} />
            </Row>
            {execution.loopRun ? (
              <Row label="Loop iteration">
                <span className="font-mono text-xs">
                  {execution.loopRun.taskId} #{execution.loopRun.index}
                  {execution.loopRun.key !== undefined ? ` ${execution.loopRun.key}` : ""}:{" "}
                  {execution.loopRun.value}
                </span>
              </Row>
            ) : null}
            {relatives?.parent ? (
              <Row label="Parent">
                {execLink(relatives.parent, `${relatives.parent.flowId} ${relatives.parent.id.slice(0, 8)}`)}
              </Row>
            ) : null}
            {execution.originalId && execution.originalId !== execution.id ? (
              <Row label="Replay of">
                <Link
                  href={`/executions/${encodeURIComponent(execution.originalId)}`}
                  className="font-mono text-xs hover:underline"
                >
                  {execution.originalId}
                </Link>
              </Row>
            ) : null}
            {relatives?.children.some((c) => c.kind !== "LOOP") ? (
              <Row label="Subflow executions">
                <span className="flex flex-wrap gap-3">
                  {relatives.children
                    .filter((c) => c.kind !== "LOOP")
                    .map((child) => (
                      <span key={child.id}>{execLink(child, `${child.flowId} ${child.id.slice(0, 8)}`)}</span>
                    ))}
                </span>
              </Row>
            ) : null}
            {loopChildren.length > 0 ? (
              <Row label="Loop iterations">
                <span className="flex flex-wrap items-center gap-3">
                  {loopChildren.slice(0, FIRST_ITERATIONS).map((child) => (
                    <span key={child.id}>{execLink(child, `LOOP ${child.id.slice(0, 8)}`)}</span>
                  ))}
                  <Link
                    href={`/executions?parentId=${encodeURIComponent(execution.id)}&kind=LOOP&range=all`}
                    className="text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    {loopChildren.length > FIRST_ITERATIONS ? "all iterations" : "in the executions list"} →
                  </Link>
                </span>
              </Row>
            ) : null}
          </dl>
        </Card>
        <Card title="State history">
          <ol className="space-y-1.5" aria-label="State history">
            {execution.state.histories.map((h, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a state may repeat; the order is the identity
              <li key={index} className="flex items-center justify-between gap-3 text-xs">
                <StateBadge state={h.state} />
                <DateTime iso={h.date} />
              </li>
            ))}
          </ol>
          <div className="mt-4 flex justify-between border-t border-zinc-200 pt-3 text-xs dark:border-zinc-800">
            {relatives?.previous ? (
              execLink(relatives.previous, "← previous")
            ) : (
              <span className="text-zinc-400">no previous</span>
            )}
            {relatives?.next ? (
              execLink(relatives.next, "next →")
            ) : (
              <span className="text-zinc-400">no next</span>
            )}
          </div>
        </Card>
      </div>
      <div className="grid gap-x-6 md:grid-cols-2">
        <Card title="Inputs">
          <Values values={execution.inputs} empty="No inputs." />
        </Card>
        <Card title="Outputs">
          <Values
            values={execution.outputs}
            empty={running ? "Outputs appear when it ends." : "No outputs."}
          />
        </Card>
      </div>
      <ApprovalsCard tenant={tenant} execution={execution} />
      <TaskRunsTable execution={execution} now={now} />
      <Card
        title={
          logTotal !== undefined && logTotal > logs.length
            ? `Logs (the last ${logs.length.toLocaleString("en")} of ${logTotal.toLocaleString("en")})`
            : `Logs (${logs.length})`
        }
      >
        <LogView lines={logs} follow={running} height={240} />
      </Card>
      {execution.state.current === "FAILED" && relatives?.lastSuccess ? (
        <CompareWithSuccess tenant={tenant} execution={execution} success={relatives.lastSuccess} />
      ) : null}
    </>
  );
}

/** Past this many task runs (a loop of thousands), the table shows the first ones until asked for all. */
const FIRST_RUNS = 100;

function TaskRunsTable({ execution, now }: { execution: ExecutionView; now: number }) {
  const [all, setAll] = useState(false);
  const every = execution.taskRunList;
  const runs = all || every.length <= FIRST_RUNS ? every : every.slice(0, FIRST_RUNS);
  return (
    <Card title="Task runs">
      {runs.length === 0 ? (
        <p className="text-sm text-zinc-500">No task has started yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table aria-label="Task runs" className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-zinc-500">
              <tr>
                {["Task", "State", "Attempts", "Duration", "Started"].map((h) => (
                  <th key={h} className="border-b border-zinc-200 py-2 pr-4 font-medium dark:border-zinc-800">
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
                  <td className="py-2 pr-4 text-xs">{formatMs(durationMs(run.state, now))}</td>
                  <td className="py-2 pr-4 text-xs text-zinc-500">
                    <DateTime iso={run.state.startDate} timeOnly />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.length < every.length ? (
            <p className="mt-2 flex items-center gap-3 text-xs text-zinc-500">
              The first {runs.length} of {every.length.toLocaleString("en")} task runs.
              <button type="button" onClick={() => setAll(true)} className="text-brand-700 hover:underline">
                Show all {every.length.toLocaleString("en")}
              </button>
            </p>
          ) : null}
        </div>
      )}
    </Card>
  );
}
