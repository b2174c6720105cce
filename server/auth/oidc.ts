// OpenID Connect sign-in (optional, from OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET): the provider
// vouches for an email address; the Cadenza user with that email is signed in, created on first sign-in
// (without a password and without a tenant: they create one or accept an invitation).
import type { PrismaClient } from "../db/client";
import { normaliseEmail } from "./credentials";

export interface OidcProfile {
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

/** The email an OIDC profile vouches for, or undefined when it does not vouch for one. */
export function verifiedEmail(profile: OidcProfile | undefined): string | undefined {
  if (!profile || typeof profile.email !== "string" || !profile.email.includes("@")) return undefined;
  // Providers that send email_verified: false have not checked the address; trusting it would let
  // anyone who can register that address at the provider take over the Cadenza account.
  if (profile.email_verified === false || profile.email_verified === "false") return undefined;
  return normaliseEmail(profile.email);
}

/** The id of the user for this profile, created when missing. */
export async function userForOidcProfile(
  db: PrismaClient,
  profile: OidcProfile,
): Promise<string | undefined> {
  const email = verifiedEmail(profile);
  if (!email) return undefined;
  const name = typeof profile.name === "string" ? profile.name.slice(0, 200) : null;
  const user = await db.user.upsert({ where: { email }, create: { email, name }, update: {} });
  return user.id;
}
