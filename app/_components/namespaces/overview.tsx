"use client";
// A namespace at a glance: its flows (links to the editor) and how many of its executions are in each state.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../_trpc/react";
import { Loading } from "../admin/states";
import { useFormatDate } from "../preferences";
import { Card, Empty, ErrorText, Table } from "../ui";

const STATE_LOOK: Record<string, string> = {
  SUCCESS: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-100",
  FAILED: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-100",
  RUNNING: "bg-blue-100 text-blue-900 dark:bg-blue-900/40 dark:text-blue-100",
  WARNING: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
  KILLED: "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100",
  CANCELLED: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
};

export function NamespaceOverview({ tenant, namespace }: { tenant: string; namespace: string }) {
  const trpc = useTRPC();
  const formatDate = useFormatDate();
  const overview = useQuery(trpc.console.namespaceOverview.queryOptions({ tenant, namespace }));
  if (overview.isPending) return <Loading what="Loading the namespace" />;
  if (overview.error) return <ErrorText>{overview.error.message}</ErrorText>;
  const data = overview.data;
  const states = Object.entries(data.executions ?? {}).sort((a, b) => b[1] - a[1]);
  const total = states.reduce((sum, [, n]) => sum + n, 0);
  return (
    <>
      {data.description ? <p className="mb-4 text-zinc-700 dark:text-zinc-300">{data.description}</p> : null}
      <Card title="Executions">
        {data.executions === null ? (
          <Empty>You may not see this namespace&apos;s executions.</Empty>
        ) : total === 0 ? (
          <Empty>No execution yet. Run one of the flows below to see its state here.</Empty>
        ) : (
          <ul aria-label="Executions by state" className="flex flex-wrap gap-2">
            <li className="rounded-full bg-zinc-100 px-3 py-1 text-sm dark:bg-zinc-800">{total} in all</li>
            {states.map(([state, count]) => (
              <li
                key={state}
                className={`rounded-full px-3 py-1 text-sm font-medium ${STATE_LOOK[state] ?? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"}`}
              >
                {state.toLowerCase()} {count}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Flows">
        {data.flows.length === 0 ? (
          <Empty>
            No flow in {namespace} yet. Create one in the{" "}
            <Link href="/flows" className="underline">
              Flows
            </Link>{" "}
            page with <code>namespace: {namespace}</code>.
          </Empty>
        ) : (
          <Table label="Flows" head={["Flow", "Revision", "Updated", ""]}>
            {data.flows.map((f) => (
              <tr key={f.id}>
                <td className="py-2 pr-4">
                  <Link
                    href={`/flows/${encodeURIComponent(f.namespace)}/${encodeURIComponent(f.id)}`}
                    className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                  >
                    {f.id}
                  </Link>
                </td>
                <td className="py-2 pr-4">{f.revision}</td>
                <td className="py-2 pr-4">{formatDate(f.updated)}</td>
                <td className="py-2 text-xs text-zinc-600 dark:text-zinc-400">
                  {f.disabled ? "disabled" : ""}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
