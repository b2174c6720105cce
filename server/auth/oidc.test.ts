// OIDC sign-in maps a provider's verified email to a Cadenza user (created on first sign-in). The
// provider itself cannot be reached from the test machines: this checks the mapping, not the protocol.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { userForOidcProfile, verifiedEmail } from "./oidc";

describe("OIDC profiles", () => {
  const t = useTestDatabase();

  it("trusts only an email the provider says it verified (or does not say it did not)", () => {
    expect(verifiedEmail({ email: "Ada@Example.com", email_verified: true })).toBe("ada@example.com");
    expect(verifiedEmail({ email: "ada@example.com" })).toBe("ada@example.com");
    expect(verifiedEmail({ email: "ada@example.com", email_verified: false })).toBeUndefined();
    expect(verifiedEmail({ email: "ada@example.com", email_verified: "false" })).toBeUndefined();
    expect(verifiedEmail({ name: "no email" })).toBeUndefined();
    expect(verifiedEmail(undefined)).toBeUndefined();
  });

  it("signs in the user with that email, creating them without a password the first time", async () => {
    const id = await userForOidcProfile(t.db, {
      email: "grace@example.com",
      email_verified: true,
      name: "Grace",
    });
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "grace@example.com" } });
    expect(user).toMatchObject({ id, name: "Grace", passwordHash: null });
    expect(await userForOidcProfile(t.db, { email: "GRACE@example.com" })).toBe(id);
    expect(
      await userForOidcProfile(t.db, { email: "grace@example.com", email_verified: false }),
    ).toBeUndefined();
  });
});
