// Passwords and tokens: only hashes are stored, comparisons are constant-time, sign-in is rate-limited per
// account and per address (in PostgreSQL), and no answer tells whether an account exists.
import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/test/db";
import { bootstrapAdmin, createUserToken } from "./bootstrap";
import {
  INVALID_CREDENTIALS,
  SIGN_IN_ADDRESS_POLICY,
  SIGN_IN_PAIR_POLICY,
  verifyCredentials,
} from "./credentials";
import { principalFromToken } from "./principal";
import { generateToken, hashToken, looksLikeToken, randomBase62 } from "./tokens";

vi.mock("node:crypto", async (original) => {
  const real = await original<typeof import("node:crypto")>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

describe("passwords, tokens and sign-in", () => {
  const t = useTestDatabase();
  const PASSWORD = "correct horse battery staple";

  afterEach(async () => {
    await t.db.rateLimit.deleteMany();
  });

  it("stores an argon2id hash of the password, never the password", async () => {
    await bootstrapAdmin(t.db, { tenantSlug: "acme", email: "Ada@Example.com", password: PASSWORD });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const rows = JSON.stringify(await t.db.$queryRawUnsafe("select * from users"));
    expect(rows).not.toContain(PASSWORD);
    expect((await verifyCredentials(t.db, { email: "ADA@example.com ", password: PASSWORD })).ok).toBe(true);
  });

  it("stores only the SHA-256 and the first 12 characters of an API token", async () => {
    const { token } = await createUserToken(t.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      name: "ci",
    });
    expect(looksLikeToken(token)).toBe(true);
    expect(token).toMatch(/^cdz_[0-9A-Za-z]{43}$/);
    const row = await t.db.apiToken.findFirstOrThrow({ where: { name: "ci" } });
    expect(row.hash).toBe(hashToken(token));
    expect(row.prefix).toBe(token.slice(0, 12));
    const dump = JSON.stringify(await t.db.$queryRawUnsafe("select * from api_tokens"));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(12));
  });

  it("compares token hashes with crypto.timingSafeEqual, and refuses a token that differs anywhere", async () => {
    const { token } = await createUserToken(t.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      name: "timing",
    });
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect((await principalFromToken(t.db, token)).kind).toBe("user");
    expect(spy).toHaveBeenCalledTimes(1);
    // Same prefix (so the row is found), different secret part: refused after a constant-time comparison.
    const forged = `${token.slice(0, 12)}${randomBase62(token.length - 12)}`;
    spy.mockClear();
    await expect(principalFromToken(t.db, forged)).rejects.toThrow("not valid");
    expect(spy).toHaveBeenCalledTimes(1);
    // Unknown prefix: still one comparison (against a dummy), so timing says nothing about which prefixes exist.
    spy.mockClear();
    await expect(principalFromToken(t.db, generateToken().token)).rejects.toThrow("not valid");
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("gives the same answer for an unknown account and a wrong password", async () => {
    const wrong = await verifyCredentials(t.db, { email: "ada@example.com", password: "wrong password!" });
    const unknown = await verifyCredentials(t.db, {
      email: "nobody@example.com",
      password: "wrong password!",
    });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(INVALID_CREDENTIALS).toBe("Wrong email or password.");
  });

  it("delays a guesser at one address, even for the right password, without locking the owner out elsewhere", async () => {
    for (let i = 0; i < SIGN_IN_PAIR_POLICY.free; i++)
      expect(
        await verifyCredentials(t.db, { email: "ada@example.com", password: `guess ${i}`, ip: "10.0.0.1" }),
      ).toMatchObject({ reason: "invalid" });
    const delayed = await verifyCredentials(t.db, {
      email: "ada@example.com",
      password: PASSWORD,
      ip: "10.0.0.1",
    });
    expect(delayed).toMatchObject({ ok: false, reason: "rate-limited" });
    expect((delayed as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // The owner, at their own address, is not concerned.
    expect(
      (await verifyCredentials(t.db, { email: "ada@example.com", password: PASSWORD, ip: "10.0.1.1" })).ok,
    ).toBe(true);
    // Unknown accounts are delayed the same way (no difference to observe).
    for (let i = 0; i < SIGN_IN_PAIR_POLICY.free; i++)
      await verifyCredentials(t.db, { email: "ghost@example.com", password: "x", ip: "10.0.2.1" });
    expect(
      await verifyCredentials(t.db, { email: "ghost@example.com", password: "x", ip: "10.0.2.1" }),
    ).toMatchObject({ reason: "rate-limited" });
    // The delay passes (1 s after the 5th failure): the right password works again at that address.
    await t.db.$executeRawUnsafe("update rate_limits set window_start = window_start - interval '2 seconds'");
    expect(
      (await verifyCredentials(t.db, { email: "ada@example.com", password: PASSWORD, ip: "10.0.0.1" })).ok,
    ).toBe(true);
  });

  it("limits failures per client address across accounts", async () => {
    for (let i = 0; i < SIGN_IN_ADDRESS_POLICY.free; i++)
      await verifyCredentials(t.db, { email: `user${i}@example.com`, password: "x", ip: "192.0.2.7" });
    expect(
      await verifyCredentials(t.db, { email: "ada@example.com", password: PASSWORD, ip: "192.0.2.7" }),
    ).toMatchObject({
      reason: "rate-limited",
    });
    expect(
      (await verifyCredentials(t.db, { email: "ada@example.com", password: PASSWORD, ip: "192.0.2.8" })).ok,
    ).toBe(true);
  });

  it("refuses expired and revoked tokens", async () => {
    const { token, id } = await createUserToken(t.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      name: "short",
      expiresInMs: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(principalFromToken(t.db, token)).rejects.toThrow("expired");
    await t.db.apiToken.update({ where: { id }, data: { expiresAt: null, revokedAt: new Date() } });
    await expect(principalFromToken(t.db, token)).rejects.toThrow("revoked");
  });

  it("bootstraps idempotently", async () => {
    const again = await bootstrapAdmin(t.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      password: "a different password",
    });
    expect(again).toMatchObject({ tenantCreated: false, userCreated: false, adminGranted: false });
    // An existing user keeps their password unless asked to reset it.
    expect((await verifyCredentials(t.db, { email: "ada@example.com", password: PASSWORD })).ok).toBe(true);
    expect(await t.db.binding.count({ where: { builtInRole: "Admin" } })).toBe(1);
  });
});
