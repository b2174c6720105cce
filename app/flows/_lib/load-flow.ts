// One read of a flow per request, shared by the flow's layout (which turns "not found" and "not yours"
// into a 404 before anything is streamed) and its page.
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { serverCaller } from "../../_lib/trpc-server";
import { requireViewer } from "../../_lib/viewer";

export const loadFlow = cache(async (namespace: string, id: string) => {
  const { tenant } = await requireViewer(`/flows/${namespace}/${id}`);
  if (!tenant) notFound();
  const caller = await serverCaller();
  try {
    const flow = await caller.flows.get({ tenant: tenant.slug, namespace, flowId: id });
    const context = await caller.flows.editorContext({ tenant: tenant.slug, namespace });
    return { tenant, flow, context };
  } catch (error) {
    if (error instanceof TRPCError && ["NOT_FOUND", "FORBIDDEN", "BAD_REQUEST"].includes(error.code))
      notFound();
    throw error;
  }
});
