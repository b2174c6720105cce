// Who is looking at a page, their tenants and the one they work in (cookie `cadenza-tenant`, else their
// first). Server components only.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionUser } from "@/server/auth";
import { principalFromSession } from "@/server/auth/principal";
import { getDb } from "@/server/db/client";
import { type MyTenant, myTenants } from "@/server/services/account";

export const TENANT_COOKIE = "cadenza-tenant";

export interface Viewer {
  user: { id: string; email: string; name: string | null };
  tenants: MyTenant[];
  /** The tenant pages work in; undefined when the user belongs to none yet. */
  tenant?: MyTenant;
}

export const viewer = cache(async (): Promise<Viewer | null> => {
  const jar = await cookies();
  // No session cookie, nothing to decode (and nothing for Auth.js to do while pages are prerendered).
  if (!jar.getAll().some((cookie) => cookie.name.endsWith("authjs.session-token"))) return null;
  const db = getDb();
  // The same check as the API's: a cookie from before a sign-out or a password reset is no session.
  const principal = await principalFromSession(db, await sessionUser());
  if (!principal) return null;
  const user = await db.user.findUnique({
    where: { id: principal.id },
    select: { id: true, email: true, name: true },
  });
  if (!user) return null;
  const tenants = await myTenants(db, { kind: "user", id: user.id, name: user.email, via: "session" });
  const wanted = jar.get(TENANT_COOKIE)?.value;
  return { user, tenants, tenant: tenants.find((t) => t.slug === wanted) ?? tenants[0] };
});

/** The viewer, or a redirect to sign-in that comes back to `path`. */
export async function requireViewer(path: string): Promise<Viewer> {
  const current = await viewer();
  if (!current) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  return current;
}
