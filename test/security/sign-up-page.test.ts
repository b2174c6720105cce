// The sign-up form's answer, through its real server action: the same for an email that has an account
// and for a new one (Next's request APIs are replaced by stand-ins, the database and services are real).
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { bootstrapAdmin } from "@/server/auth/bootstrap";
import type { PrismaClient } from "@/server/db/client";
import { SIGN_UP_DONE } from "@/server/services/account";
import { useTestDatabase } from "@/test/db";

const state = vi.hoisted(() => ({ db: undefined as PrismaClient | undefined }));

vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-cadenza-client-ip": "192.0.2.80" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {} }),
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { digest: `NEXT_REDIRECT;replace;${url};307;`, url });
  },
}));
vi.mock("next-auth", () => ({
  AuthError: class AuthError extends Error {},
  CredentialsSignin: class CredentialsSignin extends Error {},
}));
vi.mock("@/server/auth", () => ({ signIn: vi.fn(), signOut: vi.fn(), auth: vi.fn() }));
vi.mock("@/server/db/client", async (original) => ({
  ...(await original<typeof import("@/server/db/client")>()),
  getDb: () => state.db,
}));

const { signUpAction } = await import("@/app/_lib/actions");
const { signIn } = await import("@/server/auth");

describe("the sign-up form", () => {
  const t = useTestDatabase();
  beforeAll(async () => {
    state.db = t.db;
    await bootstrapAdmin(t.db, {
      tenantSlug: "acme",
      email: "taken@example.com",
      password: "the owner's password",
    });
  });
  afterEach(async () => {
    await t.db.rateLimit.deleteMany();
  });

  const submit = async (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    try {
      return { state: await signUpAction({}, form) };
    } catch (error) {
      return { redirect: (error as { url?: string }).url, message: (error as Error).message };
    }
  };

  it("answers an existing email exactly as a new one, and signs nobody in", async () => {
    const existing = await submit({ email: "Taken@example.com", password: "someone else's guess" });
    const fresh = await submit({ email: "new@example.com", password: "someone else's guess" });
    expect(existing).toEqual(fresh);
    expect(fresh).toEqual({
      redirect: "/sign-in?signedUp=1&callbackUrl=%2F",
      message: "NEXT_REDIRECT",
    });
    expect(vi.mocked(signIn)).not.toHaveBeenCalled();
    expect(await t.db.user.count({ where: { email: "new@example.com" } })).toBe(1);
    expect(SIGN_UP_DONE).toContain("If this email already had an account, its password is unchanged.");
  });

  it("says what is wrong with the form itself, the same whoever the email belongs to", async () => {
    const existing = await submit({ email: "taken@example.com", password: "short" });
    const fresh = await submit({ email: "other@example.com", password: "short" });
    expect(existing.state?.error).toBe("Passwords need at least 10 characters.");
    expect(existing.state?.error).toBe(fresh.state?.error);
    const takenSlug = await submit({
      email: "taken@example.com",
      password: "long enough 1",
      tenantSlug: "acme",
    });
    const takenSlugFresh = await submit({
      email: "third@example.com",
      password: "long enough 1",
      tenantSlug: "acme",
    });
    expect(takenSlug.state?.error).toBe("The tenant slug 'acme' is taken.");
    expect(takenSlugFresh.state?.error).toBe(takenSlug.state?.error);
  });
});
