import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import {
  EXECUTION_PAGE_TABS,
  ExecutionPage,
  type ExecutionPageTab,
  type ExecutionView,
} from "../../../_components/execution";
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
  let execution: ExecutionView;
  try {
    execution = (await caller.executions.get({
      tenant: tenant.slug,
      executionId: id,
    })) as unknown as ExecutionView;
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
