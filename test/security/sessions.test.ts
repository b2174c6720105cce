// Sessions that end: a session cookie (an Auth.js JWT, built and decoded as Auth.js does) stops working
// after sign-out and after a password reset, and an open event stream ends within the re-check interval
// once its token is revoked, its session ended or its permission lost.
import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { bootstrapAdmin } from "@/server/auth/bootstrap";
import { verifyCredentials } from "@/server/auth/credentials";
import type { SessionUser } from "@/server/auth/principal";
import { endSessions, sessionUserOf } from "@/server/auth/sessions";
import { env } from "@/server/env";
import { setUpApi } from "../api/harness";

const api = setUpApi();
const SECRET = "a test secret that signs cookies";
const COOKIE = "authjs.session-token";
const PASSWORD = "the owner's own password";

/** Signs in as the sign-in page does, and returns what the cookie would carry and what it decodes to. */
async function signIn(email: string, password: string, ip = "192.0.2.1"): Promise<SessionUser> {
  const result = await verifyCredentials(api.database.db, { email, password, ip });
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  // The jwt callback puts { sub, sv } in the token; Auth.js encrypts it into the cookie.
  const cookie = await encode({
    token: { sub: result.user.id, sv: result.user.sessionVersion, email },
    secret: SECRET,
    salt: COOKIE,
  });
  const session = sessionUserOf(await decode({ token: cookie, secret: SECRET, salt: COOKIE }));
  if (!session) throw new Error("the cookie did not decode");
  return session;
}

const FOREVER = `id: forever
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`;

/** Reads an event stream until it closes; resolves with its text and when it closed. */
function drain(response: Response): Promise<{ text: string; closedAt: number }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  let text = "";
  return (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, closedAt: Date.now() };
      text += decoder.decode(value, { stream: true });
    }
  })();
}

describe("sessions", () => {
  it("refuses the cookie of a session that signed out, on the REST API and on tRPC", async () => {
    await bootstrapAdmin(api.database.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      password: PASSWORD,
    });
    const session = await signIn("ada@example.com", PASSWORD);
    expect((await api.call("GET", "acme/me", { session })).status).toBe(200);
    const other = await signIn("ada@example.com", PASSWORD, "198.51.100.2"); // another browser
    // Sign-out (what signOutAction does before Auth.js deletes the cookie).
    await endSessions(api.database.db, session.id);
    for (const stale of [session, other]) {
      const response = await api.call("GET", "acme/me", { session: stale });
      expect(response.status).toBe(401);
      await expect((await api.trpc({ session: stale })).account.me()).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    // A cookie from before session versions (no `sv`) is no session either.
    expect((await api.call("GET", "acme/me", { session: { id: session.id } })).status).toBe(401);
    // Signing in again gives a cookie that works.
    expect(
      (await api.call("GET", "acme/me", { session: await signIn("ada@example.com", PASSWORD) })).status,
    ).toBe(200);
  });

  it("ends every session when the password is reset", async () => {
    const session = await signIn("ada@example.com", PASSWORD);
    await bootstrapAdmin(api.database.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      password: "a brand new password",
      resetPassword: true,
    });
    expect((await api.call("GET", "acme/me", { session })).status).toBe(401);
    expect(
      (await api.call("GET", "acme/me", { session: await signIn("ada@example.com", "a brand new password") }))
        .status,
    ).toBe(200);
  });
});

describe("event streams", () => {
  const recheckMs = env.CADENZA_STREAM_RECHECK_SECONDS * 1000;
  // The stream notices at its next re-check, then ends after at most one more poll.
  const slack = 1_500;

  async function pausedExecution(token: string): Promise<string> {
    const started = await api.call("POST", "streams/executions/company.team/forever", { token });
    expect(started.status).toBe(200);
    return (started.json as { id: string }).id;
  }

  it("ends an execution's stream and a log stream within the re-check interval after their token is revoked", async () => {
    const { token: admin } = await api.admin("streams", "owner@streams.test");
    await api.deploy("streams", admin, FOREVER);
    const created = await api.call("POST", "streams/api-tokens", {
      token: admin,
      body: { name: "follower" },
    });
    const { token, id: tokenId } = created.json as { token: string; id: string };
    const id = await pausedExecution(admin);
    const execution = drain(await api.fetch("GET", `streams/executions/${id}/follow`, { token }));
    const logs = drain(await api.fetch("GET", `streams/logs/${id}/follow`, { token }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const revokedAt = Date.now();
    expect((await api.call("DELETE", `streams/api-tokens/${tokenId}`, { token: admin })).status).toBe(200);
    for (const stream of [await execution, await logs]) {
      expect(stream.closedAt - revokedAt).toBeLessThan(recheckMs + slack);
      expect(stream.text).toMatch(/event: error\ndata: \{"message":"This API token was revoked\."\}/);
      expect(stream.text).not.toContain("event: end");
    }
    // The execution itself is still paused: only the stream ended.
    expect(
      (
        (await api.call("GET", `streams/executions/${id}`, { token: admin })).json as {
          state: { current: string };
        }
      ).state.current,
    ).not.toMatch(/SUCCESS|FAILED|KILLED/);
  }, 30_000);

  it("ends a session's stream when the session signs out, and a stream whose reader lost the permission", async () => {
    const { token: admin } = await api.admin("streams", "owner@streams.test");
    await bootstrapAdmin(api.database.db, {
      tenantSlug: "streams",
      email: "owner@streams.test",
      password: PASSWORD,
    });
    const id = await pausedExecution(admin);
    const session = await signIn("owner@streams.test", "correct horse battery"); // api.admin's password
    const bySession = drain(await api.fetch("GET", `streams/executions/${id}/follow`, { session }));

    // A Viewer on the namespace, whose binding is then removed.
    const db = api.database.db;
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: "streams" } });
    const viewer = await db.user.create({ data: { email: "viewer@streams.test" } });
    await db.membership.create({ data: { tenantId: tenant.id, userId: viewer.id } });
    const binding = await db.binding.create({
      data: { tenantId: tenant.id, subjectType: "USER", userId: viewer.id, builtInRole: "Viewer" },
    });
    const viewerToken = await api.token("streams", "viewer@streams.test");
    const byViewer = drain(await api.fetch("GET", `streams/logs/${id}/follow`, { token: viewerToken }));

    await new Promise((resolve) => setTimeout(resolve, 500));
    const changedAt = Date.now();
    await endSessions(db, session.id);
    await db.binding.delete({ where: { id: binding.id } });
    const signedOut = await bySession;
    expect(signedOut.closedAt - changedAt).toBeLessThan(recheckMs + slack);
    expect(signedOut.text).toContain(
      'event: error\ndata: {"message":"This session has ended: sign in again."}',
    );
    const unbound = await byViewer;
    expect(unbound.closedAt - changedAt).toBeLessThan(recheckMs + slack);
    expect(unbound.text).toMatch(/event: error\ndata: \{"message":"[^"]*EXECUTION:READ/);
  }, 30_000);
});
