import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { env } from "@/server/env";
import { SignUpForm } from "../_components/account/forms";
import { Card } from "../_components/ui";
import { viewer } from "../_lib/viewer";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (await viewer()) redirect("/");
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Create an account</h1>
      {env.CADENZA_SIGNUP === "invite-only" ? (
        <Card>
          <p className="text-sm">
            Accounts here are made by invitation: ask an administrator for an invitation link.
          </p>
        </Card>
      ) : (
        <Card>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            Your account comes with a tenant of your own, of which you are the Admin.
          </p>
          <SignUpForm withTenant />
        </Card>
      )}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Have an account?{" "}
        <Link href="/sign-in" className="text-brand-600 hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
