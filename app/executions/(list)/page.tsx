import type { Metadata } from "next";
import { Suspense } from "react";
import { NoTenant } from "@/app/_components/admin/states";
import { ExecutionsList, type InitialExecutionPage } from "../../_components/executions/executions-list";
import { PAGE_SIZE, readParams, toFilter, writeParams } from "../../_components/executions/filters";
import { section } from "../../_components/sections";
import { PageTitle } from "../../_components/ui";
import { serverCaller } from "../../_lib/trpc-server";
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
          <ListWithFirstPage tenant={tenant.slug} query={query} />
        </Suspense>
      ) : (
        <NoTenant />
      )}
    </div>
  );
}

/**
 * The list with its first page read here, for the filters in the URL: its rows are in the HTML instead of
 * a round trip after hydration. When the read fails the list asks for it itself (and shows why).
 */
async function ListWithFirstPage({ tenant, query }: { tenant: string; query: URLSearchParams }) {
  const params = readParams(query);
  const anchor = Date.now();
  const caller = await serverCaller();
  const page = await caller.executionList
    .page({ tenant, filter: toFilter(params, anchor), size: PAGE_SIZE })
    .catch(() => undefined);
  const initial: InitialExecutionPage | undefined = page && { key: writeParams(params), anchor, page };
  return <ExecutionsList tenant={tenant} {...(initial ? { initial } : {})} />;
}
