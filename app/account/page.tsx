import type { Metadata } from "next";
import { getDb } from "@/server/db/client";
import { getPreferences } from "@/server/services/preferences";
import { PreferencesForm } from "../_components/account/preferences-form";
import { PageTitle } from "../_components/ui";
import { requireViewer } from "../_lib/viewer";

export const metadata: Metadata = { title: "Your settings" };
export const dynamic = "force-dynamic";

export default async function Page() {
  const { user, tenant } = await requireViewer("/account");
  const preferences = await getPreferences(getDb(), user.id);
  return (
    <div className="mx-auto max-w-3xl">
      <PageTitle title="Your settings">
        How Cadenza looks and shows dates to you ({user.email}), in every tenant.
      </PageTitle>
      <PreferencesForm initial={preferences} {...(tenant ? { tenant: tenant.slug } : {})} />
    </div>
  );
}
