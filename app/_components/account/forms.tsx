"use client";
// The account forms (server actions in app/_lib/actions.ts).
import Link from "next/link";
import { useActionState } from "react";
import {
  acceptInvitationAction,
  createTenantAction,
  type FormState,
  signInAction,
  signUpAction,
} from "../../_lib/actions";
import { Button, ErrorText, Field, Input } from "../ui";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email">
        <Input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          key={state.email}
        />
      </Field>
      <Field label="Password">
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <ErrorText>{state.error}</ErrorText>
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

export function SignUpForm({
  invitation,
  email,
  withTenant,
}: {
  invitation?: string;
  email?: string | null;
  withTenant: boolean;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  return (
    <form action={action} className="flex flex-col gap-4">
      {invitation ? <input type="hidden" name="invitation" value={invitation} /> : null}
      <Field label="Email">
        <Input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={email ?? state.email}
          readOnly={Boolean(email)}
        />
      </Field>
      <Field label="Name (optional)">
        <Input name="name" autoComplete="name" />
      </Field>
      <Field label="Password (at least 10 characters)">
        <Input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </Field>
      {withTenant ? (
        <Field label="Your tenant's slug (optional: letters, digits, dashes)">
          <Input name="tenantSlug" pattern="[a-z0-9][a-z0-9-]{0,62}" placeholder="made from your email" />
        </Field>
      ) : null}
      <ErrorText>{state.error}</ErrorText>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create account"}
      </Button>
    </form>
  );
}

export function AcceptInvitationForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(acceptInvitationAction, {});
  return (
    <form action={action} className="flex flex-col gap-3">
      <input type="hidden" name="token" value={token} />
      <ErrorText>{state.error}</ErrorText>
      <Button type="submit" disabled={pending}>
        Accept the invitation
      </Button>
    </form>
  );
}

export function CreateTenantForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createTenantAction, {});
  return (
    <form action={action} className="flex flex-col gap-4">
      <Field label="Slug (in URLs and API paths)">
        <Input name="slug" pattern="[a-z0-9][a-z0-9-]{0,62}" required />
      </Field>
      <Field label="Name">
        <Input name="name" />
      </Field>
      <ErrorText>{state.error}</ErrorText>
      <Button type="submit" disabled={pending}>
        Create tenant
      </Button>
      <Link href="/" className="text-sm text-brand-600 hover:underline">
        Cancel
      </Link>
    </form>
  );
}
