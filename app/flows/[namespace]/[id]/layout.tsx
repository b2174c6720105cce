// Reads the flow before the page streams, so that a flow the person may not read — or another tenant's —
// answers with a real 404 status.
import type { ReactNode } from "react";
import { loadFlow } from "../../_lib/load-flow";

export default async function FlowLayout({
  params,
  children,
}: {
  params: Promise<{ namespace: string; id: string }>;
  children: ReactNode;
}) {
  const { namespace, id } = await params;
  await loadFlow(decodeURIComponent(namespace), decodeURIComponent(id));
  return children;
}
