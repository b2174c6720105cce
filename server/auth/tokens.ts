// API tokens: `cdz_` + 43 base62 characters (256 random bits). Stored: the first 12 characters (to find
// the row and to show it in lists) and the SHA-256 of the whole token. A fast hash is enough here: the
// token is 256 random bits, so there is nothing to brute-force that a slow hash would protect; passwords,
// chosen by people, get argon2id instead. The stored and presented hashes are compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const TOKEN_PREFIX = "cdz_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 43;
/** Characters kept in clear: `cdz_` and 8 more. */
export const DISPLAY_PREFIX_LENGTH = 12;

/** `length` characters drawn uniformly from [0-9A-Za-z] (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface NewToken {
  /** The token itself: shown once, never stored. */
  token: string;
  prefix: string;
  hash: string;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): NewToken {
  const token = `${TOKEN_PREFIX}${randomBase62(BODY_LENGTH)}`;
  return { token, prefix: token.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashToken(token) };
}

/** Whether a string has the shape of a Cadenza token (before any database lookup). */
export function looksLikeToken(value: string): boolean {
  return value.length === TOKEN_PREFIX.length + BODY_LENGTH && /^cdz_[0-9A-Za-z]+$/.test(value);
}

/** Constant-time comparison of two hex digests. */
export function sameHash(storedHex: string, presentedHex: string): boolean {
  const a = Buffer.from(storedHex, "hex");
  const b = Buffer.from(presentedHex, "hex");
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** A random URL-safe secret (invitation links). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
