"use client";
// Switches the tenant the pages work in (a cookie, set by a server action) and reloads the page.
import { usePathname } from "next/navigation";
import { useRef } from "react";
import { switchTenantAction } from "../../_lib/actions";

export function TenantSwitcher({
  tenants,
  current,
}: {
  tenants: { slug: string; name: string }[];
  current?: string;
}) {
  const pathname = usePathname();
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={switchTenantAction}>
      <input type="hidden" name="back" value={pathname} />
      <label className="block">
        <span className="block font-medium text-zinc-700 dark:text-zinc-300">Tenant</span>
        <select
          name="tenant"
          aria-label="Tenant"
          defaultValue={current}
          onChange={() => form.current?.requestSubmit()}
          className="mt-1 w-full rounded border border-zinc-300 bg-white px-1.5 py-1 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
        >
          {tenants.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name} ({t.slug})
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
