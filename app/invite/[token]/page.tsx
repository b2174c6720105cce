import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/server/db/client";
import { invitationPreview } from "@/server/services/account";
import { AcceptInvitationForm, SignUpForm } from "../../_components/account/forms";
import { Card } from "../../_components/ui";
import { viewer } from "../../_lib/viewer";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = /^[A-Za-z0-9_-]{20,200}$/.test(token)
    ? await invitationPreview(getDb(), token)
    : undefined;
  const current = await viewer();
  if (invitation?.status !== "pending") {
    const why = !invitation
      ? "is not valid"
      : invitation.status === "expired"
        ? "has expired"
        : "was used already or revoked";
    return (
      <div className="mx-auto max-w-md">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">Invitation</h1>
        <Card>
          <p className="text-sm">This invitation link {why}: ask whoever sent it for a new one.</p>
        </Card>
      </div>
    );
  }
  const what = `${invitation.role}${invitation.namespace ? ` on namespace ${invitation.namespace}` : ""}`;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Join {invitation.tenant.name}</h1>
      <p className="mb-6 text-zinc-600 dark:text-zinc-400">
        You are invited to tenant <strong>{invitation.tenant.slug}</strong> as <strong>{what}</strong>
        {invitation.email ? ` (for ${invitation.email})` : ""}.
      </p>
      {current ? (
        <Card>
          <p className="mb-3 text-sm">Signed in as {current.user.email}.</p>
          <AcceptInvitationForm token={token} />
        </Card>
      ) : (
        <>
          <Card title="Create your account">
            <SignUpForm invitation={token} email={invitation.email} withTenant={false} />
          </Card>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Have an account?{" "}
            <Link
              href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}
              className="text-brand-600 hover:underline"
            >
              Sign in
            </Link>{" "}
            and come back to this link.
          </p>
        </>
      )}
    </div>
  );
}
