// SECRET inputs of executions, sealed with the server's secret key (AES-256-GCM, as stored secrets are).
// The engine keeps `{ type: "io.kestra.datatype:aes_encrypted", value }` in the execution and opens it only
// to render templates; this is the `value`: "v1.<key id>.<iv>.<auth tag>.<ciphertext>", base64url parts.
import type { InputCipher } from "@/engine/executor";
import { open, type SecretKey, seal } from "./crypto";

/** Bound into every sealed input: a sealed stored secret cannot be passed off as an input, nor the reverse. */
const ADDRESS = { tenantId: "*", namespace: "cadenza.execution-input", name: "SECRET" };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const bytes = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));

export function inputCipher(key: () => SecretKey): InputCipher {
  return {
    seal(plain) {
      const sealed = seal(key(), ADDRESS, plain);
      return ["v1", sealed.keyId, b64(sealed.iv), b64(sealed.authTag), b64(sealed.ciphertext)].join(".");
    },
    open(text) {
      const [version, keyId, iv, authTag, ciphertext] = text.split(".");
      if (version !== "v1" || !keyId || !iv || !authTag || ciphertext === undefined) {
        throw new Error("not a sealed Cadenza input");
      }
      return open(key(), ADDRESS, {
        keyId,
        iv: bytes(iv),
        authTag: bytes(authTag),
        ciphertext: bytes(ciphertext),
      });
    },
  };
}
