import type { Metadata } from "next";
import { NoTenant } from "@/app/_components/admin/states";
import { section } from "../_components/sections";
import { Triggers } from "../_components/triggers/triggers";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/triggers");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/triggers");
  return (
    <div className="mx-auto max-w-7xl">
      <PageTitle title={page.label}>{page.purpose}</PageTitle>
      {tenant ? <Triggers tenant={tenant.slug} /> : <NoTenant />}
    </div>
  );
}
