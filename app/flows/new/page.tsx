// A new flow in the editor, from Kestra's starter template; Save creates it (FLOW:CREATE on its namespace).
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "../../_components/ui";
import { serverCaller } from "../../_lib/trpc-server";
import { requireViewer } from "../../_lib/viewer";
import { FlowEditor } from "../_components/editor-loader";

export const metadata: Metadata = { title: "New flow" };
export const dynamic = "force-dynamic";

const TEMPLATE = `id: my_flow
namespace: company.team

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello World!
`;

export default async function NewFlowPage() {
  const { tenant } = await requireViewer("/flows/new");
  if (!tenant)
    return (
      <Card>
        You belong to no tenant yet:{" "}
        <Link href="/tenants/new" className="text-brand-600 hover:underline">
          create one
        </Link>
        .
      </Card>
    );
  const caller = await serverCaller();
  const { canCreate } = await caller.flows.editorContext({ tenant: tenant.slug });
  return (
    <div className="mx-auto max-w-[1800px]">
      <p className="text-sm text-zinc-500">
        <Link href="/flows" className="hover:underline">
          Flows
        </Link>{" "}
        / new
      </p>
      <h1 className="mb-3 text-2xl font-semibold tracking-tight">New flow</h1>
      <FlowEditor
        tenant={tenant.slug}
        source={TEMPLATE}
        {...(canCreate ? {} : { readOnlyReason: "needs FLOW:CREATE in this tenant" })}
      />
    </div>
  );
}
