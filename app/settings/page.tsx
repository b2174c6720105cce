import type { Metadata } from "next";
import { NoTenant } from "../_components/admin/states";
import { TenantSettings } from "../_components/admin/tenant-settings";
import { section } from "../_components/sections";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/settings");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/settings");
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title={page.label}>
        {page.purpose} Your own settings (theme, time zone) are under{" "}
        <a href="/account" className="underline">
          Your settings
        </a>
        .
      </PageTitle>
      {tenant ? <TenantSettings tenant={tenant.slug} /> : <NoTenant />}
    </div>
  );
}
