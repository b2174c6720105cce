import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NamespaceFilesPanel } from "../../../_components/namespace-files";
import { PageTitle } from "../../../_components/ui";
import { requireViewer } from "../../../_lib/viewer";

export const metadata: Metadata = { title: "Namespace files" };
export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  const { tenant } = await requireViewer(`/namespaces/${encodeURIComponent(namespace)}/files`);
  if (!tenant || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(namespace)) notFound();
  return (
    <div className="mx-auto max-w-6xl">
      <PageTitle title={`Files of ${namespace}`}>
        Scripts, queries and configuration that flows of this namespace use with{" "}
        <code className="font-mono text-sm">namespaceFiles.enabled</code> or the core.namespace tasks.
      </PageTitle>
      <NamespaceFilesPanel tenant={tenant.slug} namespace={namespace} />
    </div>
  );
}
