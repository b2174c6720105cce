// Tenant isolation, for EVERY REST route and EVERY tRPC procedure, enumerated from the route table and the
// router (a new route or procedure is covered the day it is added; one whose parameters this file cannot
// fill makes it fail until it can):
//   - no token, a malformed, unknown, expired or revoked token: 401 (UNAUTHORIZED);
//   - an Admin token of tenant B on tenant A's paths: 404 (NOT_FOUND), and nothing of A in the answer;
//   - the same token on B's own paths naming A's ids (execution, token, user, role... ids): no data of A in
//     the answer, and A's rows unchanged afterwards.
// Tenant A is full of things (flows, executions, logs, KV, secrets, members, groups, roles, bindings,
// service accounts, tokens, invitations, audit entries), each carrying a marker string to look for.
import { describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import type { ProcedureMeta } from "@/server/api/trpc";
import { type AnyRoute, methodsOf } from "@/server/rest/route";
import { routes } from "@/server/rest/routes";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const SECRET_VALUE = "MARKER-alpha-secret-value-7f3a";
const FLOW_A = `id: flowa
namespace: a.b
description: MARKER-alpha-flow-description
labels:
  owner: MARKER-alpha-label
tasks:
  - id: log
    type: core.log.Log
    message: "MARKER-alpha-log {{ secret('API_KEY') }}"
triggers:
  - id: hook
    type: core.trigger.Webhook
    key: MARKER-alpha-webhook-key
  - id: nightly
    type: core.trigger.Schedule
    cron: "0 3 * * *"
`;
/** What B sends where a flow is expected: same ids, nothing of A in it. */
const FLOW_B = FLOW_A.replaceAll("MARKER-alpha", "beta-own");

interface World {
  /** bOfBoth: a token made in B by a person who is Admin of A and of B. */
  tokens: { a: string; b: string; aExpired: string; aRevoked: string; bOfBoth: string };
  ids: Record<string, string>;
  /** Strings that belong to tenant A only. */
  markers: string[];
}

async function buildWorld(): Promise<World> {
  const alpha = await api.admin("alpha", "MARKER-alpha-admin@alpha.test");
  const beta = await api.admin("beta", "admin@beta.test");
  await api.admin("alpha", "both@test.test");
  const bOfBoth = (await api.admin("beta", "both@test.test")).token;
  const a = alpha.token;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await api.call(method, `alpha/${path}`, { token: a, body });
    if (response.status >= 300)
      throw new Error(`setup ${method} ${path}: ${response.status} ${response.text}`);
    return response.json as Record<string, unknown>;
  };
  await call("PUT", "namespaces/a.b/secrets/API_KEY", {
    value: SECRET_VALUE,
    description: "MARKER-alpha-secret-description",
  });
  await call("POST", "flows", FLOW_A);
  const execution = await call("POST", "executions/a.b/flowa?wait=true&labels=MARKER-alpha-exec-label:x");
  await call("PUT", "namespaces/a.b/kv/API_KEY", { value: "MARKER-alpha-kv-value" });
  const upload = new FormData();
  upload.set("fileContent", new Blob(["MARKER-alpha-namespace-file"]), "main.py");
  await call("POST", "namespaces/a.b/files?path=/scripts/main.py", upload);
  const group = await call("POST", "groups", { name: "MARKER-alpha-group" });
  const account = await call("POST", "service-accounts", { name: "marker-alpha-robot" });
  const accountToken = await call("POST", `service-accounts/${account.id}/api-tokens`, {
    name: "MARKER-alpha-robot-token",
  });
  const role = await call("POST", "roles", { name: "MARKER-alpha-role", permissions: ["FLOW:READ"] });
  const binding = await call("POST", "bindings", {
    subjectType: "SERVICE_ACCOUNT",
    subjectId: account.id,
    role: role.id,
  });
  const invitation = await call("POST", "invitations", {
    email: "marker-alpha-invitee@alpha.test",
    role: "Viewer",
  });
  await call("PUT", "settings", { name: "MARKER-alpha-tenant-name" });
  const blueprint = await call("POST", "blueprints/custom", {
    title: "MARKER-alpha-blueprint",
    description: "MARKER-alpha-blueprint-description",
    tags: ["MARKER-alpha-tag"],
    source: FLOW_A,
  });
  const expired = await api.token("alpha", "MARKER-alpha-admin@alpha.test", { expiresInMs: 1 });
  const revoked = await api.token("alpha", "MARKER-alpha-admin@alpha.test");
  const revokedRow = (
    await api.query<{ id: string }>("select id from api_tokens where prefix = $1", [revoked.slice(0, 12)])
  )[0];
  await call("DELETE", `api-tokens/${revokedRow?.id}`);
  await new Promise((resolve) => setTimeout(resolve, 5));

  const ids = {
    executionId: execution.id as string,
    taskRunId: (execution.taskRunList as unknown as { id: string }[])[0]?.id as string,
    userId: alpha.userId,
    groupId: group.id as string,
    serviceAccountId: account.id as string,
    tokenId: accountToken.id as string,
    roleId: role.id as string,
    bindingId: binding.id as string,
    invitationId: invitation.id as string,
    tenantId: alpha.tenantId,
    /** {id} of /blueprints/custom/{id} (and of /blueprints/community/{id}, where it finds nothing). */
    id: blueprint.id as string,
  };
  const logs = await api.query<{ message: string }>(
    "select message from log_entries where execution_id = $1",
    [ids.executionId],
  );
  expect(logs.map((l) => l.message)).toContain("MARKER-alpha-log ******");
  return {
    tokens: { a, b: beta.token, aExpired: expired, aRevoked: revoked, bOfBoth },
    ids,
    markers: [
      ...Object.values(ids),
      "MARKER-alpha",
      "marker-alpha",
      SECRET_VALUE,
      (accountToken.prefix as string) ?? "",
      a.slice(0, 12),
    ],
  };
}

/** Every row of tenant A, to prove nothing changed. */
async function snapshotOfA(tenantId: string): Promise<string> {
  const tables = [
    "flows",
    "flow_revisions",
    "executions",
    "task_runs",
    "log_entries",
    "kv_entries",
    "secrets",
    "namespaces",
    "memberships",
    "groups",
    "group_members",
    "service_accounts",
    "roles",
    "bindings",
    "api_tokens",
    "invitations",
    "audit_logs",
    "trigger_states",
    "tenant_blueprints",
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await api.query(`select * from ${table} t where tenant_id = $1 order by 1, 2`, [tenantId]);
    parts.push(`${table}: ${JSON.stringify(rows)}`);
  }
  parts.push(
    JSON.stringify(await api.query("select id, slug, name, settings from tenants where id = $1", [tenantId])),
  );
  return parts.join("\n");
}

function pathFor(route: AnyRoute, values: Record<string, string>, tenant: string): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`isolation test: no sample value for {${name}} (route ${route.path}): add one`);
    return encodeURIComponent(value);
  });
  return `${tenant}${path}`;
}

/** A request body each route accepts (JSON routes need one that validates, so the handler really runs). */
function bodyFor(
  route: AnyRoute,
  method: string,
  ids: Record<string, string>,
): { body?: unknown; contentType?: string } {
  const kind = route.body?.kind;
  if (!kind || method === "GET") return {};
  if (kind === "yaml") return { body: FLOW_B };
  if (kind === "text") return { body: "beta-text", contentType: "text/plain" };
  if (kind === "inputs") return { body: {} };
  if (kind === "upload") {
    const form = new FormData();
    for (const part of Object.keys(route.body?.kind === "upload" ? route.body.parts : {}))
      form.set(part, new Blob(["beta-upload"]), "beta.yml");
    return { body: form };
  }
  const key = `${method} ${route.path}`;
  const samples: Record<string, unknown> = {
    "POST /namespaces": { id: "a.b.beta" },
    "PUT /namespaces/{namespace}/secrets/{key}": { value: "beta-secret-value" },
    "PUT /namespaces/{namespace}/allowed-namespaces": { allowedNamespaces: ["*"] },
    "POST /namespaces/{namespace}/secrets": { key: "API_KEY", value: "beta-secret-value" },
    "PUT /triggers/{namespace}/{flowId}/{triggerId}": { disabled: true },
    "POST /triggers/{namespace}/{flowId}/{triggerId}/backfill": {
      start: "2020-01-01T00:00:00Z",
      end: "2020-01-03T00:00:00Z",
    },
    "POST /executions/restart/by-ids": [ids.executionId],
    "POST /executions/replay/by-ids": [ids.executionId],
    "DELETE /executions/kill/by-ids": [ids.executionId],
    "POST /executions/resume/by-ids": [ids.executionId],
    "DELETE /executions/by-ids": [ids.executionId],
    "POST /executions/force-run/by-ids": [ids.executionId],
    "POST /executions/unqueue/by-ids": [ids.executionId],
    "POST /executions/change-status/by-ids": [ids.executionId],
    "POST /executions/labels/by-ids": {
      executionsId: [ids.executionId],
      executionLabels: [{ key: "beta", value: "beta-own" }],
    },
    "POST /executions/labels/by-query": [{ key: "beta", value: "beta-own" }],
    "POST /executions/{executionId}/labels": [{ key: "beta", value: "beta-own" }],
    "POST /executions/{executionId}/state": { taskRunId: ids.taskRunId, state: "WARNING" },
    "POST /executions/{executionId}/actions/labels": [{ key: "beta", value: "beta-own" }],
    "POST /executions/{executionId}/actions/state": { taskRunId: ids.taskRunId, state: "WARNING" },
    "POST /executions/{executionId}/actions/review": { decision: "APPROVED", comment: "from beta" },
    "POST /expressions/render": {
      expressions: ["{{ flow.description }}", "{{ secret('API_KEY') }}"],
      executionId: ids.executionId,
    },
    "POST /invitations": { role: "Viewer" },
    "POST /groups": { name: "beta-group" },
    "POST /roles": { name: "beta-role", permissions: ["FLOW:READ"] },
    "PUT /roles/{roleId}": { permissions: ["FLOW:READ", "FLOW:UPDATE"] },
    "POST /bindings": { subjectType: "USER", subjectId: ids.userId, role: "Admin" },
    "POST /service-accounts": { name: "beta-robot" },
    "POST /service-accounts/{serviceAccountId}/api-tokens": { name: "beta-token" },
    "POST /api-tokens": { name: "beta-token" },
    "PUT /settings": { name: "Beta" },
    "POST /blueprints/custom": { title: "beta-blueprint", source: FLOW_B },
    "PUT /blueprints/custom/{id}": { title: "beta-blueprint", source: FLOW_B },
    "POST /flows/enable/by-ids": [{ namespace: "a.b", id: "flowa" }],
    "POST /flows/disable/by-ids": [{ namespace: "a.b", id: "flowa" }],
    "DELETE /flows/delete/by-ids": [{ namespace: "a.b", id: "flowa" }],
    "POST /flows/export/by-ids": [{ namespace: "a.b", id: "flowa" }],
  };
  if (!(key in samples)) throw new Error(`isolation test: no sample body for ${key}: add one`);
  return { body: samples[key] };
}

function paramValues(world: World): Record<string, string> {
  return {
    ...world.ids,
    namespace: "a.b",
    flowId: "flowa",
    key: "API_KEY",
    triggerId: "nightly",
    action: "pause",
  };
}

function leaks(text: string, markers: string[], request: string): string[] {
  // Ids the request itself carries may be echoed back ("Execution X not found"): that is no leak.
  return markers.filter((marker) => marker && text.includes(marker) && !request.includes(marker));
}

describe("tenant isolation", () => {
  let world: World;

  it("builds tenant A and tenant B", async () => {
    world = await buildWorld();
    expect(routes.length).toBeGreaterThan(40);
  }, 60_000);

  it("REST: every route refuses missing, malformed, unknown, expired and revoked tokens with 401", async () => {
    const values = paramValues(world);
    const credentials: [string, string | undefined, Record<string, string>?][] = [
      ["no token", undefined],
      ["unknown token", "cdz_0000000000000000000000000000000000000000000"],
      ["malformed token", "not-a-token"],
      ["expired token", world.tokens.aExpired],
      ["revoked token", world.tokens.aRevoked],
      ["basic auth", undefined, { authorization: "Basic YWRtaW46YWRtaW4=" }],
    ];
    let checked = 0;
    for (const route of routes) {
      if (route.auth === "webhook") continue;
      for (const method of methodsOf(route)) {
        const path = pathFor(route, values, "alpha");
        for (const [what, token, headers] of credentials) {
          const response = await api.call(method, path, {
            ...(token ? { token } : {}),
            ...(headers ? { headers } : {}),
            ...bodyFor(route, method, world.ids),
          });
          expect(response.status, `${what}: ${method} ${route.path}`).toBe(401);
          expect(leaks(response.text, world.markers, path), `${what}: ${method} ${route.path}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  }, 60_000);

  it("REST: every route answers 404 with nothing of A to an Admin of B on A's paths", async () => {
    const before = await snapshotOfA(world.ids.tenantId as string);
    const values = paramValues(world);
    for (const route of routes) {
      for (const method of methodsOf(route)) {
        const path = pathFor(
          route,
          route.auth === "webhook" ? { ...values, key: "wrong-key" } : values,
          "alpha",
        );
        const response = await api.call(method, path, {
          token: world.tokens.b,
          ...bodyFor(route, method, world.ids),
        });
        expect(response.status, `${method} ${route.path}`).toBe(404);
        expect(leaks(response.text, world.markers, path), `${method} ${route.path}`).toEqual([]);
      }
    }
    expect(await snapshotOfA(world.ids.tenantId as string)).toEqual(before);
  }, 60_000);

  it("REST: a token belongs to its tenant: made in B by an Admin of both, it gets 404 on every route of A", async () => {
    const values = paramValues(world);
    for (const route of routes) {
      if (route.auth === "webhook") continue;
      for (const method of methodsOf(route)) {
        const path = pathFor(route, values, "alpha");
        const response = await api.call(method, path, {
          token: world.tokens.bOfBoth,
          ...bodyFor(route, method, world.ids),
        });
        expect(response.status, `${method} ${route.path}`).toBe(404);
      }
    }
    const caller = await api.trpc({ token: world.tokens.bOfBoth });
    for (const [path, procedure] of procedures)
      if (procedure._def.meta?.scope === "tenant")
        expect((await invoke(caller, path, input(world, "alpha"))).code, path).toBe("NOT_FOUND");
  }, 60_000);

  it("REST: an Admin of B naming A's ids in B's paths gets nothing of A and changes nothing of A", async () => {
    const before = await snapshotOfA(world.ids.tenantId as string);
    const values = { ...paramValues(world), key: "API_KEY" };
    for (const route of routes) {
      for (const method of methodsOf(route)) {
        const path = pathFor(
          route,
          route.auth === "webhook" ? { ...values, key: "MARKER-alpha-webhook-key" } : values,
          "beta",
        );
        const body = bodyFor(route, method, world.ids);
        const response = await api.call(method, path, { token: world.tokens.b, ...body });
        expect(response.status, `${method} ${route.path}: ${response.text}`).toBeLessThan(500);
        expect(
          leaks(response.text, world.markers, path + JSON.stringify(body.body ?? "")),
          `${method} ${route.path}`,
        ).toEqual([]);
      }
    }
    expect(await snapshotOfA(world.ids.tenantId as string)).toEqual(before);
  }, 60_000);

  // ---------------------------------------------------------------------------------------------- tRPC

  const procedures = Object.entries(
    (
      appRouter as unknown as {
        _def: { procedures: Record<string, { _def: { meta?: ProcedureMeta; type: string } }> };
      }
    )._def.procedures,
  );

  function input(world: World, tenant: string): Record<string, unknown> {
    return {
      ...paramValues(world),
      tenant,
      source: FLOW_B,
      title: "beta-blueprint",
      name: "beta-thing",
      slug: "beta-new-tenant",
      permissions: ["FLOW:READ"],
      role: "Viewer",
      subjectType: "USER",
      subjectId: world.ids.userId,
      value: "beta-value",
      type: "STRING",
      disabled: true,
      member: true,
      operation: "kill",
      ids: [world.ids.executionId],
      filter: {},
      labels: [{ key: "beta", value: "beta-own" }],
      since: new Date("2020-01-01T00:00:00Z"),
      range: "7d",
      timeZone: "UTC",
      action: "pause",
      start: new Date("2020-01-01T00:00:00Z"),
      end: new Date("2020-01-02T00:00:00Z"),
      token: "not-an-invitation-token",
      page: 1,
      size: 25,
      path: "/scripts/main.py",
      from: "/scripts/main.py",
      to: "/scripts/moved.py",
      content: "beta-content",
      flows: [{ namespace: "a.b", id: "flowa" }],
    };
  }

  async function invoke(
    caller: unknown,
    path: string,
    args: unknown,
  ): Promise<{ ok: boolean; code?: string; text: string }> {
    let target = caller as Record<string, unknown>;
    for (const part of path.split(".")) target = target[part] as Record<string, unknown>;
    try {
      const result = await (target as unknown as (input: unknown) => Promise<unknown>)(args);
      return { ok: true, text: JSON.stringify(result ?? null) };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { ok: false, code: e.code, text: `${e.code} ${e.message}` };
    }
  }

  it("tRPC: every procedure declares its scope", () => {
    expect(procedures.length).toBeGreaterThan(40);
    for (const [path, procedure] of procedures)
      expect(["public", "user", "tenant"], path).toContain(procedure._def.meta?.scope);
  });

  it("tRPC: every non-public procedure refuses missing, unknown, expired and revoked tokens", async () => {
    for (const token of [
      undefined,
      "cdz_0000000000000000000000000000000000000000000",
      world.tokens.aExpired,
      world.tokens.aRevoked,
    ]) {
      const caller = await api.trpc(token ? { token } : {});
      for (const [path, procedure] of procedures) {
        if (procedure._def.meta?.scope === "public") continue;
        const result = await invoke(caller, path, input(world, "alpha"));
        expect(result.code, `${path} with ${token ? token.slice(0, 8) : "no token"}`).toBe("UNAUTHORIZED");
      }
    }
  }, 60_000);

  it("tRPC: an Admin of B gets NOT_FOUND on A's tenant from every tenant procedure, and nothing of A anywhere", async () => {
    const before = await snapshotOfA(world.ids.tenantId as string);
    const caller = await api.trpc({ token: world.tokens.b });
    for (const [path, procedure] of procedures) {
      const result = await invoke(caller, path, input(world, "alpha"));
      if (procedure._def.meta?.scope === "tenant") expect(result.code, path).toBe("NOT_FOUND");
      expect(leaks(result.text, world.markers, JSON.stringify(input(world, "alpha"))), path).toEqual([]);
    }
    expect(await snapshotOfA(world.ids.tenantId as string)).toEqual(before);
  }, 60_000);

  it("tRPC: an Admin of B naming A's ids in its own tenant gets nothing of A and changes nothing of A", async () => {
    const before = await snapshotOfA(world.ids.tenantId as string);
    const caller = await api.trpc({ token: world.tokens.b });
    for (const [path] of procedures) {
      const args = input(world, "beta");
      const result = await invoke(caller, path, args);
      expect(result.code, `${path}: ${result.text}`).not.toBe("INTERNAL_SERVER_ERROR");
      expect(leaks(result.text, world.markers, JSON.stringify(args)), path).toEqual([]);
    }
    expect(await snapshotOfA(world.ids.tenantId as string)).toEqual(before);
  }, 60_000);

  it("namespace files: B never reads, lists, moves or deletes A's files, whatever path it names", async () => {
    const tries: [string, string][] = [
      ["GET", "namespaces/a.b/files?path=/scripts/main.py"],
      ["GET", "namespaces/a.b/files/directory?path=/scripts"],
      ["GET", "namespaces/a.b/files/stats?path=/scripts/main.py"],
      ["PUT", "namespaces/a.b/files?from=/scripts/main.py&to=/stolen.py"],
      ["DELETE", "namespaces/a.b/files?path=/scripts/main.py"],
      ["GET", "namespaces/a.b/files?path=/../../alpha/a/b/_files/scripts/main.py"],
    ];
    for (const [method, path] of tries) {
      for (const tenant of ["alpha", "beta"]) {
        const response = await api.call(method, `${tenant}/${path}`, { token: world.tokens.b });
        // On A's tenant: 404 (or 400 for the traversal); on B's own, whatever B has, never A's file.
        if (tenant === "alpha") expect([400, 404], `${method} ${path}`).toContain(response.status);
        expect(response.status, `${method} ${tenant}/${path}`).toBeLessThan(500);
        expect(response.text).not.toContain("MARKER-alpha-namespace-file");
      }
    }
    const own = await api.call("GET", "alpha/namespaces/a.b/files?path=/scripts/main.py", {
      token: world.tokens.a,
    });
    expect(own.status).toBe(200);
    expect(own.text).toBe("MARKER-alpha-namespace-file");
  });

  it("A's own token still works (the checks above refuse B, not everyone)", async () => {
    const response = await api.call("GET", `alpha/executions/${world.ids.executionId}`, {
      token: world.tokens.a,
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain("MARKER-alpha-exec-label");
  });
});
