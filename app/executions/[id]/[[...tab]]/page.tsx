import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { FlowGraph } from "@/engine/graph";
import type { LogPage } from "@/server/services/execution-logs";
import type { PackedExecutionPageView } from "@/server/services/execution-view";
import {
  EXECUTION_PAGE_TABS,
  ExecutionPage,
  type ExecutionPageTab,
  FIRST_LOG_WINDOW,
} from "../../../_components/execution";
import { serverCaller } from "../../../_lib/trpc-server";
import { requireViewer } from "../../../_lib/viewer";
import { type Box, layoutGraph } from "../../../flows/_components/editor/layout";
import { drawModel } from "../../../flows/_components/editor/topology-model";

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
  let logPage: LogPage | undefined;
  try {
    // The page's own read (executions.page): task runs slim and packed, their outputs read when shown.
    // The Topology tab's graph comes with the page (a round trip less before it is drawn), without the
    // runs each node carries (not even read: a Loop's iterations' are many): the page colours nodes from
    // its own task runs, and reads the graph with its runs once mounted. The Logs tab's first window
    // comes with the page too: its first screen is in the HTML, not two round trips after hydration.
    const input = { tenant: tenant.slug, executionId: id };
    const [read, ofExecution, firstLines] = await Promise.all([
      caller.executions.page(input),
      tab?.[0] === "topology"
        ? caller.executions.graph({ ...input, runs: false }).catch(() => undefined)
        : undefined,
      tab?.[0] === "logs"
        ? caller.executions
            .logPage({ ...input, minLevel: "TRACE", limit: FIRST_LOG_WINDOW })
            .catch(() => undefined)
        : undefined,
    ]);
    execution = read;
    logPage = firstLines;
    graph = ofExecution;
  } catch (error) {
    // Another tenant's execution, one this person may not read, or no such id: the same 404.
    if (error instanceof TRPCError && ["NOT_FOUND", "FORBIDDEN", "BAD_REQUEST"].includes(error.code))
      notFound();
    throw error;
  }
  return (
    <div className="mx-auto max-w-7xl">
      <ExecutionPage
        {...(graph ? { initialLayout: laidOut(graph) } : {})}
        tenant={tenant.slug}
        initial={execution}
        {...(graph ? { initialGraph: graph } : {})}
        {...(logPage ? { initialLogPage: logPage } : {})}
        {...(tab ? { tab: tab[0] as ExecutionPageTab } : {})}
      />
    </div>
  );
}

/**
 * The Topology tab's graph laid out here as the tab first draws it (left to right, nothing collapsed): its
 * first screen is then in the HTML, and React Flow starts from these boxes instead of a worker's.
 */
function laidOut(graph: FlowGraph): { direction: "LR"; boxes: Record<string, Box> } {
  const model = drawModel(graph, { collapsed: new Set(), changes: new Map(), direction: "LR" });
  return { direction: "LR", boxes: layoutGraph({ ...model.request, seq: 0 }).boxes };
}
