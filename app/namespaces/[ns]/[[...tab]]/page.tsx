import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NoTenant } from "@/app/_components/admin/states";
import { NamespaceFilesPanel } from "@/app/_components/namespace-files";
import { NamespaceDependencies } from "@/app/_components/namespaces/dependencies";
import { KvStore } from "@/app/_components/namespaces/kv-store";
import { NamespaceOverview } from "@/app/_components/namespaces/overview";
import { Secrets } from "@/app/_components/namespaces/secrets";
import { NAMESPACE_TABS, type NamespaceTab, namespaceHref } from "@/app/_components/namespaces/tabs";
import { requireViewer } from "@/app/_lib/viewer";
import { namespace as namespaceSchema } from "@/server/services/schemas";

export const dynamic = "force-dynamic";

type Params = Promise<{ ns: string; tab?: string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { ns } = await params;
  return { title: decodeURIComponent(ns) };
}

export default async function Page({ params }: { params: Params }) {
  const { ns, tab: segments } = await params;
  const namespace = decodeURIComponent(ns);
  const tab = (segments?.[0] ?? "") as NamespaceTab;
  if (
    !namespaceSchema.safeParse(namespace).success ||
    (segments?.length ?? 0) > 1 ||
    !NAMESPACE_TABS.some((t) => t.slug === tab)
  )
    notFound();
  const { tenant } = await requireViewer(namespaceHref(namespace, tab));
  return (
    <div className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/namespaces" className="hover:underline">
          Namespaces
        </Link>
        {namespace.split(".").map((part, i, all) => {
          const prefix = all.slice(0, i + 1).join(".");
          return (
            <span key={prefix}>
              {" / "}
              {i === all.length - 1 ? (
                <span aria-current="page">{part}</span>
              ) : (
                <Link href={namespaceHref(prefix)} className="hover:underline">
                  {part}
                </Link>
              )}
            </span>
          );
        })}
      </nav>
      <h1 className="mb-4 font-mono text-2xl font-semibold tracking-tight">{namespace}</h1>
      <nav
        aria-label="Namespace sections"
        className="mb-6 flex gap-1 border-b border-zinc-200 dark:border-zinc-800"
      >
        {NAMESPACE_TABS.map((t) => (
          <Link
            key={t.slug}
            href={namespaceHref(namespace, t.slug)}
            aria-current={t.slug === tab ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${
              t.slug === tab
                ? "border-brand-600 font-medium text-brand-700 dark:border-brand-500 dark:text-brand-100"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      {!tenant ? (
        <NoTenant />
      ) : tab === "kv" ? (
        <KvStore tenant={tenant.slug} namespace={namespace} />
      ) : tab === "secrets" ? (
        <Secrets tenant={tenant.slug} namespace={namespace} />
      ) : tab === "files" ? (
        <NamespaceFilesPanel tenant={tenant.slug} namespace={namespace} />
      ) : tab === "dependencies" ? (
        <NamespaceDependencies tenant={tenant.slug} namespace={namespace} />
      ) : (
        <NamespaceOverview tenant={tenant.slug} namespace={namespace} />
      )}
    </div>
  );
}
