import type { Metadata } from "next";
import { listPluginDocs } from "@/server/services/plugin-docs";
import { Inline } from "../_components/inline";
import { PluginList } from "../_components/plugin-list";
import { section } from "../_components/sections";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

const page = section("/plugins");
export const metadata: Metadata = { title: page.label };
export const dynamic = "force-dynamic";

export default async function Page() {
  await requireViewer("/plugins");
  const plugins = listPluginDocs();
  return (
    <div className="mx-auto max-w-6xl">
      <PageTitle title={page.label}>
        <Inline text={page.purpose} /> {plugins.length} plugins, grouped by package.
      </PageTitle>
      <PluginList plugins={plugins} />
    </div>
  );
}
