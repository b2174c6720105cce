import type { Metadata } from "next";
import { AuditLog } from "../_components/admin/audit-log";
import { section } from "../_components/sections";
import { Card, PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/audit-log");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { tenant } = await requireViewer("/audit-log");
  return (
    <div className="mx-auto max-w-6xl">
      <PageTitle title={page.label}>{page.purpose}</PageTitle>
      {tenant ? <AuditLog tenant={tenant.slug} /> : <Card>You belong to no tenant yet.</Card>}
    </div>
  );
}
