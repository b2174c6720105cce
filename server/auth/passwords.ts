// Password hashing: argon2id (OWASP's minimum profile: 19 MiB, 2 passes, 1 lane), PHC strings in
// users.password_hash. Verification of an unknown account still runs one argon2 verification against a
// fixed hash, so the time taken does not tell whether the account exists.
import argon2 from "argon2";

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Passwords may have at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/** Checks `password` against `hash`; with no hash (unknown account), spends the same time and says no. */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummy ??= argon2.hash("cadenza-no-such-account", OPTIONS);
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  // argon2.verify compares the derived key in constant time.
  return argon2.verify(hash, password).catch(() => false);
}
