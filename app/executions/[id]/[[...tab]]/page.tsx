import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
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
  try {
    // The page's own read (executions.page): task runs slim and packed, their outputs read when shown.
    execution = await caller.executions.page({ tenant: tenant.slug, executionId: id });
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
        {...(tab ? { tab: tab[0] as ExecutionPageTab } : {})}
      />
    </div>
  );
}
