import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { secretKey } from "./crypto";
import { inputCipher } from "./input-cipher";

describe("SECRET input cipher", () => {
  const key = secretKey(randomBytes(32));
  const cipher = inputCipher(() => key);

  it("round-trips, with a fresh IV each time and no plaintext in the sealed text", () => {
    const a = cipher.seal("p@ssw0rd-ü");
    const b = cipher.seal("p@ssw0rd-ü");
    expect(a).not.toBe(b);
    expect(a).not.toContain("p@ssw0rd");
    expect(a.startsWith(`v1.${key.id}.`)).toBe(true);
    expect(cipher.open(a)).toBe("p@ssw0rd-ü");
  });

  it("refuses another key, a tampered value and text that was never sealed", () => {
    const sealed = cipher.seal("value");
    expect(() => inputCipher(() => secretKey(randomBytes(32))).open(sealed)).toThrow(
      /another CADENZA_SECRET_KEY/,
    );
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => cipher.open(parts.join("."))).toThrow(/could not be decrypted/);
    expect(() => cipher.open("plain")).toThrow("not a sealed Cadenza input");
  });
});
