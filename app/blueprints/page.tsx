import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { section } from "../_components/sections";
import { Card, PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";
import { mayWriteBlueprints } from "./_components/access";
import { Gallery } from "./_components/gallery";

const page = section("/blueprints");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Back to the same tab, search and tags after signing in.
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams))
    if (typeof value === "string" && ["tab", "q", "tags"].includes(key)) query.set(key, value);
  const { tenant } = await requireViewer(query.size > 0 ? `/blueprints?${query}` : "/blueprints");
  return (
    <div className="mx-auto max-w-6xl">
      <PageTitle title={page.label}>
        {page.purpose} Every Cadenza blueprint is validated and run in CI, so each one works as it is.
      </PageTitle>
      {tenant ? (
        <Suspense>
          <Gallery tenant={tenant.slug} canWrite={mayWriteBlueprints(tenant.roles)} />
        </Suspense>
      ) : (
        <Card>
          You belong to no tenant yet:{" "}
          <Link href="/tenants/new" className="text-brand-600 hover:underline">
            create one
          </Link>
          , or use an invitation link.
        </Card>
      )}
    </div>
  );
}
