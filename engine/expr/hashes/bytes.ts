/** UTF-8 and hex helpers on Uint8Array (TextEncoder/TextDecoder are standard, not Node built-ins). */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Invalid sequences become U+FFFD, as Java's new String(bytes, UTF_8) does. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}
