// The RBAC matrix: every built-in role × every permission × every action does exactly what the role
// promises (the table below is the promise, written out independently of server/access/permissions.ts and
// matching README "Roles"), tenant-wide and through a binding on namespace `a.b` (which covers `a.b` and
// `a.b.c`, never `a.x`, `a.bc` or `a`, and never gives tenant-level permissions). First on authorize()
// itself, then through the REST API with real tokens.
import { describe, expect, it } from "vitest";
import { type AccessGrant, type AuthorizedPrincipal, authorize, can } from "@/server/access/authorize";
import { grantsOfBindings } from "@/server/access/load-access";
import {
  ACTIONS,
  type Action,
  BUILT_IN_ROLES,
  type BuiltInRole,
  PERMISSIONS,
  type Permission,
} from "@/server/access/permissions";
import { ForbiddenError, NotFoundError } from "@/server/services/errors";
import { setUpApi } from "../api/harness";
import { NAMESPACED, PROMISE, promised } from "./promise";

const tenant = { id: "t1", slug: "t1", name: "T1" };

function principal(grants: AccessGrant[]): AuthorizedPrincipal {
  return { kind: "user", id: "u1", name: "u1@test", via: "session", access: new Map([[tenant.id, grants]]) };
}

describe("RBAC matrix on authorize()", () => {
  for (const role of BUILT_IN_ROLES) {
    describe(role, () => {
      const tenantWide = principal(grantsOfBindings([{ builtInRole: role, namespace: null, role: null }]));
      const onAB = principal(grantsOfBindings([{ builtInRole: role, namespace: "a.b", role: null }]));

      for (const permission of PERMISSIONS) {
        it(`${permission}: ${PROMISE[role][permission].join("") || "nothing"}`, () => {
          for (const action of ACTIONS) {
            const expected = promised(role, permission, action);
            // Tenant-wide: on the tenant and on any namespace.
            expect(can(tenantWide, permission, action, { tenant }), `${action} tenant-wide`).toBe(expected);
            expect(can(tenantWide, permission, action, { tenant, namespace: "z.y" })).toBe(expected);
            // A binding on a.b: its namespace and children, for namespaced permissions only.
            for (const namespace of ["a.b", "a.b.c", "a.b.c.d"])
              expect(can(onAB, permission, action, { tenant, namespace }), `${action} on ${namespace}`).toBe(
                expected && NAMESPACED.has(permission),
              );
            for (const namespace of ["a.x", "a.bc", "a", "b.a.b"])
              expect(can(onAB, permission, action, { tenant, namespace }), `${action} on ${namespace}`).toBe(
                false,
              );
            expect(
              can(onAB, permission, action, { tenant }),
              `${action} tenant-wide with a namespace binding`,
            ).toBe(false);
            // authorize() throws exactly when can() says no: 403, not 404, for a member.
            if (expected) expect(() => authorize(tenantWide, permission, action, { tenant })).not.toThrow();
            else expect(() => authorize(tenantWide, permission, action, { tenant })).toThrow(ForbiddenError);
          }
        });
      }
    });
  }

  it("answers 404 for a tenant the principal cannot see, whatever the permission", () => {
    const admin = principal(grantsOfBindings([{ builtInRole: "Admin", namespace: null, role: null }]));
    expect(() => authorize(admin, "FLOW", "READ", { tenant: { id: "t2", slug: "t2", name: "T2" } })).toThrow(
      NotFoundError,
    );
  });

  it("gives a custom role exactly its grants, and nothing for unknown ones", () => {
    const custom = principal(
      grantsOfBindings([
        {
          builtInRole: null,
          namespace: "ops",
          role: { name: "Runner", permissions: ["EXECUTION:CREATE", "NOPE:READ"] },
        },
      ]),
    );
    expect(can(custom, "EXECUTION", "CREATE", { tenant, namespace: "ops.jobs" })).toBe(true);
    expect(can(custom, "EXECUTION", "READ", { tenant, namespace: "ops.jobs" })).toBe(false);
    expect(can(custom, "EXECUTION", "CREATE", { tenant, namespace: "opsx" })).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------ through the API

const api = setUpApi({ runtime: true });

const flow = (namespace: string, id = "f") => `id: ${id}
namespace: ${namespace}
tasks:
  - id: log
    type: core.log.Log
    message: hi
triggers:
  - id: nightly
    type: core.trigger.Schedule
    cron: "0 3 * * *"
`;

type Call = (token: string, namespace: string) => Promise<number>;

describe("RBAC matrix through the REST API", () => {
  let admin = "";
  let userSeq = 0;
  const executions = new Map<string, string>();

  async function asAdmin(method: string, path: string, body?: unknown, contentType?: string) {
    const response = await api.call(method, `rbac/${path}`, {
      token: admin,
      body,
      ...(contentType ? { contentType } : {}),
    });
    if (response.status >= 400 && response.status !== 409)
      throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response;
  }

  /** A fresh ended execution of the flow of `namespace`. */
  async function freshExecution(namespace: string): Promise<string> {
    const started = await asAdmin("POST", `executions/${namespace}/f?wait=true`);
    return (started.json as { id: string }).id;
  }

  async function ensureFixtures(namespace: string): Promise<void> {
    await asAdmin("POST", "flows", flow(namespace));
    await asAdmin("PUT", `namespaces/${namespace}/kv/existing`, { v: 1 });
    await asAdmin("PUT", `namespaces/${namespace}/secrets/EXISTING`, { value: "not-so-secret-value" });
    if (!executions.has(namespace)) executions.set(namespace, await freshExecution(namespace));
  }

  async function member(role: BuiltInRole, namespace: string | null): Promise<string> {
    const email = `u${++userSeq}@rbac.test`;
    const invite = await asAdmin("POST", "invitations", { role, namespace, email });
    const { token: invitationToken } = invite.json as { token: string };
    const { signUp } = await import("@/server/services/account");
    await signUp(api.database.db, { email, password: "a long enough password", invitationToken });
    return api.token("rbac", email);
  }

  const status = async (token: string, method: string, path: string, body?: unknown, contentType?: string) =>
    (await api.call(method, `rbac/${path}`, { token, body, ...(contentType ? { contentType } : {}) })).status;

  /** One REST call per permission × action that has a route. */
  const NAMESPACED_CALLS: Record<string, Call> = {
    "FLOW:CREATE": (t, ns) => status(t, "POST", "flows", flow(ns, `new${++userSeq}`)),
    "FLOW:READ": (t, ns) => status(t, "GET", `flows/${ns}/f`),
    "FLOW:UPDATE": (t, ns) => status(t, "PUT", `flows/${ns}/f`, flow(ns).replace("hi", `hi ${++userSeq}`)),
    "FLOW:DELETE": async (t, ns) => {
      await asAdmin("POST", "flows", flow(ns, "doomed"));
      return status(t, "DELETE", `flows/${ns}/doomed`);
    },
    "EXECUTION:CREATE": (t, ns) => status(t, "POST", `executions/${ns}/f`),
    "EXECUTION:READ": (t, ns) => status(t, "GET", `executions/${executions.get(ns)}`),
    // Restarting a successful execution is refused for its state (409) when the right is there.
    "EXECUTION:UPDATE": (t, ns) => status(t, "POST", `executions/${executions.get(ns)}/restart`),
    "EXECUTION:DELETE": async (t, ns) => status(t, "DELETE", `executions/${await freshExecution(ns)}`),
    "NAMESPACE:CREATE": (t, ns) => status(t, "POST", "namespaces", { id: `${ns}.n${++userSeq}` }),
    "NAMESPACE:READ": (t, ns) => status(t, "GET", `namespaces/${ns}`),
    "NAMESPACE:DELETE": async (t, ns) => {
      const doomed = `${ns}.empty${++userSeq}`;
      await asAdmin("POST", "namespaces", { id: doomed });
      return status(t, "DELETE", `namespaces/${doomed}`);
    },
    "KVSTORE:CREATE": (t, ns) => status(t, "PUT", `namespaces/${ns}/kv/k${++userSeq}`, { v: 2 }),
    "KVSTORE:READ": (t, ns) => status(t, "GET", `namespaces/${ns}/kv/existing`),
    "KVSTORE:UPDATE": (t, ns) => status(t, "PUT", `namespaces/${ns}/kv/existing`, { v: 3 }),
    "KVSTORE:DELETE": async (t, ns) => {
      await asAdmin("PUT", `namespaces/${ns}/kv/doomed`, { v: 0 });
      return status(t, "DELETE", `namespaces/${ns}/kv/doomed`);
    },
    "SECRET:CREATE": (t, ns) =>
      status(t, "PUT", `namespaces/${ns}/secrets/S${++userSeq}`, { value: "v-a-l-u-e" }),
    "SECRET:READ": (t, ns) => status(t, "GET", `namespaces/${ns}/secrets`),
    "SECRET:UPDATE": (t, ns) =>
      status(t, "PUT", `namespaces/${ns}/secrets/EXISTING`, { value: "another-value" }),
    "SECRET:DELETE": async (t, ns) => {
      await asAdmin("PUT", `namespaces/${ns}/secrets/DOOMED`, { value: "doomed-value" });
      return status(t, "DELETE", `namespaces/${ns}/secrets/DOOMED`);
    },
  };

  const TENANT_CALLS: Record<string, (token: string) => Promise<number>> = {
    "USER:CREATE": (t) => status(t, "POST", "groups", { name: `g${++userSeq}` }),
    "USER:READ": (t) => status(t, "GET", "users"),
    "USER:UPDATE": async (t) => {
      const group = await asAdmin("POST", "groups", { name: `g${++userSeq}` });
      const users = (await asAdmin("GET", "users")).json as { userId: string }[];
      return status(t, "PUT", `groups/${(group.json as { id: string }).id}/members/${users[0]?.userId}`);
    },
    "USER:DELETE": async (t) => {
      const group = await asAdmin("POST", "groups", { name: `g${++userSeq}` });
      return status(t, "DELETE", `groups/${(group.json as { id: string }).id}`);
    },
    "ROLE:CREATE": (t) => status(t, "POST", "roles", { name: `r${++userSeq}`, permissions: ["FLOW:READ"] }),
    "ROLE:READ": (t) => status(t, "GET", "roles"),
    "ROLE:UPDATE": async (t) => {
      const role = await asAdmin("POST", "roles", { name: `r${++userSeq}`, permissions: [] });
      return status(t, "PUT", `roles/${(role.json as { id: string }).id}`, { permissions: ["FLOW:READ"] });
    },
    "ROLE:DELETE": async (t) => {
      const role = await asAdmin("POST", "roles", { name: `r${++userSeq}`, permissions: [] });
      return status(t, "DELETE", `roles/${(role.json as { id: string }).id}`);
    },
    "BINDING:CREATE": async (t) => {
      const account = await asAdmin("POST", "service-accounts", { name: `sa${++userSeq}` });
      return status(t, "POST", "bindings", {
        subjectType: "SERVICE_ACCOUNT",
        subjectId: (account.json as { id: string }).id,
        role: "Viewer",
      });
    },
    "BINDING:READ": (t) => status(t, "GET", "bindings"),
    "BINDING:DELETE": async (t) => {
      const account = await asAdmin("POST", "service-accounts", { name: `sa${++userSeq}` });
      const binding = await asAdmin("POST", "bindings", {
        subjectType: "SERVICE_ACCOUNT",
        subjectId: (account.json as { id: string }).id,
        role: "Viewer",
      });
      return status(t, "DELETE", `bindings/${(binding.json as { id: string }).id}`);
    },
    "SERVICE_ACCOUNT:CREATE": (t) => status(t, "POST", "service-accounts", { name: `sa${++userSeq}` }),
    "SERVICE_ACCOUNT:READ": (t) => status(t, "GET", "service-accounts"),
    "SERVICE_ACCOUNT:DELETE": async (t) => {
      const account = await asAdmin("POST", "service-accounts", { name: `sa${++userSeq}` });
      return status(t, "DELETE", `service-accounts/${(account.json as { id: string }).id}`);
    },
    "APITOKEN:CREATE": async (t) => {
      const account = await asAdmin("POST", "service-accounts", { name: `sa${++userSeq}` });
      return status(t, "POST", `service-accounts/${(account.json as { id: string }).id}/api-tokens`, {
        name: "ci",
      });
    },
    "APITOKEN:READ": (t) => status(t, "GET", "api-tokens?all=true"),
    "APITOKEN:DELETE": async (t) => {
      const account = await asAdmin("POST", "service-accounts", { name: `sa${++userSeq}` });
      const token = await asAdmin(
        "POST",
        `service-accounts/${(account.json as { id: string }).id}/api-tokens`,
        { name: "ci" },
      );
      return status(t, "DELETE", `api-tokens/${(token.json as { id: string }).id}`);
    },
    "AUDITLOG:READ": (t) => status(t, "GET", "auditlogs/search"),
    "SETTING:READ": (t) => status(t, "GET", "settings"),
    "SETTING:UPDATE": (t) => status(t, "PUT", "settings", { name: "RBAC" }),
  };

  it("covers every permission × action that has an API", () => {
    const covered = new Set([...Object.keys(NAMESPACED_CALLS), ...Object.keys(TENANT_CALLS)]);
    // No API yet: namespace descriptions cannot be edited, bindings/tokens/service accounts are replaced rather
    // than updated, and blueprints arrive with their own issue. authorize() is checked for them above.
    const noApi = [
      "NAMESPACE:UPDATE",
      "BINDING:UPDATE",
      "APITOKEN:UPDATE",
      "SERVICE_ACCOUNT:UPDATE",
      "AUDITLOG:CREATE",
      "AUDITLOG:UPDATE",
      "AUDITLOG:DELETE",
      "SETTING:CREATE",
      "SETTING:DELETE",
    ];
    for (const permission of PERMISSIONS)
      for (const action of ACTIONS) {
        const key = `${permission}:${action}`;
        if (permission === "BLUEPRINT" || noApi.includes(key)) continue;
        expect(covered.has(key), key).toBe(true);
      }
  });

  for (const role of BUILT_IN_ROLES) {
    it(`${role}, tenant-wide, may do exactly what it promises`, async () => {
      admin ||= (await api.admin("rbac", "admin@rbac.test")).token;
      await ensureFixtures("a.b.c");
      const token = await member(role, null);
      const outcomes: string[] = [];
      for (const [key, call] of Object.entries(NAMESPACED_CALLS)) {
        const [permission, action] = key.split(":") as [Permission, Action];
        const code = await call(token, "a.b.c");
        outcomes.push(`${key} ${code === 403 ? "refused" : "allowed"}`);
        expect(code === 403 ? "refused" : "allowed", `${key} (${code})`).toBe(
          promised(role, permission, action) ? "allowed" : "refused",
        );
        expect(code).not.toBe(401);
        expect(code).not.toBe(404);
      }
      for (const [key, call] of Object.entries(TENANT_CALLS)) {
        const [permission, action] = key.split(":") as [Permission, Action];
        const code = await call(token);
        expect(code === 403 ? "refused" : "allowed", `${key} (${code})`).toBe(
          promised(role, permission, action) ? "allowed" : "refused",
        );
        expect(code).toBeLessThan(500);
      }
    }, 60_000);

    it(`${role} on namespace a.b acts on a.b.c, never on a.x or a.bc, and gets nothing tenant-wide`, async () => {
      admin ||= (await api.admin("rbac", "admin@rbac.test")).token;
      for (const ns of ["a.b.c", "a.x", "a.bc"]) await ensureFixtures(ns);
      const token = await member(role, "a.b");
      for (const [key, call] of Object.entries(NAMESPACED_CALLS)) {
        const [permission, action] = key.split(":") as [Permission, Action];
        const inside = await call(token, "a.b.c");
        expect(inside === 403 ? "refused" : "allowed", `${key} on a.b.c (${inside})`).toBe(
          promised(role, permission, action) ? "allowed" : "refused",
        );
        for (const outside of ["a.x", "a.bc"])
          expect(await call(token, outside), `${key} on ${outside}`).toBe(403);
      }
      for (const [key, call] of Object.entries(TENANT_CALLS)) expect(await call(token), key).toBe(403);
    }, 60_000);
  }

  it("lists only what a namespace binding covers", async () => {
    admin ||= (await api.admin("rbac", "admin@rbac.test")).token;
    for (const ns of ["a.b.c", "a.x", "a.bc"]) await ensureFixtures(ns);
    const token = await member("Viewer", "a.b");
    const flows = (await api.call("GET", "rbac/flows/search?size=200", { token })).json as {
      results: { namespace: string }[];
    };
    expect(new Set(flows.results.map((f) => f.namespace))).toEqual(new Set(["a.b.c"]));
    const executionsSeen = (await api.call("GET", "rbac/executions/search?size=200", { token })).json as {
      results: { namespace: string }[];
    };
    expect(
      executionsSeen.results.every((e) => e.namespace === "a.b.c" || e.namespace.startsWith("a.b.")),
    ).toBe(true);
    const namespaces = (await api.call("GET", "rbac/namespaces/search", { token })).json as { id: string }[];
    expect(namespaces.map((n) => n.id).every((id) => id === "a.b" || id.startsWith("a.b."))).toBe(true);
  }, 60_000);
});
