// Accounts and the team: sign-up with a tenant of one's own, invitations (once, for their email, until
// they expire), the first-admin link of a standalone installation, the last Admin who cannot be removed,
// tokens that cannot mint tokens, groups giving roles, and the webhook rate limit.
import { describe, expect, it } from "vitest";
import { firstAdminInvitation } from "@/server/auth/bootstrap";
import { acceptInvitation, signUp } from "@/server/services/account";
import { TooManyRequestsError } from "@/server/services/errors";
import { callWebhook } from "@/server/services/webhooks";
import { setUpApi } from "./harness";

const api = setUpApi();

/** signUp() that must have made a new account. */
async function signUpNew(...args: Parameters<typeof signUp>) {
  const result = await signUp(...args);
  if (!result.created) throw new Error("expected a new account");
  return result;
}

describe("accounts and the team", () => {
  it("signs someone up with a tenant of their own, of which they are Admin", async () => {
    const { userId, tenant } = await signUpNew(api.database.db, {
      email: "Grace@Example.com",
      password: "long enough password",
      tenantSlug: "grace-co",
    });
    expect(tenant.slug).toBe("grace-co");
    const bindings = await api.database.db.binding.findMany({ where: { userId } });
    expect(bindings).toMatchObject([{ tenantId: tenant.id, builtInRole: "Admin", namespace: null }]);
    // An email with an account already: nothing changes, and nothing says so (see test/security).
    expect(
      await signUp(api.database.db, { email: "grace@example.com", password: "long enough password" }),
    ).toEqual({ created: false });
    await expect(
      signUp(api.database.db, { email: "short@example.com", password: "short" }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      signUp(api.database.db, {
        email: "other@example.com",
        password: "long enough password",
        tenantSlug: "grace-co",
      }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it("lets an invitation be used once, by its email only, until it expires", async () => {
    const { token } = await api.admin("team", "admin@team.test");
    const invite = async (body: object) =>
      (await api.call("POST", "team/invitations", { token, body })).json as {
        token: string;
        path: string;
        id: string;
      };

    const forBob = await invite({ email: "bob@team.test", role: "Editor", namespace: "ops" });
    expect(forBob.path).toBe(`/invite/${forBob.token}`);
    await expect(
      signUp(api.database.db, {
        email: "mallory@team.test",
        password: "long enough password",
        invitationToken: forBob.token,
      }),
    ).rejects.toMatchObject({ status: 403 });
    // Nothing was created for Mallory.
    expect(await api.database.db.user.findUnique({ where: { email: "mallory@team.test" } })).toBeNull();
    const bob = await signUpNew(api.database.db, {
      email: "bob@team.test",
      password: "long enough password",
      invitationToken: forBob.token,
    });
    const bobAccess = await api.database.db.binding.findMany({ where: { userId: bob.userId } });
    expect(bobAccess).toMatchObject([{ builtInRole: "Editor", namespace: "ops" }]);
    // Once only.
    const alice = await signUpNew(api.database.db, {
      email: "alice@elsewhere.test",
      password: "long enough password",
    });
    await expect(
      acceptInvitation(
        api.database.db,
        { kind: "user", id: alice.userId, name: "alice@elsewhere.test", via: "session" },
        forBob.token,
      ),
    ).rejects.toMatchObject({ status: 409 });
    // Expired.
    const anyone = await invite({ role: "Viewer" });
    await api.database.db.invitation.update({
      where: { id: anyone.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(
      acceptInvitation(
        api.database.db,
        { kind: "user", id: alice.userId, name: "alice@elsewhere.test", via: "session" },
        anyone.token,
      ),
    ).rejects.toMatchObject({ status: 409 });
    // An API token is not enough to accept one (tokens belong to one tenant).
    const fresh = await invite({ role: "Viewer" });
    await expect(
      acceptInvitation(
        api.database.db,
        {
          kind: "user",
          id: alice.userId,
          name: "alice@elsewhere.test",
          via: "token",
          tokenTenantId: alice.tenant.id,
        },
        fresh.token,
      ),
    ).rejects.toMatchObject({ status: 403 });
    // The members list shows Bob with his binding.
    const members = (await api.call("GET", "team/users", { token })).json as {
      email: string;
      bindings: { role: string }[];
    }[];
    expect(members.find((m) => m.email === "bob@team.test")?.bindings.map((b) => b.role)).toEqual(["Editor"]);
  });

  it("keeps the last tenant-wide Admin", async () => {
    const { token, userId } = await api.admin("lonely", "admin@lonely.test");
    const bindings = (await api.call("GET", "lonely/bindings", { token })).json as {
      id: string;
      role: string;
    }[];
    const admin = bindings.find((b) => b.role === "Admin");
    expect((await api.call("DELETE", `lonely/bindings/${admin?.id}`, { token })).status).toBe(409);
    expect((await api.call("DELETE", `lonely/users/${userId}`, { token })).status).toBe(409);
    // With a second Admin, the first may go.
    await api.admin("lonely", "second@lonely.test");
    expect((await api.call("DELETE", `lonely/bindings/${admin?.id}`, { token })).status).toBe(204);
  });

  it("prints a one-time first-admin link while a tenant has no Admin, and stops once one exists", async () => {
    await api.database.db.tenant.create({
      data: { id: "standalone", slug: "standalone", name: "Standalone" },
    });
    const first = await firstAdminInvitation(api.database.db, "standalone");
    const second = await firstAdminInvitation(api.database.db, "standalone");
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    // Each start's link replaces the previous one.
    await expect(
      signUp(api.database.db, {
        email: "late@example.com",
        password: "long enough password",
        invitationToken: first as string,
      }),
    ).rejects.toMatchObject({ status: 404 });
    const owner = await signUpNew(api.database.db, {
      email: "owner@example.com",
      password: "long enough password",
      invitationToken: second as string,
    });
    expect(owner.tenant.slug).toBe("standalone");
    expect(
      await api.database.db.binding.findFirst({
        where: { userId: owner.userId, builtInRole: "Admin", namespace: null },
      }),
    ).not.toBeNull();
    expect(await firstAdminInvitation(api.database.db, "standalone")).toBeUndefined();
  });

  it("lets a token mint tokens only with APITOKEN:CREATE, and a session always", async () => {
    const { token } = await api.admin("minting", "admin@minting.test");
    const invitation = (await api.call("POST", "minting/invitations", { token, body: { role: "Editor" } }))
      .json as { token: string };
    const editor = await signUpNew(api.database.db, {
      email: "editor@minting.test",
      password: "long enough password",
      invitationToken: invitation.token,
    });
    const editorToken = await api.token("minting", "editor@minting.test");
    expect(
      (await api.call("POST", "minting/api-tokens", { token: editorToken, body: { name: "child" } })).status,
    ).toBe(403);
    expect((await api.call("POST", "minting/api-tokens", { token, body: { name: "child" } })).status).toBe(
      201,
    );
    const asSession = await api.call("POST", "minting/api-tokens", {
      session: { id: editor.userId, sessionVersion: 0 },
      body: { name: "from the UI" },
    });
    expect(asSession.status).toBe(201);
    expect((asSession.json as { token: string }).token).toMatch(/^cdz_/);
    // Editors see their own tokens, not everyone's.
    expect((await api.call("GET", "minting/api-tokens?all=true", { token: editorToken })).status).toBe(403);
    const own = (await api.call("GET", "minting/api-tokens", { token: editorToken })).json as {
      owner: { name: string };
    }[];
    expect(own.every((t) => t.owner.name === "editor@minting.test")).toBe(true);
  });

  it("gives roles through groups", async () => {
    const { token } = await api.admin("groups", "admin@groups.test");
    const invitation = (await api.call("POST", "groups/invitations", { token, body: { role: "Viewer" } }))
      .json as { token: string };
    const member = await signUpNew(api.database.db, {
      email: "member@groups.test",
      password: "long enough password",
      invitationToken: invitation.token,
    });
    const memberToken = await api.token("groups", "member@groups.test");
    expect(
      (await api.call("POST", "groups/namespaces", { token: memberToken, body: { id: "team.x" } })).status,
    ).toBe(403);
    const group = (await api.call("POST", "groups/groups", { token, body: { name: "builders" } })).json as {
      id: string;
    };
    await api.call("PUT", `groups/groups/${group.id}/members/${member.userId}`, { token });
    const bound = await api.call("POST", "groups/bindings", {
      token,
      body: { subjectType: "GROUP", subjectId: group.id, role: "Editor", namespace: "team" },
    });
    expect(bound.status).toBe(201);
    expect(
      (await api.call("POST", "groups/namespaces", { token: memberToken, body: { id: "team.x" } })).status,
    ).toBe(201);
    expect(
      (await api.call("POST", "groups/namespaces", { token: memberToken, body: { id: "other.x" } })).status,
    ).toBe(403);
  });

  it("rate-limits webhooks per address, before looking at the key, and never for other addresses", async () => {
    const tenant = { id: "standalone", slug: "standalone" };
    const call = (ip: string) =>
      callWebhook(
        api.database.db,
        async () => api.engine,
        tenant,
        { namespace: "hooks", flowId: "none", key: "guess" },
        { method: "POST", headers: new Headers(), query: {}, body: "", ip },
        { limitPerMinute: 2 },
      );
    await expect(call("198.51.100.1")).rejects.toMatchObject({ status: 404 });
    await expect(call("198.51.100.1")).rejects.toMatchObject({ status: 404 });
    // The third call from the same address is refused before the (wrong) key is even looked at.
    const limited = await call("198.51.100.1").catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TooManyRequestsError);
    expect((limited as TooManyRequestsError).retryAfterSeconds).toBeGreaterThan(0);
    // Another address still gets through, however many addresses called before it (no flow-wide limit
    // that someone else's calls could use up).
    await expect(call("198.51.100.2")).rejects.toMatchObject({ status: 404 });
    for (let i = 3; i < 30; i++) await call(`198.51.100.${i}`).catch(() => undefined);
    await expect(call("198.51.100.200")).rejects.toMatchObject({ status: 404 });
    const response = await api.call("POST", "standalone/executions/webhook/hooks/none/guess", {
      headers: { "x-cadenza-client-ip": "198.51.100.1" },
    });
    // Through the route, with the configured limit (CADENZA_WEBHOOK_RATE_LIMIT, 120 a minute): still a 404.
    expect(response.status).toBe(404);
  });
});
