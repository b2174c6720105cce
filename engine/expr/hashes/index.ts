/** Digests of the UTF-8 bytes of a string, as lowercase hex (Kestra's sha1/sha256/sha512/md5 filters). */
import { toHex, utf8 } from "./bytes";
import { md5 } from "./md5";
import { sha1 } from "./sha1";
import { sha256 } from "./sha256";
import { sha512 } from "./sha512";

export type HashName = "md5" | "sha1" | "sha256" | "sha512";

const ALGORITHMS: Record<HashName, (m: Uint8Array) => Uint8Array> = { md5, sha1, sha256, sha512 };

export function hashHex(name: HashName, text: string): string {
  return toHex(ALGORITHMS[name](utf8(text)));
}

export { decodeBase64, encodeBase64 } from "./base64";
export { fromUtf8, toHex, utf8 } from "./bytes";
