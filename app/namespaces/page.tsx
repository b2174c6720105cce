import type { Metadata } from "next";
import { NoTenant } from "../_components/admin/states";
import { Inline } from "../_components/inline";
import { NamespaceTree } from "../_components/namespaces/namespace-tree";
import { section } from "../_components/sections";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/namespaces");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/namespaces");
  return (
    <div className="mx-auto max-w-5xl">
      <PageTitle title={page.label}>
        <Inline text={page.purpose} />
      </PageTitle>
      {tenant ? <NamespaceTree tenant={tenant.slug} /> : <NoTenant />}
    </div>
  );
}
