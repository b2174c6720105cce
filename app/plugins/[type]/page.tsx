import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pluginDoc } from "@/server/services/plugin-docs";
import { Markdown } from "../../_components/markdown";
import { requireViewer } from "../../_lib/viewer";

export const dynamic = "force-dynamic";

type Params = Promise<{ type: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { type } = await params;
  return { title: decodeURIComponent(type) };
}

export default async function Page({ params }: { params: Params }) {
  const type = decodeURIComponent((await params).type);
  await requireViewer(`/plugins/${encodeURIComponent(type)}`);
  const doc = pluginDoc(type);
  if (!doc) notFound();
  // The page's own title is the h1; the Markdown's "# type" heading is dropped for it.
  const body = doc.markdown.replace(/^# .*\n/, "");
  return (
    <article className="mx-auto max-w-4xl">
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/plugins" className="hover:underline">
          Plugins
        </Link>{" "}
        / {doc.type.split(".").slice(0, -1).join(".")}
      </nav>
      <h1 className="mb-2 font-mono text-2xl font-semibold tracking-tight">{doc.type}</h1>
      <Markdown source={body} />
    </article>
  );
}
