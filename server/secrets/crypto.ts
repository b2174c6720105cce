// AES-256-GCM for secrets at rest. Each value gets a fresh 12-byte IV; the row's identity (tenant,
// namespace, name) is the additional authenticated data, so a ciphertext copied to another row, or
// another tenant, fails to decrypt instead of revealing its value there.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { CadenzaError } from "../errors";

export interface SecretKey {
  bytes: Buffer;
  /** First 16 hex characters of SHA-256(key): stored with each secret to detect a key change. */
  id: string;
}

export function secretKey(bytes: Buffer): SecretKey {
  if (bytes.length !== 32) throw new CadenzaError("The secret key must be 32 bytes.");
  return { bytes, id: createHash("sha256").update(bytes).digest("hex").slice(0, 16) };
}

export interface SealedSecret {
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
  keyId: string;
}

export interface SecretAddress {
  tenantId: string;
  namespace: string;
  name: string;
}

const aad = (address: SecretAddress) =>
  Buffer.from(JSON.stringify([address.tenantId, address.namespace, address.name]), "utf8");

const bytes = (buffer: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(buffer);

export function seal(key: SecretKey, address: SecretAddress, value: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  cipher.setAAD(aad(address));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return { ciphertext: bytes(ciphertext), iv: bytes(iv), authTag: bytes(cipher.getAuthTag()), keyId: key.id };
}

export class SecretDecryptionError extends CadenzaError {
  override name = "SecretDecryptionError";
}

export function open(key: SecretKey, address: SecretAddress, sealed: SealedSecret): string {
  if (sealed.keyId !== key.id) {
    throw new SecretDecryptionError(
      `Secret ${address.namespace}/${address.name} was encrypted with another CADENZA_SECRET_KEY (key id ${sealed.keyId}, this server has ${key.id}).`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(sealed.iv));
    decipher.setAAD(aad(address));
    decipher.setAuthTag(Buffer.from(sealed.authTag));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext)), decipher.final()]).toString(
      "utf8",
    );
  } catch (error) {
    throw new SecretDecryptionError(
      `Secret ${address.namespace}/${address.name} could not be decrypted (tampered or moved).`,
      {
        cause: error,
      },
    );
  }
}
