// Email + password sign-in, rate-limited per account and per client address in PostgreSQL, with one
// answer for every failure ("wrong email or password") so that it never tells whether an account exists.
import type { PrismaClient } from "../db/client";
import { verifyPassword } from "./passwords";
import { hit, peek, reset } from "./rate-limit";

/** Failed sign-ins allowed per account in SIGN_IN_WINDOW_MS, then refused until the window ends. */
export const SIGN_IN_ACCOUNT_LIMIT = 5;
/** Failed sign-ins allowed per client address in SIGN_IN_WINDOW_MS (several accounts behind one NAT). */
export const SIGN_IN_ADDRESS_LIMIT = 20;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

export const INVALID_CREDENTIALS = "Wrong email or password.";

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; retryAfterSeconds: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const accountKey = (email: string) => `sign-in:account:${normaliseEmail(email)}`;
const addressKey = (ip: string) => `sign-in:ip:${ip}`;

export async function verifyCredentials(
  db: PrismaClient,
  attempt: { email: string; password: string; ip?: string },
): Promise<SignInResult> {
  const email = normaliseEmail(attempt.email);
  const keys = [accountKey(email), ...(attempt.ip ? [addressKey(attempt.ip)] : [])];
  const limits = [SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_ADDRESS_LIMIT];
  // Refused before the password is even checked, so a correct guess during a lockout tells nothing.
  for (const [index, key] of keys.entries()) {
    const window = await peek(db, key, SIGN_IN_WINDOW_MS);
    if (window.count >= (limits[index] ?? 0))
      return { ok: false, reason: "rate-limited", retryAfterSeconds: window.retryAfterSeconds };
  }
  const user =
    email.length > 0 && email.length <= 320
      ? await db.user.findUnique({
          where: { email },
          select: { id: true, email: true, name: true, passwordHash: true },
        })
      : null;
  const valid = await verifyPassword(user?.passwordHash, attempt.password.slice(0, 1024));
  if (!valid || !user) {
    for (const key of keys) await hit(db, key, SIGN_IN_WINDOW_MS);
    return { ok: false, reason: "invalid" };
  }
  await reset(db, accountKey(email));
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
