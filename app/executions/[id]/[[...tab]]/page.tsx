import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { FlowGraph } from "@/engine/graph";
import type { PackedExecutionPageView } from "@/server/services/execution-view";
import { EXECUTION_PAGE_TABS, ExecutionPage, type ExecutionPageTab } from "../../../_components/execution";
import { serverCaller } from "../../../_lib/trpc-server";
import { requireViewer } from "../../../_lib/viewer";

export const metadata: Metadata = { title: "Execution" };
export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ id: string; tab?: string[] }> }) {
  const { id, tab } = await params;
  if (tab && (tab.length > 1 || !(EXECUTION_PAGE_TABS as readonly string[]).includes(tab[0] ?? "")))
    notFound();
  const { tenant } = await requireViewer(`/executions/${encodeURIComponent(id)}${tab ? `/${tab[0]}` : ""}`);
  if (!tenant) notFound();
  const caller = await serverCaller();
  let execution: PackedExecutionPageView;
  let graph: FlowGraph | undefined;
  try {
    // The page's own read (executions.page): task runs slim and packed, their outputs read when shown.
    // The Topology tab's graph comes with the page (a round trip less before it is drawn), without the
    // runs each node carries: the page colours nodes from its own task runs.
    const input = { tenant: tenant.slug, executionId: id };
    const [read, ofExecution] = await Promise.all([
      caller.executions.page(input),
      tab?.[0] === "topology" ? caller.executions.graph(input).catch(() => undefined) : undefined,
    ]);
    execution = read;
    graph = ofExecution && {
      ...ofExecution,
      nodes: ofExecution.nodes.map(({ runs: _runs, ...node }) => node),
    };
  } catch (error) {
    // Another tenant's execution, one this person may not read, or no such id: the same 404.
    if (error instanceof TRPCError && ["NOT_FOUND", "FORBIDDEN", "BAD_REQUEST"].includes(error.code))
      notFound();
    throw error;
  }
  return (
    <div className="mx-auto max-w-7xl">
      <ExecutionPage
        tenant={tenant.slug}
        initial={execution}
        {...(graph ? { initialGraph: graph } : {})}
        {...(tab ? { tab: tab[0] as ExecutionPageTab } : {})}
      />
    </div>
  );
}
