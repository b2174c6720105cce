// Where the secret key comes from: CADENZA_SECRET_KEY, or — in standalone mode only — a key generated
// once into the data directory (mode 0600), with a warning that it is the only copy.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env, secretKeyBytes } from "../env";
import { CadenzaError } from "../errors";
import { type SecretKey, secretKey } from "./crypto";

export const KEY_FILE = "secret-key";

/**
 * The key in `dataDir`/secret-key, created (32 random bytes, base64, mode 0600) when missing. Returns the
 * key's text and whether it was just created.
 */
export function standaloneSecretKey(dataDir: string): { value: string; created: boolean; path: string } {
  const file = path.join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    const value = readFileSync(file, "utf8").trim();
    if (!secretKeyBytes(value))
      throw new CadenzaError(
        `${file} does not hold a 32-byte key (base64): restore it from a backup, or set CADENZA_SECRET_KEY.`,
      );
    return { value, created: false, path: file };
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString("base64");
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { value, created: true, path: file };
}

const cache = globalThis as typeof globalThis & { __cadenzaSecretKey?: SecretKey };

/** The process's key, from CADENZA_SECRET_KEY (`cadenza start` sets it from the data directory when unset). */
export function configuredSecretKey(): SecretKey {
  if (cache.__cadenzaSecretKey) return cache.__cadenzaSecretKey;
  const bytes = env.CADENZA_SECRET_KEY ? secretKeyBytes(env.CADENZA_SECRET_KEY) : undefined;
  if (!bytes)
    throw new CadenzaError(
      "CADENZA_SECRET_KEY is not set: secrets cannot be encrypted or read. Set it (openssl rand -base64 32) on every server, " +
        "or use `cadenza start`, which keeps one in the data directory.",
    );
  cache.__cadenzaSecretKey = secretKey(bytes);
  return cache.__cadenzaSecretKey;
}

/** Sets the process's key (tests, and tools that read the key from elsewhere). */
export function useSecretKey(key: SecretKey | undefined): void {
  cache.__cadenzaSecretKey = key;
}
