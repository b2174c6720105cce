// Who is calling, resolved once per request: an `Authorization: Bearer cdz_...` header when present
// (a bad one is a 401 even if a session cookie came along), else the Auth.js session — which counts only
// while its session version is the user's (signing out increments it: see sessions.ts).
import type { Principal } from "../access/authorize";
import type { PrismaClient } from "../db/client";
import { UnauthenticatedError } from "../services/errors";
import { hashToken, looksLikeToken, sameHash } from "./tokens";

/** What the session cookie says (Auth.js JWT): the user's id and the session version it was issued at. */
export interface SessionUser {
  id: string;
  /** Absent in cookies issued before session versions existed: those are refused. */
  sessionVersion?: number;
}

const LAST_USED_GRANULARITY_MS = 60_000;
const NO_HASH = "0".repeat(64);

export async function principalFromToken(
  db: PrismaClient,
  token: string,
  now = new Date(),
): Promise<Principal> {
  const invalid = () => new UnauthenticatedError("This API token is not valid.");
  if (!looksLikeToken(token)) throw invalid();
  const row = await db.apiToken.findUnique({
    where: { prefix: token.slice(0, 12) },
    include: {
      user: { select: { id: true, email: true } },
      serviceAccount: { select: { id: true, name: true, tenantId: true } },
    },
  });
  const matches = sameHash(row?.hash ?? NO_HASH, hashToken(token));
  if (!row || !matches) throw invalid();
  if (row.revokedAt) throw new UnauthenticatedError("This API token was revoked.");
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime())
    throw new UnauthenticatedError(`This API token expired on ${row.expiresAt.toISOString()}.`);
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  if (row.user)
    return {
      kind: "user",
      id: row.user.id,
      name: row.user.email,
      via: "token",
      tokenId: row.id,
      tokenTenantId: row.tenantId,
    };
  if (row.serviceAccount && row.serviceAccount.tenantId === row.tenantId)
    return {
      kind: "service-account",
      id: row.serviceAccount.id,
      name: row.serviceAccount.name,
      via: "token",
      tokenId: row.id,
      tokenTenantId: row.tenantId,
    };
  throw invalid();
}

export async function principalFromSession(
  db: PrismaClient,
  session: SessionUser | null,
): Promise<Principal | null> {
  if (!session?.id || typeof session.sessionVersion !== "number") return null;
  const user = await db.user.findUnique({
    where: { id: session.id },
    select: { id: true, email: true, sessionVersion: true },
  });
  // A deleted user, or a cookie from before a sign-out, a "sign out everywhere" or a password reset.
  if (!user || user.sessionVersion !== session.sessionVersion) return null;
  return { kind: "user", id: user.id, name: user.email, via: "session" };
}

/** The bearer token of an Authorization header; throws 401 for any other scheme. */
export function bearerToken(authorization: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new UnauthenticatedError("The Authorization header must be `Bearer cdz_...`.");
  return match[1];
}

export async function resolvePrincipal(
  db: PrismaClient,
  request: { authorization?: string | null; session: () => Promise<SessionUser | null> },
): Promise<Principal | null> {
  return (await resolvePrincipalAgain(db, request))?.principal ?? null;
}

/**
 * The principal, and how to check again later that its credential still holds (long-lived streams):
 * the same token or the same session cookie, read afresh from the database; a revoked token, a stale
 * session or a deleted user is a 401 then.
 */
export async function resolvePrincipalAgain(
  db: PrismaClient,
  request: { authorization?: string | null; session: () => Promise<SessionUser | null> },
): Promise<{ principal: Principal; again: () => Promise<Principal> } | null> {
  if (request.authorization) {
    const token = bearerToken(request.authorization);
    return { principal: await principalFromToken(db, token), again: () => principalFromToken(db, token) };
  }
  const session = await request.session();
  const principal = await principalFromSession(db, session);
  if (!principal) return null;
  return {
    principal,
    again: async () => {
      const fresh = await principalFromSession(db, session);
      if (!fresh) throw new UnauthenticatedError("This session has ended: sign in again.");
      return fresh;
    },
  };
}
