import type { Metadata } from "next";
import Link from "next/link";
import { Team } from "../_components/admin/team";
import { section } from "../_components/sections";
import { Card, PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/team");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/team");
  return (
    <div className="mx-auto max-w-5xl">
      <PageTitle title={page.label}>
        {tenant ? `Who can do what in ${tenant.name} (${tenant.slug}).` : page.purpose}
      </PageTitle>
      {tenant ? (
        <Team tenant={tenant.slug} />
      ) : (
        <Card>
          You belong to no tenant yet:{" "}
          <Link href="/tenants/new" className="text-brand-700 hover:underline dark:text-brand-100">
            create one
          </Link>
          , or use an invitation link.
        </Card>
      )}
    </div>
  );
}
