"use client";
// "Compare with last success" on a failed execution: its inputs, flow revision (a line diff of the two
// revisions' YAML) and each task's state and duration beside those of the flow's previous successful run.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { Button, Card } from "../ui";
import { durationMs, type ExecutionView, formatMs } from "./live";
import { StateBadge } from "./state-badge";

interface Success {
  id: string;
  flowRevision: number;
  inputs: Record<string, unknown>;
  taskRuns: { taskId: string; value: string | null; state: string; durationMs: number | null }[];
}

/** A line diff by longest common subsequence (revisions are small; O(n·m) is fine up to a few thousand lines). */
export function lineDiff(a: string[], b: string[]): { kind: " " | "-" | "+"; text: string }[] {
  if (a.length * b.length > 4_000_000)
    return [
      ...a.map((text) => ({ kind: "-" as const, text })),
      ...b.map((text) => ({ kind: "+" as const, text })),
    ];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const out: { kind: " " | "-" | "+"; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: " ", text: a[i] as string });
      i++;
      j++;
    } else if (((lcs[i + 1] as number[])[j] as number) >= ((lcs[i] as number[])[j + 1] as number))
      out.push({ kind: "-", text: a[i++] as string });
    else out.push({ kind: "+", text: b[j++] as string });
  }
  while (i < a.length) out.push({ kind: "-", text: a[i++] as string });
  while (j < b.length) out.push({ kind: "+", text: b[j++] as string });
  return out;
}

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

export function CompareWithSuccess({
  tenant,
  execution,
  success,
}: {
  tenant: string;
  execution: ExecutionView;
  success: Success;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const ref = { tenant, namespace: execution.namespace, flowId: execution.flowId };
  const mine = useQuery(
    trpc.flows.get.queryOptions({ ...ref, revision: execution.flowRevision }, { enabled: open }),
  );
  const theirs = useQuery(
    trpc.flows.get.queryOptions({ ...ref, revision: success.flowRevision }, { enabled: open }),
  );
  const diff = useMemo(() => {
    const a = (theirs.data as { source?: string } | undefined)?.source;
    const b = (mine.data as { source?: string } | undefined)?.source;
    return a !== undefined && b !== undefined ? lineDiff(a.split("\n"), b.split("\n")) : undefined;
  }, [mine.data, theirs.data]);
  const keys = [...new Set([...Object.keys(success.inputs), ...Object.keys(execution.inputs ?? {})])];
  const tasks = [
    ...new Set([...success.taskRuns.map((r) => r.taskId), ...execution.taskRunList.map((r) => r.taskId)]),
  ];
  const runOf = (taskId: string) => execution.taskRunList.filter((r) => r.taskId === taskId).at(-1);
  return (
    <Card title="Compare with last success">
      {!open ? (
        <div className="flex items-center gap-3 text-sm">
          <span>
            The last successful execution of this flow was{" "}
            <Link href={`/executions/${success.id}`} className="font-mono text-xs hover:underline">
              {success.id.slice(0, 8)}
            </Link>{" "}
            (revision {success.flowRevision}).
          </span>
          <Button variant="plain" onClick={() => setOpen(true)}>
            Compare
          </Button>
        </div>
      ) : (
        <div className="space-y-5" data-testid="compare">
          <table className="w-full text-left text-sm" aria-label="Inputs compared">
            <thead className="text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-1 pr-4 font-medium">Input</th>
                <th className="py-1 pr-4 font-medium">This execution</th>
                <th className="py-1 pr-4 font-medium">Last success</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs">
              {keys.length === 0 ? (
                <tr>
                  <td colSpan={3} className="py-1 text-zinc-500">
                    No inputs on either.
                  </td>
                </tr>
              ) : null}
              {keys.map((key) => {
                const a = show(execution.inputs?.[key]);
                const b = show(success.inputs[key]);
                return (
                  <tr key={key} className={a !== b ? "bg-amber-50 dark:bg-amber-950/30" : ""}>
                    <td className="py-1 pr-4">{key}</td>
                    <td className="py-1 pr-4">{a}</td>
                    <td className="py-1 pr-4">{b}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <table className="w-full text-left text-sm" aria-label="Tasks compared">
            <thead className="text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-1 pr-4 font-medium">Task</th>
                <th className="py-1 pr-4 font-medium">This execution</th>
                <th className="py-1 pr-4 font-medium">Last success</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((taskId) => {
                const run = runOf(taskId);
                const before = success.taskRuns.filter((r) => r.taskId === taskId).at(-1);
                return (
                  <tr key={taskId}>
                    <td className="py-1 pr-4 font-mono text-xs">{taskId}</td>
                    <td className="py-1 pr-4 text-xs">
                      {run ? (
                        <>
                          <StateBadge state={run.state.current} />{" "}
                          {formatMs(durationMs(run.state, Date.now()))}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="py-1 pr-4 text-xs">
                      {before ? (
                        <>
                          <StateBadge state={before.state} /> {formatMs(before.durationMs ?? undefined)}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div>
            <h3 className="mb-1 text-sm font-medium">
              Flow revision {success.flowRevision} → {execution.flowRevision}
            </h3>
            {success.flowRevision === execution.flowRevision ? (
              <p className="text-sm text-zinc-500">Same revision: the flow did not change.</p>
            ) : !diff ? (
              <p className="text-sm text-zinc-500">Loading the revisions…</p>
            ) : (
              <pre
                data-testid="revision-diff"
                className="max-h-96 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950"
              >
                {diff.map((line, index) => (
                  <div
                    // biome-ignore lint/suspicious/noArrayIndexKey: diff lines are positional
                    key={index}
                    className={
                      line.kind === "+"
                        ? "bg-green-100 dark:bg-green-950/50"
                        : line.kind === "-"
                          ? "bg-red-100 dark:bg-red-950/50"
                          : ""
                    }
                  >
                    {line.kind} {line.text}
                  </div>
                ))}
              </pre>
            )}
          </div>
        </div>
      )}
    </Card>
  );
}
