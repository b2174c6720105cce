"use client";
// A flow's revisions (who saved each, when): pick any two to compare, side by side or inline, and restore
// one as a new revision.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { DateTime } from "../../_components/date-time";
import { Button, Empty, ErrorText } from "../../_components/ui";
import { useTRPC, useTRPCClient } from "../../_trpc/react";
import { RevisionsDiff } from "./editor-loader";

export function FlowRevisions({
  tenant,
  namespace,
  flowId,
  canUpdate,
}: {
  tenant: string;
  namespace: string;
  flowId: string;
  canUpdate: boolean;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.flows.history.queryOptions({ tenant, namespace, flowId }));
  const [left, setLeft] = useState<number>();
  const [right, setRight] = useState<number>();
  const [sideBySide, setSideBySide] = useState(true);
  const [restoring, setRestoring] = useState<string>();
  const [error, setError] = useState<string>();
  const rows = history.data ?? [];
  const latest = rows.at(-1)?.revision;

  useEffect(() => {
    if (rows.length >= 2 && left === undefined && right === undefined) {
      setLeft(rows[rows.length - 2]?.revision);
      setRight(rows[rows.length - 1]?.revision);
    } else if (rows.length === 1 && right === undefined) setRight(rows[0]?.revision);
  }, [rows, left, right]);

  const restore = async (revision: number) => {
    const row = rows.find((r) => r.revision === revision);
    if (!row) return;
    if (!window.confirm(`Restore revision ${revision}? It is saved as a new revision; nothing is lost.`))
      return;
    setRestoring(String(revision));
    setError(undefined);
    try {
      await client.flows.update.mutate({ tenant, namespace, flowId, source: row.source });
      await queryClient.invalidateQueries();
      setLeft(undefined);
      setRight(undefined);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRestoring(undefined);
    }
  };

  if (history.isPending) return <Empty>Loading revisions…</Empty>;
  const original = rows.find((r) => r.revision === left)?.source;
  const modified = rows.find((r) => r.revision === right)?.source;
  return (
    <div className="flex flex-col gap-4 lg:flex-row">
      <div className="lg:w-80 lg:shrink-0">
        <ErrorText>{history.error?.message ?? error}</ErrorText>
        <table aria-label="Revisions" className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-zinc-500">
            <tr>
              <th className="py-1 pr-2 font-medium" title="Compare from">
                A
              </th>
              <th className="py-1 pr-2 font-medium" title="Compare to">
                B
              </th>
              <th className="py-1 pr-2 font-medium">Revision</th>
              <th className="py-1 font-medium" />
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {[...rows].reverse().map((r) => (
              <tr key={r.revision} data-testid="revision-row">
                <td className="py-1.5 pr-2">
                  <input
                    type="radio"
                    name="left"
                    aria-label={`Compare from revision ${r.revision}`}
                    checked={left === r.revision}
                    onChange={() => setLeft(r.revision)}
                  />
                </td>
                <td className="py-1.5 pr-2">
                  <input
                    type="radio"
                    name="right"
                    aria-label={`Compare to revision ${r.revision}`}
                    checked={right === r.revision}
                    onChange={() => setRight(r.revision)}
                  />
                </td>
                <td className="py-1.5 pr-2">
                  <span className="font-medium">Revision {r.revision}</span>
                  {r.revision === latest ? (
                    <span className="ml-1 text-xs text-emerald-700">current</span>
                  ) : null}
                  <span className="block text-xs text-zinc-500">
                    <DateTime iso={r.created} />
                  </span>
                  <span className="block text-xs text-zinc-500">
                    {r.author ?? "by an API token or the system"}
                  </span>
                </td>
                <td className="py-1.5 text-right">
                  {canUpdate && r.revision !== latest ? (
                    <Button
                      variant="plain"
                      disabled={restoring !== undefined}
                      onClick={() => void restore(r.revision)}
                    >
                      {restoring === String(r.revision) ? "Restoring…" : "Restore"}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="min-w-0 flex-1">
        <div className="mb-2 flex items-center gap-3 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400" data-testid="diff-title">
            {original !== undefined && modified !== undefined
              ? `Revision ${left} → revision ${right}`
              : "Pick two revisions to compare"}
          </span>
          <span className="ml-auto" />
          <label className="flex items-center gap-1 text-xs">
            <input type="checkbox" checked={sideBySide} onChange={(e) => setSideBySide(e.target.checked)} />
            Side by side
          </label>
        </div>
        <div className="overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800">
          <RevisionsDiff original={original ?? ""} modified={modified ?? ""} sideBySide={sideBySide} />
        </div>
      </div>
    </div>
  );
}
