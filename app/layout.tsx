import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getDb } from "@/server/db/client";
import { DEFAULT_PREFERENCES, getPreferences } from "@/server/services/preferences";
import { TenantSwitcher } from "./_components/account/tenant-switcher";
import { Nav } from "./_components/nav";
import { PreferencesProvider } from "./_components/preferences";
import { signOutAction } from "./_lib/actions";
import { THEME_SCRIPT } from "./_lib/theme-script";
import { viewer } from "./_lib/viewer";
import { TRPCReactProvider } from "./_trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Cadenza", template: "%s · Cadenza" },
  description: "Declarative, event-driven workflow orchestration, compatible with Kestra flows.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const current = await viewer();
  const preferences = current ? await getPreferences(getDb(), current.user.id) : DEFAULT_PREFERENCES;
  return (
    // The class (dark or not) is set by THEME_SCRIPT before React hydrates: React must not undo it.
    <html lang="en" data-theme={preferences.theme} suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of ours, run before paint */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <div className="flex min-h-screen">
          <aside className="flex w-60 shrink-0 flex-col gap-6 border-r border-zinc-200 bg-white px-3 py-5 dark:border-zinc-800 dark:bg-zinc-900">
            <Link href="/" className="flex items-center gap-2 px-3" aria-label="Cadenza home">
              <Logo />
              <span className="text-lg font-semibold tracking-tight">Cadenza</span>
            </Link>
            <div className="mx-3 rounded-md border border-zinc-200 px-2.5 py-1.5 text-xs text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
              {current && current.tenants.length > 0 ? (
                <TenantSwitcher tenants={current.tenants} current={current.tenant?.slug} />
              ) : (
                <>
                  <span className="block font-medium text-zinc-700 dark:text-zinc-300">Tenant</span>
                  {current ? (
                    <Link href="/tenants/new" className="text-brand-700 hover:underline dark:text-brand-100">
                      Create a tenant
                    </Link>
                  ) : (
                    "Sign in to see your tenants."
                  )}
                </>
              )}
              {current && current.tenants.length > 0 ? (
                <Link
                  href="/tenants/new"
                  className="mt-1 block text-brand-700 hover:underline dark:text-brand-100"
                >
                  New tenant
                </Link>
              ) : null}
            </div>
            <Nav />
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="flex h-12 items-center justify-end gap-3 border-b border-zinc-200 px-6 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
              {current ? (
                <>
                  <span>
                    Signed in as{" "}
                    <strong className="text-zinc-700 dark:text-zinc-200">{current.user.email}</strong>
                  </span>
                  <Link href="/account" className="text-brand-700 hover:underline dark:text-brand-100">
                    Your settings
                  </Link>
                  <form action={signOutAction}>
                    <button type="submit" className="text-brand-700 hover:underline dark:text-brand-100">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <span>Not signed in</span>
                  <Link href="/sign-in" className="text-brand-700 hover:underline dark:text-brand-100">
                    Sign in
                  </Link>
                </>
              )}
            </header>
            <main className="flex-1 px-6 py-8">
              <TRPCReactProvider>
                <PreferencesProvider value={preferences}>{children}</PreferencesProvider>
              </TRPCReactProvider>
            </main>
          </div>
        </div>
      </body>
    </html>
  );
}

function Logo() {
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" className="text-brand-600">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <path d="M6 15c2-6 4-6 6 0s4 6 6 0" stroke="white" strokeWidth="2" fill="none" strokeLinecap="round" />
    </svg>
  );
}
