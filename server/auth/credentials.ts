// Email + password sign-in, with one answer for every failure ("Wrong email or password.") so that it never
// tells whether an account exists, and brakes that slow a guesser without locking the owner out:
//   - per (account, client address): 5 free attempts, then each must wait 1 s, 2 s, 4 s... (at most 15 min)
//     since the previous one — a guesser at one address is slowed to a crawl, the owner elsewhere is not;
//   - per client address, across accounts: 20 free, then the same doubling (one address spraying accounts);
//   - per account, across addresses: 100 free, then delays of at most a minute (a distributed guesser gets
//     ~60 tries an hour). Addresses the account signed in from in the last 30 days skip this one, so a flood
//     from elsewhere never keeps the owner out.
// Each brake counts the attempt and decides in one SQL statement *before* the password is checked, so N
// parallel attempts make at most the allowed number of password checks. A success takes its attempt back.
import type { PrismaClient } from "../db/client";
import { limitAddress } from "./client-ip";
import { verifyPassword } from "./passwords";
import { attempt, type BackoffPolicy, peek, refund, reset } from "./rate-limit";

const MINUTE = 60_000;

export const SIGN_IN_PAIR_POLICY: BackoffPolicy = {
  free: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * MINUTE,
  forgetAfterMs: 60 * MINUTE,
};
export const SIGN_IN_ADDRESS_POLICY: BackoffPolicy = {
  free: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * MINUTE,
  forgetAfterMs: 60 * MINUTE,
};
export const SIGN_IN_ACCOUNT_POLICY: BackoffPolicy = {
  free: 100,
  baseDelayMs: 1_000,
  maxDelayMs: MINUTE,
  forgetAfterMs: 15 * MINUTE,
};
/** How long an address the account signed in from skips the per-account brake. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * MINUTE;

export const INVALID_CREDENTIALS = "Wrong email or password.";

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string | null; sessionVersion: number } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; retryAfterSeconds: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const signInKeys = (email: string, ip: string | undefined) => {
  const account = normaliseEmail(email);
  const address = limitAddress(ip);
  return {
    pair: `sign-in:pair:${account}:${address}`,
    address: `sign-in:ip:${address}`,
    account: `sign-in:account:${account}`,
    known: `sign-in:known:${account}:${address}`,
  };
};

export async function verifyCredentials(
  db: PrismaClient,
  request: { email: string; password: string; ip?: string },
): Promise<SignInResult> {
  const email = normaliseEmail(request.email);
  const keys = signInKeys(email, request.ip);
  // Refused before the password is even checked, so a correct guess during a delay tells nothing.
  const pair = await attempt(db, keys.pair, SIGN_IN_PAIR_POLICY);
  if (!pair.allowed) return { ok: false, reason: "rate-limited", retryAfterSeconds: pair.retryAfterSeconds };
  const address = await attempt(db, keys.address, SIGN_IN_ADDRESS_POLICY);
  if (!address.allowed)
    return { ok: false, reason: "rate-limited", retryAfterSeconds: address.retryAfterSeconds };
  // A known address's row holds its expiry in window_start (so the hourly sweep of old rows keeps it).
  const known = (await peek(db, keys.known, 0)).count > 0;
  if (!known) {
    const account = await attempt(db, keys.account, SIGN_IN_ACCOUNT_POLICY);
    if (!account.allowed)
      return { ok: false, reason: "rate-limited", retryAfterSeconds: account.retryAfterSeconds };
  }
  const user =
    email.length > 0 && email.length <= 320
      ? await db.user.findUnique({
          where: { email },
          select: { id: true, email: true, name: true, passwordHash: true, sessionVersion: true },
        })
      : null;
  const valid = await verifyPassword(user?.passwordHash, request.password.slice(0, 1024));
  if (!valid || !user) return { ok: false, reason: "invalid" };
  await reset(db, keys.pair);
  await refund(db, keys.address);
  if (!known) await refund(db, keys.account);
  const knownUntil = new Date(Date.now() + KNOWN_ADDRESS_MS);
  await db.$executeRaw`
    insert into rate_limits (key, window_start, count) values (${keys.known}, ${knownUntil}, 1)
    on conflict (key) do update set window_start = ${knownUntil}, count = 1`;
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion },
  };
}
