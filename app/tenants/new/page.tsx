import type { Metadata } from "next";
import { CreateTenantForm } from "../../_components/account/forms";
import { Card, PageTitle } from "../../_components/ui";
import { requireViewer } from "../../_lib/viewer";

export const metadata: Metadata = { title: "New tenant" };
export const dynamic = "force-dynamic";

export default async function NewTenantPage() {
  await requireViewer("/tenants/new");
  return (
    <div className="mx-auto max-w-sm">
      <PageTitle title="New tenant">A tenant of your own, of which you are the Admin.</PageTitle>
      <Card>
        <CreateTenantForm />
      </Card>
    </div>
  );
}
