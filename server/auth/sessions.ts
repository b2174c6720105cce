// Ending sessions. Session cookies are stateless Auth.js JWTs, so each carries the user's session version
// from when it was issued, and principalFromSession refuses one whose version is no longer the user's.
// Incrementing the version ends every session of the user at once — on sign-out (Cadenza keeps no list of
// a user's sessions, so signing out signs out every browser), "sign out everywhere" and a password reset.
import type { PrismaClient } from "../db/client";
import type { SessionUser } from "./principal";

type Db = Pick<PrismaClient, "user">;

/** Ends every session of `userId`; returns the new version. */
export async function endSessions(db: Db, userId: string): Promise<number> {
  const user = await db.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return user.sessionVersion;
}

/** The version a new session of `userId` carries. */
export async function currentSessionVersion(db: Db, userId: string): Promise<number | undefined> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user?.sessionVersion;
}

/** The claims Cadenza puts in the Auth.js JWT at sign-in: `sub` (user id) and `sv` (session version). */
export interface SessionClaims {
  sub?: string;
  sv?: unknown;
}

/** What a decoded session JWT says, as principalFromSession checks it (the session callback uses this). */
export function sessionUserOf(claims: SessionClaims | null | undefined): SessionUser | null {
  if (!claims?.sub) return null;
  return { id: claims.sub, ...(typeof claims.sv === "number" ? { sessionVersion: claims.sv } : {}) };
}
