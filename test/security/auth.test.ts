// Attacks on accounts, each reproduced against the real code and database, asserting that it now fails:
// a spoofed X-Forwarded-For resetting the limits, a guesser locking the owner out, parallel guesses
// slipping past the limit, webhook keys brute-forced or read by Viewers, wrong keys blocking the right
// caller, and sign-up telling which emails have accounts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import argon2 from "argon2";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { bootstrapAdmin } from "@/server/auth/bootstrap";
import {
  CLIENT_IP_HEADER,
  clientIp,
  limitAddress,
  resolveClientAddress,
  stampClientAddress,
  trustedProxyList,
} from "@/server/auth/client-ip";
import { SIGN_IN_PAIR_POLICY, verifyCredentials } from "@/server/auth/credentials";
import { signUp } from "@/server/services/account";
import { WRONG_KEY_LIMIT } from "@/server/services/webhooks";
import { setUpApi } from "../api/harness";

// Every password check goes through argon2.verify (server/auth/passwords.ts): count them.
vi.mock("argon2", async (original) => {
  const real = await original<typeof import("argon2") & { default: typeof import("argon2") }>();
  const verify = vi.fn(real.default.verify);
  return { ...real, verify, default: { ...real.default, verify } };
});

const api = setUpApi();
const PASSWORD = "the owner's own password";

afterEach(async () => {
  await api.database.db.rateLimit.deleteMany();
});

describe("the client address", () => {
  // What web.ts does to every request before Next sees it, on a real HTTP server; the handler reads the
  // address the way every route handler, server action and tRPC context does, and tries a sign-in with it.
  let server: http.Server;
  let url: string;
  let trusted = trustedProxyList([]);
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      stampClientAddress(req, trusted);
      const headers = new Headers(req.headers as Record<string, string>);
      const ip = clientIp(headers);
      verifyCredentials(api.database.db, { email: "ada@example.com", password: "wrong guess", ip }).then(
        (result) => res.end(JSON.stringify({ ip, result })),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const attempt = async (headers: Record<string, string>) =>
    (await (await fetch(url, { headers })).json()) as { ip: string; result: { reason: string } };

  it("is the socket's: a spoofed X-Forwarded-For (or our own header) does not reset the sign-in limit", async () => {
    await bootstrapAdmin(api.database.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      password: PASSWORD,
    });
    const answers = [];
    for (let i = 0; i < SIGN_IN_PAIR_POLICY.free + 3; i++)
      answers.push(
        await attempt({
          "x-forwarded-for": `203.0.113.${i}`,
          "x-real-ip": `198.51.100.${i}`,
          [CLIENT_IP_HEADER]: `192.0.2.${i}`,
        }),
      );
    expect(new Set(answers.map((answer) => answer.ip))).toEqual(new Set(["127.0.0.1"]));
    expect(answers.slice(0, SIGN_IN_PAIR_POLICY.free).map((a) => a.result.reason)).toEqual(
      Array(SIGN_IN_PAIR_POLICY.free).fill("invalid"),
    );
    expect(answers.slice(SIGN_IN_PAIR_POLICY.free).map((a) => a.result.reason)).toEqual(
      Array(3).fill("rate-limited"),
    );
  });

  it("with trusted proxies, is the right-most X-Forwarded-For entry that is not one of them", async () => {
    trusted = trustedProxyList(["127.0.0.1", "10.0.0.0/8"]);
    try {
      expect((await attempt({ "x-forwarded-for": "203.0.113.50, 10.1.2.3" })).ip).toBe("203.0.113.50");
      // Whatever the client wrote on the left of what our proxies appended counts for nothing.
      expect((await attempt({ "x-forwarded-for": "1.2.3.4, 203.0.113.51" })).ip).toBe("203.0.113.51");
      expect((await attempt({})).ip).toBe("127.0.0.1");
    } finally {
      trusted = trustedProxyList([]);
    }
    // An untrusted peer's X-Forwarded-For is ignored altogether; IPv4-mapped addresses are plain IPv4.
    const none = trustedProxyList([]);
    expect(resolveClientAddress("::ffff:192.0.2.9", "203.0.113.1", none)).toBe("192.0.2.9");
    const proxies = trustedProxyList(["fd00::/8"]);
    expect(resolveClientAddress("fd00::1", "2001:db8::7, fd00::2", proxies)).toBe("2001:db8::7");
    expect(resolveClientAddress("fd00::1", "not-an-address, fd00::2", proxies)).toBe("fd00::2");
  });

  it("keys IPv6 limits on the /64, so rotating source addresses within one host's block changes nothing", async () => {
    expect(limitAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitAddress("2001:DB8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(limitAddress("::1")).toBe("0:0:0:0::/64");
    expect(limitAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(limitAddress(undefined)).toBe("unknown");
    for (let i = 0; i < SIGN_IN_PAIR_POLICY.free; i++)
      await verifyCredentials(api.database.db, {
        email: "ada@example.com",
        password: "wrong guess",
        ip: `2001:db8:77:1::${(i + 1).toString(16)}`,
      });
    expect(
      await verifyCredentials(api.database.db, {
        email: "ada@example.com",
        password: "wrong guess",
        ip: "2001:db8:77:1:dead:beef:0:1",
      }),
    ).toMatchObject({ reason: "rate-limited" });
  });
});

describe("signing in under attack", () => {
  beforeAll(async () => {
    await bootstrapAdmin(api.database.db, {
      tenantSlug: "acme",
      email: "ada@example.com",
      password: PASSWORD,
    });
  });

  it("lets the owner sign in from their address while an attacker floods from another", async () => {
    for (let i = 0; i < 40; i++)
      await verifyCredentials(api.database.db, {
        email: "ada@example.com",
        password: `guess ${i}`,
        ip: "203.0.113.66",
      });
    expect(
      await verifyCredentials(api.database.db, {
        email: "ada@example.com",
        password: PASSWORD,
        ip: "203.0.113.66",
      }),
    ).toMatchObject({ ok: false, reason: "rate-limited" });
    expect(
      await verifyCredentials(api.database.db, {
        email: "ada@example.com",
        password: PASSWORD,
        ip: "198.51.100.7",
      }),
    ).toMatchObject({ ok: true });
  });

  it("keeps the owner in at a known address while a distributed attacker uses up the account's own brake", async () => {
    expect(
      (
        await verifyCredentials(api.database.db, {
          email: "ada@example.com",
          password: PASSWORD,
          ip: "198.51.100.7",
        })
      ).ok,
    ).toBe(true);
    // One guess from each of 110 addresses: past the per-account brake's 100 free attempts.
    for (let i = 0; i < 110; i++)
      await verifyCredentials(api.database.db, {
        email: "ada@example.com",
        password: `guess ${i}`,
        ip: `10.9.${Math.floor(i / 200)}.${i % 200}`,
      });
    const refused = await verifyCredentials(api.database.db, {
      email: "ada@example.com",
      password: "one more guess",
      ip: "10.9.9.9",
    });
    expect(refused).toMatchObject({ ok: false, reason: "rate-limited" });
    // The brake only delays: at most a minute.
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(
      (
        await verifyCredentials(api.database.db, {
          email: "ada@example.com",
          password: PASSWORD,
          ip: "198.51.100.7",
        })
      ).ok,
    ).toBe(true);
  }, 60_000);

  it("makes at most the allowed number of password checks for 30 parallel wrong tries", async () => {
    const verify = vi.mocked(argon2.verify);
    verify.mockClear();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        verifyCredentials(api.database.db, {
          email: "ada@example.com",
          password: `parallel ${i}`,
          ip: "192.0.2.30",
        }),
      ),
    );
    expect(verify.mock.calls.length).toBeLessThanOrEqual(SIGN_IN_PAIR_POLICY.free);
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(verify.mock.calls.length);
    expect(results.filter((r) => !r.ok && r.reason === "rate-limited")).toHaveLength(
      30 - verify.mock.calls.length,
    );
    const [row] = await api.query<{ count: number }>("select count from rate_limits where key = $1", [
      "sign-in:pair:ada@example.com:192.0.2.30",
    ]);
    expect(row?.count).toBe(verify.mock.calls.length);
    // Unknown accounts: the same brake, the same number of (dummy) checks.
    verify.mockClear();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        verifyCredentials(api.database.db, {
          email: "nobody@example.com",
          password: `p ${i}`,
          ip: "192.0.2.31",
        }),
      ),
    );
    expect(verify.mock.calls.length).toBeLessThanOrEqual(SIGN_IN_PAIR_POLICY.free);
  });
});

const HOOKED = (key: string) => `id: hooked
namespace: company.team
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.body }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    # the key is a credential
    key: ${key}
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
`;

describe("webhooks", () => {
  let admin: string;
  beforeAll(async () => {
    admin = (await api.admin("hooks", "owner@hooks.test")).token;
    await api.deploy("hooks", admin, HOOKED("right-key-0123456789"));
  });

  const call = (key: string, ip: string) =>
    api.call("POST", `hooks/executions/webhook/company.team/hooked/${encodeURIComponent(key)}`, {
      body: "{}",
      contentType: "application/json",
      headers: { [CLIENT_IP_HEADER]: ip },
    });

  it("brakes wrong keys per address: a caller with the right key elsewhere is never blocked", async () => {
    for (let i = 0; i < WRONG_KEY_LIMIT; i++)
      expect((await call(`guess-${i}`, "203.0.113.9")).status).toBe(404);
    const blocked = await call("right-key-0123456789", "203.0.113.9");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Many addresses guessing at once do not add up to a flow-wide lock.
    for (let i = 0; i < 30; i++) await call(`spray-${i}`, `198.51.100.${i}`);
    expect((await call("right-key-0123456789", "192.0.2.44")).status).toBe(200);
  });

  it("renders a key written as {{ secret('...') }}, and never matches its unrendered text", async () => {
    const set = await api.call("PUT", "hooks/namespaces/company.team/secrets/HOOK_KEY", {
      token: admin,
      body: { value: "from-a-secret-42" },
    });
    expect(set.status).toBe(200);
    const template = "{{ secret('HOOK_KEY') }}";
    const updated = await api.call("PUT", "hooks/flows/company.team/hooked", {
      token: admin,
      body: HOOKED(`"${template}"`),
    });
    expect(updated.status).toBe(200);
    expect((await call("from-a-secret-42", "192.0.2.45")).status).toBe(200);
    expect((await call(template, "192.0.2.45")).status).toBe(404);
    await api.call("PUT", "hooks/flows/company.team/hooked", {
      token: admin,
      body: HOOKED("right-key-0123456789"),
    });
  });
});

describe("webhook keys in flow sources", () => {
  let admin: string;
  let viewer: string;
  let editor: string;
  beforeAll(async () => {
    admin = (await api.admin("keys", "admin@keys.test")).token;
    await api.deploy("keys", admin, HOOKED("super-secret-key-987"));
    const db = api.database.db;
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: "keys" } });
    for (const [email, role] of [
      ["viewer@keys.test", "Viewer"],
      ["editor@keys.test", "Editor"],
    ] as const) {
      const user = await db.user.create({ data: { email } });
      await db.membership.create({ data: { tenantId: tenant.id, userId: user.id } });
      await db.binding.create({
        data: { tenantId: tenant.id, subjectType: "USER", userId: user.id, builtInRole: role },
      });
    }
    viewer = await api.token("keys", "viewer@keys.test");
    editor = await api.token("keys", "editor@keys.test");
  });

  it("shows a Viewer ****** where the key is, on every path that returns a flow; an Editor sees the key", async () => {
    const asViewer = [
      (
        (await api.call("GET", "keys/flows/company.team/hooked", { token: viewer })).json as {
          source: string;
        }
      ).source,
      (
        (await api.call("GET", "keys/flows/company.team/hooked?revision=1", { token: viewer })).json as {
          source: string;
        }
      ).source,
      ...(
        (await api.call("GET", "keys/flows/company.team/hooked/revisions", { token: viewer })).json as {
          source: string;
        }[]
      ).map((r) => r.source),
      ...(
        (await api.call("GET", "keys/flows/company.team", { token: viewer })).json as { source: string }[]
      ).map((f) => f.source),
      (
        await (
          await api.trpc({ token: viewer })
        ).flows.get({ tenant: "keys", namespace: "company.team", flowId: "hooked" })
      ).source,
    ];
    expect(asViewer).toHaveLength(5);
    for (const source of asViewer) {
      expect(source).not.toContain("super-secret-key-987");
      expect(source).toContain(`key: "******"`);
      expect(source).toContain("# the key is a credential"); // the rest of the source is as written
      expect(source).toContain('cron: "0 3 * * *"');
    }
    const search = await api.call("GET", "keys/flows/search", { token: viewer });
    expect(search.text).not.toContain("super-secret-key-987");
    const asEditor = (await api.call("GET", "keys/flows/company.team/hooked", { token: editor })).json as {
      source: string;
    };
    expect(asEditor.source).toContain("key: super-secret-key-987");
  });
});

describe("sign-up", () => {
  it("answers the same for an email that has an account and one that has not, and changes nothing for the first", async () => {
    await bootstrapAdmin(api.database.db, {
      tenantSlug: "taken",
      email: "taken@example.com",
      password: PASSWORD,
    });
    const before = await api.database.db.user.findUniqueOrThrow({ where: { email: "taken@example.com" } });
    const verify = vi.mocked(argon2.verify);
    const hash = vi.spyOn(argon2, "hash");
    const existing = await signUp(api.database.db, {
      email: "Taken@Example.com",
      password: "a different password",
      ip: "192.0.2.60",
    });
    const fresh = await signUp(api.database.db, {
      email: "fresh@example.com",
      password: "a different password",
      ip: "192.0.2.60",
    });
    // The service tells its caller (for tests and logs); the page shows the same thing for both (see
    // sign-up-page.test.ts): no error in either case, and the password was hashed in both.
    expect(existing).toEqual({ created: false });
    expect(fresh).toMatchObject({ created: true });
    expect(hash).toHaveBeenCalledTimes(2);
    hash.mockRestore();
    verify.mockClear();
    const after = await api.database.db.user.findUniqueOrThrow({ where: { email: "taken@example.com" } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(
      await api.database.db.tenant.count({ where: { memberships: { some: { userId: after.id } } } }),
    ).toBe(1);
    // The owner's password still works; the one typed at sign-up does not.
    expect(
      (await verifyCredentials(api.database.db, { email: "taken@example.com", password: PASSWORD })).ok,
    ).toBe(true);
    expect(
      (
        await verifyCredentials(api.database.db, {
          email: "taken@example.com",
          password: "a different password",
        })
      ).ok,
    ).toBe(false);
  });
});
