import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "../../../_components/ui";
import { requireViewer } from "../../../_lib/viewer";
import { mayWriteBlueprints } from "../../_components/access";
import { BlueprintDetail } from "../../_components/detail";

export const metadata: Metadata = { title: "Blueprint" };
export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ kind: string; id: string }> }) {
  const { kind, id } = await params;
  if (kind !== "community" && kind !== "custom") notFound();
  const { tenant } = await requireViewer(`/blueprints/${kind}/${id}`);
  if (!tenant) return <Card>You belong to no tenant yet.</Card>;
  return (
    <BlueprintDetail
      tenant={tenant.slug}
      kind={kind}
      id={decodeURIComponent(id)}
      canWrite={mayWriteBlueprints(tenant.roles)}
    />
  );
}
