// Who is calling, resolved once per request: an `Authorization: Bearer cdz_...` header when present
// (a bad one is a 401 even if a session cookie came along), else the Auth.js session.
import type { Principal } from "../access/authorize";
import type { PrismaClient } from "../db/client";
import { UnauthenticatedError } from "../services/errors";
import { hashToken, looksLikeToken, sameHash } from "./tokens";

/** What the session cookie says (Auth.js JWT): the user's id. */
export interface SessionUser {
  id: string;
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
  if (!session?.id) return null;
  const user = await db.user.findUnique({ where: { id: session.id }, select: { id: true, email: true } });
  return user ? { kind: "user", id: user.id, name: user.email, via: "session" } : null;
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
  if (request.authorization) return principalFromToken(db, bearerToken(request.authorization));
  return principalFromSession(db, await request.session());
}
