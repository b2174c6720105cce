import type { Metadata } from "next";
import Link from "next/link";
import { section } from "../../_components/sections";
import { Card, PageTitle } from "../../_components/ui";
import { serverCaller } from "../../_lib/trpc-server";
import { requireViewer } from "../../_lib/viewer";
import { FlowsList } from "../_components/flows-list";

const page = section("/flows");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/flows");
  if (!tenant)
    return (
      <div className="mx-auto max-w-6xl">
        <PageTitle title={page.label}>{page.purpose}</PageTitle>
        <Card>
          You belong to no tenant yet:{" "}
          <Link href="/tenants/new" className="text-brand-600 hover:underline">
            create one
          </Link>
          , or use an invitation link.
        </Card>
      </div>
    );
  const caller = await serverCaller();
  const { canCreate } = await caller.flows.editorContext({ tenant: tenant.slug });
  return (
    <div className="mx-auto max-w-7xl">
      <div className="mb-6 flex items-start justify-between gap-4">
        <PageTitle title={page.label}>{page.purpose}</PageTitle>
        {canCreate ? (
          <Link
            href="/flows/new"
            className="shrink-0 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
          >
            Create a flow
          </Link>
        ) : null}
      </div>
      <FlowsList tenant={tenant.slug} canCreate={canCreate} />
    </div>
  );
}
