import type { Metadata } from "next";
import Link from "next/link";
import { ApiTokens } from "../_components/admin/api-tokens";
import { section } from "../_components/sections";
import { Card, PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/api-tokens");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/api-tokens");
  return (
    <div className="mx-auto max-w-4xl">
      <PageTitle title={page.label}>
        {page.purpose} Tokens act as you, in this tenant only, with your roles; only a hash of each is stored.
      </PageTitle>
      {tenant ? (
        <ApiTokens tenant={tenant.slug} />
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
