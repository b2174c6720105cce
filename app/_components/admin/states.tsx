// Loading, failure and "no tenant yet" states shared by the console pages (route loading.tsx/error.tsx
// files and client islands waiting on a query).
import Link from "next/link";
import { Card } from "../ui";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="flex items-center gap-2 py-4 text-sm text-zinc-500 dark:text-zinc-400"
    >
      <span
        aria-hidden="true"
        className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-zinc-300 border-t-brand-600 dark:border-zinc-700"
      />
      {what}…
    </div>
  );
}

export function NoTenant() {
  return (
    <Card>
      You belong to no tenant yet:{" "}
      <Link href="/tenants/new" className="text-brand-700 underline dark:text-brand-100">
        create one
      </Link>
      , or use an invitation link.
    </Card>
  );
}
