"use client";
// A flow's executions, newest first, each linking to its page.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DateTime } from "../../_components/date-time";
import { StateBadge } from "../../_components/state-badge";
import { Button, Empty, ErrorText, Table } from "../../_components/ui";
import { executionRow } from "../../_lib/executions";
import { formatDuration } from "../../_lib/format-date";
import { useTRPC } from "../../_trpc/react";

export function FlowExecutions({
  tenant,
  namespace,
  flowId,
  size = 25,
  paged = true,
}: {
  tenant: string;
  namespace: string;
  flowId: string;
  size?: number;
  paged?: boolean;
}) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const query = useQuery(trpc.executions.search.queryOptions({ tenant, namespace, flowId, page, size }));
  const rows = (query.data?.results ?? []).filter((e) => e.namespace === namespace).map(executionRow);
  if (query.isPending) return <Empty>Loading executions…</Empty>;
  return (
    <div>
      <ErrorText>{query.error?.message}</ErrorText>
      {rows.length === 0 ? (
        <Empty>This flow has not run yet.</Empty>
      ) : (
        <Table label="Executions" head={["Execution", "State", "Started", "Ended", "Duration", "Revision"]}>
          {rows.map((e) => (
            <tr key={e.id}>
              <td className="py-2 pr-4 font-mono text-xs">
                <Link href={`/executions/${e.id}`} className="text-brand-600 hover:underline">
                  {e.id}
                </Link>
              </td>
              <td className="py-2 pr-4">
                <StateBadge state={e.state} />
              </td>
              <td className="py-2 pr-4 text-xs">
                <DateTime iso={e.startDate} />
              </td>
              <td className="py-2 pr-4 text-xs">
                <DateTime iso={e.endDate} />
              </td>
              <td className="py-2 pr-4 text-xs tabular-nums">{formatDuration(e.startDate, e.endDate)}</td>
              <td className="py-2 pr-4 text-xs tabular-nums">{e.flowRevision ?? ""}</td>
            </tr>
          ))}
        </Table>
      )}
      {paged && (query.data?.total ?? 0) > size ? (
        <div className="mt-3 flex items-center justify-end gap-2 text-sm">
          <Button variant="plain" disabled={page === 1} onClick={() => setPage((p) => p - 1)}>
            Previous
          </Button>
          <span className="text-zinc-500">
            Page {page} of {Math.ceil((query.data?.total ?? 0) / size)}
          </span>
          <Button
            variant="plain"
            disabled={page * size >= (query.data?.total ?? 0)}
            onClick={() => setPage((p) => p + 1)}
          >
            Next
          </Button>
        </div>
      ) : null}
    </div>
  );
}
