"use server";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
// Server actions of the account pages: sign in, sign up, sign out, switch tenant, accept an invitation,
// create a tenant. Messages never say whether an account exists.
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/server/auth";
import { clientIp } from "@/server/auth/client-ip";
import { INVALID_CREDENTIALS } from "@/server/auth/credentials";
import { endSessions } from "@/server/auth/sessions";
import { getDb } from "@/server/db/client";
import { acceptInvitation, createTenant, signUp } from "@/server/services/account";
import { describeError } from "@/server/services/errors";
import { TENANT_COOKIE, viewer } from "./viewer";

export interface FormState {
  error?: string;
  /** What was typed, to show again (React resets a form after its action). */
  email?: string;
}

/** Only paths of this site: never send someone to another origin after signing in. */
function safeCallback(value: FormDataEntryValue | null): string {
  const text = typeof value === "string" ? value : "";
  return text.startsWith("/") && !text.startsWith("//") ? text : "/";
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function isRedirect(error: unknown): boolean {
  return (
    error instanceof Error && (error as { digest?: string }).digest?.startsWith("NEXT_REDIRECT") === true
  );
}

export async function signInAction(_state: FormState, form: FormData): Promise<FormState> {
  try {
    await signIn("credentials", {
      email: text(form, "email"),
      password: text(form, "password"),
      redirectTo: safeCallback(form.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    if (isRedirect(error)) throw error;
    const email = text(form, "email");
    if (error instanceof CredentialsSignin && error.code === "rate_limited")
      return {
        error: "Too many failed attempts: wait a little (each one more doubles the wait) and try again.",
        email,
      };
    if (error instanceof AuthError) return { error: INVALID_CREDENTIALS, email };
    throw error;
  }
}

export async function signUpAction(_state: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const invitationToken = text(form, "invitation") || undefined;
  try {
    // A new account and an email that had one already answer the same (see signUp): nobody is signed in,
    // both go to the sign-in page with the same note.
    await signUp(getDb(), {
      email,
      password: text(form, "password"),
      name: text(form, "name"),
      tenantSlug: text(form, "tenantSlug") || undefined,
      tenantName: text(form, "tenantName") || undefined,
      invitationToken,
      ip: clientIp(await headers()),
    });
  } catch (error) {
    const described = describeError(error);
    if (described.unexpected) throw error;
    return { error: described.message, email };
  }
  // The dashboard, whatever the role: its empty state says what to do first, where the team page would
  // greet an invited Viewer with a permission error.
  redirect(`/sign-in?signedUp=1&callbackUrl=${encodeURIComponent("/")}`);
}

export async function signOutAction(): Promise<void> {
  // The cookie is deleted here, but a copy of it (another browser, a stolen one) must stop working too.
  const current = await viewer();
  if (current) await endSessions(getDb(), current.user.id);
  await signOut({ redirectTo: "/" });
}

export async function switchTenantAction(form: FormData): Promise<void> {
  const current = await viewer();
  const slug = text(form, "tenant");
  if (current?.tenants.some((t) => t.slug === slug))
    (await cookies()).set(TENANT_COOKIE, slug, { path: "/", sameSite: "lax", httpOnly: true });
  redirect(safeCallback(form.get("back")));
}

export async function acceptInvitationAction(_state: FormState, form: FormData): Promise<FormState> {
  const current = await viewer();
  if (!current) return { error: "Sign in first." };
  let slug: string;
  try {
    const tenant = await acceptInvitation(
      getDb(),
      { kind: "user", id: current.user.id, name: current.user.email, via: "session" },
      text(form, "token"),
      clientIp(await headers()),
    );
    slug = tenant.slug;
  } catch (error) {
    const described = describeError(error);
    if (described.unexpected) throw error;
    return { error: described.message };
  }
  (await cookies()).set(TENANT_COOKIE, slug, { path: "/", sameSite: "lax", httpOnly: true });
  redirect("/");
}

export async function createTenantAction(_state: FormState, form: FormData): Promise<FormState> {
  const current = await viewer();
  if (!current) return { error: "Sign in first." };
  let slug: string;
  try {
    const tenant = await createTenant(
      getDb(),
      { kind: "user", id: current.user.id, name: current.user.email, via: "session" },
      { slug: text(form, "slug"), name: text(form, "name") || text(form, "slug") },
      clientIp(await headers()),
    );
    slug = tenant.slug;
  } catch (error) {
    const described = describeError(error);
    if (described.unexpected) throw error;
    return { error: described.message };
  }
  (await cookies()).set(TENANT_COOKIE, slug, { path: "/", sameSite: "lax", httpOnly: true });
  redirect("/team");
}
