"use client";
// A flow's triggers with their run-time state (next and last dates, disabled), from the triggers service.
import { useQuery } from "@tanstack/react-query";
import { DateTime } from "../../_components/date-time";
import { Empty, ErrorText, Table } from "../../_components/ui";
import { useTRPC } from "../../_trpc/react";

export function FlowTriggers({
  tenant,
  namespace,
  flowId,
}: {
  tenant: string;
  namespace: string;
  flowId: string;
}) {
  const trpc = useTRPC();
  const query = useQuery(trpc.triggers.list.queryOptions({ tenant, namespace, flowId }));
  const rows = (query.data ?? []).filter((t) => t.namespace === namespace && t.flowId === flowId);
  if (query.isPending) return <Empty>Loading triggers…</Empty>;
  return (
    <div>
      <ErrorText>{query.error?.message}</ErrorText>
      {rows.length === 0 ? (
        <Empty>This flow has no triggers: it runs when someone executes it, or from another flow.</Empty>
      ) : (
        <Table label="Triggers" head={["Trigger", "Type", "Next", "Last triggered", "Status"]}>
          {rows.map((t) => (
            <tr key={t.triggerId}>
              <td className="py-2 pr-4 font-medium">{t.triggerId}</td>
              <td className="py-2 pr-4 font-mono text-xs">{t.type}</td>
              <td className="py-2 pr-4 text-xs">
                <DateTime iso={t.nextExecutionDate} />
              </td>
              <td className="py-2 pr-4 text-xs">
                <DateTime iso={t.lastTriggeredDate} />
              </td>
              <td className="py-2 pr-4 text-xs">{t.disabled ? "disabled" : "enabled"}</td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
