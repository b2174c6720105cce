import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random 128-bit id in base 62 (22 characters), the shape of Kestra's execution and task run ids. */
export function newId(): string {
  let value = BigInt(`0x${randomBytes(16).toString("hex")}`);
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(22, "0");
}
