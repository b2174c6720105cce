import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { oidcEnabled, oidcName, signIn } from "@/server/auth";
import { SIGN_UP_DONE } from "@/server/services/account";
import { SignInForm } from "../_components/account/forms";
import { Button, Card, ErrorText } from "../_components/ui";
import { viewer } from "../_lib/viewer";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl =
    params.callbackUrl?.startsWith("/") && !params.callbackUrl.startsWith("//") ? params.callbackUrl : "/";
  if (await viewer()) redirect(callbackUrl);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Sign in to Cadenza</h1>
      <Card>
        {params.signedUp ? (
          <p role="status" className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            {SIGN_UP_DONE}
          </p>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} />
        {params.error && params.error !== "CredentialsSignin" ? (
          <ErrorText>Sign-in failed ({params.error}).</ErrorText>
        ) : null}
        {oidcEnabled ? (
          <form
            className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800"
            action={async () => {
              "use server";
              await signIn("oidc", { redirectTo: callbackUrl });
            }}
          >
            <Button type="submit" variant="plain" className="w-full">
              Sign in with {oidcName}
            </Button>
          </form>
        ) : null}
      </Card>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No account?{" "}
        <Link href="/sign-up" className="text-brand-600 hover:underline">
          Create one
        </Link>{" "}
        (it comes with a tenant of your own), or ask an administrator for an invitation link.
      </p>
    </div>
  );
}
