import type { Metadata } from "next";
import { Suspense } from "react";
import { ExecutionsList } from "../../_components/executions/executions-list";
import { NoTenant } from "../../_components/executions/no-tenant";
import { section } from "../../_components/sections";
import { PageTitle } from "../../_components/ui";
import { requireViewer } from "../../_lib/viewer";

const page = section("/executions");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // A deep link (filters in the query) survives the detour through sign-in.
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams))
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(key, item);
  const text = query.toString();
  const { tenant } = await requireViewer(`/executions${text ? `?${text}` : ""}`);
  return (
    <div className="mx-auto max-w-7xl">
      <PageTitle title={page.label}>{page.purpose}</PageTitle>
      {tenant ? (
        <Suspense>
          <ExecutionsList tenant={tenant.slug} />
        </Suspense>
      ) : (
        <NoTenant />
      )}
    </div>
  );
}
