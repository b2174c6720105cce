import type { Metadata } from "next";
import { ServiceAccounts } from "../_components/admin/service-accounts";
import { NoTenant } from "../_components/admin/states";
import { Inline } from "../_components/inline";
import { section } from "../_components/sections";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/service-accounts");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/service-accounts");
  return (
    <div className="mx-auto max-w-5xl">
      <PageTitle title={page.label}>
        <Inline text={page.purpose} />
      </PageTitle>
      {tenant ? <ServiceAccounts tenant={tenant.slug} /> : <NoTenant />}
    </div>
  );
}
