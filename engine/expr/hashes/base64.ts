/** Base64 (RFC 4648) as java.util.Base64's basic encoder and decoder do it. */
import { ExpressionError } from "../errors";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP = new Map([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${ALPHABET[(n >> 18) & 63]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${ALPHABET[(n >> 18) & 63]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Strict like Java: characters outside the alphabet fail; padding is optional. */
export function decodeBase64(text: string): Uint8Array {
  let end = text.length;
  let padding = 0;
  while (end > 0 && text[end - 1] === "=" && padding < 2) {
    end--;
    padding++;
  }
  if (padding > 0 && (end + padding) % 4 !== 0) {
    throw new ExpressionError("Input byte array has an incorrect ending byte");
  }
  if (end % 4 === 1) throw new ExpressionError("Last unit does not have enough valid bits");
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    const v = LOOKUP.get(c);
    if (v === undefined) {
      throw new ExpressionError(`Illegal base64 character ${c.charCodeAt(0).toString(16)}`);
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
