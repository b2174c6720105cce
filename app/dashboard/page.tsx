import type { Metadata } from "next";
import { NoTenant } from "@/app/_components/admin/states";
import { Dashboard } from "../_components/dashboard/dashboard";
import { section } from "../_components/sections";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/dashboard");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/dashboard");
  return (
    <div className="mx-auto max-w-7xl">
      <PageTitle title={page.label}>
        {tenant ? `${page.purpose} Tenant ${tenant.name}.` : page.purpose}
      </PageTitle>
      {tenant ? <Dashboard tenant={tenant.slug} /> : <NoTenant />}
    </div>
  );
}
