// Auth.js v5 (next-auth 5.0.0-beta.32): email + password (Credentials, verified by verifyCredentials with
// its rate limits) and, when configured, one OIDC provider. Sessions are JWT cookies holding the user id
// and the user's session version at sign-in; every request re-reads the user (principalFromSession), so a
// deleted user's cookie, or one from before a sign-out or a password reset, stops working at once.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cache } from "react";
import { getDb } from "../db/client";
import { env } from "../env";
import { clientIp } from "./client-ip";
import { verifyCredentials } from "./credentials";
import { userForOidcProfile, verifiedEmail } from "./oidc";
import type { SessionUser } from "./principal";
import { currentSessionVersion, sessionUserOf } from "./sessions";

/** Refused because of the rate limit; the sign-in page says so (without saying whether the account exists). */
export class SignInRateLimited extends CredentialsSignin {
  override code = "rate_limited";
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    id: "credentials",
    name: "Email and password",
    credentials: {
      email: { label: "Email", type: "email" },
      password: { label: "Password", type: "password" },
    },
    async authorize(credentials, request) {
      const email = typeof credentials?.email === "string" ? credentials.email : "";
      const password = typeof credentials?.password === "string" ? credentials.password : "";
      const result = await verifyCredentials(getDb(), { email, password, ip: clientIp(request.headers) });
      if (result.ok)
        return {
          id: result.user.id,
          email: result.user.email,
          name: result.user.name,
          sessionVersion: result.user.sessionVersion,
        };
      if (result.reason === "rate-limited") throw new SignInRateLimited();
      return null;
    },
  }),
];
if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
  providers.push({
    id: "oidc",
    name: env.OIDC_NAME,
    type: "oidc",
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    checks: ["pkce", "state", "nonce"],
  });
}

export const oidcEnabled = providers.length > 1;
export const oidcName = env.OIDC_NAME;

const config: NextAuthConfig = {
  secret: env.AUTH_SECRET,
  trustHost: env.AUTH_TRUST_HOST ?? true,
  session: { strategy: "jwt", maxAge: 7 * 86_400 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers,
  callbacks: {
    signIn({ account, profile }) {
      if (account?.provider === "oidc") return verifiedEmail(profile) !== undefined;
      return true;
    },
    async jwt({ token, user, account, profile }) {
      // Only at sign-in (user/account present): the token is then signed and carried as it is.
      if (account?.provider === "oidc" && profile) {
        const id = await userForOidcProfile(getDb(), profile);
        if (id) {
          token.sub = id;
          token.sv = await currentSessionVersion(getDb(), id);
        }
      } else if (user?.id) {
        token.sub = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      const user = sessionUserOf(token);
      if (user) Object.assign(session.user, user);
      return session;
    },
  },
  logger: {
    // A wrong password is not a server problem: Auth.js would log each one as an error.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin")
        return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
    warn() {},
  },
};

const nextAuth = NextAuth(config);

export const handlers = nextAuth.handlers;
export const signIn = nextAuth.signIn;
export const signOut = nextAuth.signOut;

/** The session of this request (cached for the request). */
export const auth = cache(nextAuth.auth);

/** What the session cookie of this request says, if any (principalFromSession checks it is still valid). */
export async function sessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const user = session?.user as { id?: string; sessionVersion?: unknown } | undefined;
  return sessionUserOf({ sub: user?.id, sv: user?.sessionVersion });
}
