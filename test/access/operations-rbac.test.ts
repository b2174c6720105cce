// The operation table against every built-in role: for each operation, each role bound tenant-wide and on
// namespace `a.b`, the adapter's authorization (namespace resolved from a real input, on the embedded
// PostgreSQL: executions and flows exist) allows exactly what the role promises (./promise.ts) for the
// operation's declared permission — on `a.b.c` (inside the binding) and on `a.x` (outside it).
import { describe, expect, it } from "vitest";
import { loadTenantAccess } from "@/server/access/load-access";
import { BUILT_IN_ROLES, type BuiltInRole } from "@/server/access/permissions";
import { resolvePrincipal } from "@/server/auth/principal";
import { type AnyOperation, authorizeOperation, operations, type PermissionRule } from "@/server/operations";
import { ForbiddenError } from "@/server/services/errors";
import { createScope, type ServiceScope } from "@/server/services/scope";
import { setUpApi } from "../api/harness";
import { NAMESPACED, promised } from "./promise";

const api = setUpApi();
const INSIDE = "a.b.c";
const OUTSIDE = "a.x";

const flow = (namespace: string) => `id: f
namespace: ${namespace}
tasks:
  - id: log
    type: core.log.Log
    message: hi
`;

interface Fixture {
  executions: Record<string, string>;
  scopes: Map<string, ServiceScope>;
}

let fixture: Promise<Fixture> | undefined;

/** Made once, by the first test that needs it. */
function setUp(): Promise<Fixture> {
  fixture ??= makeFixture();
  return fixture;
}

async function makeFixture(): Promise<Fixture> {
  const { token: admin } = await api.admin("ops", "admin@ops.test");
  const executions: Record<string, string> = {};
  for (const namespace of [INSIDE, OUTSIDE]) {
    await api.deploy("ops", admin, flow(namespace));
    const started = await api.call("POST", `ops/executions/${namespace}/f`, { token: admin });
    expect(started.status, started.text).toBe(200);
    executions[namespace] = (started.json as { id: string }).id;
  }
  const scopes = new Map<string, ServiceScope>();
  const { signUp } = await import("@/server/services/account");
  let seq = 0;
  for (const role of BUILT_IN_ROLES)
    for (const binding of [null, "a.b"]) {
      const email = `u${++seq}@ops.test`;
      const invite = await api.call("POST", "ops/invitations", {
        token: admin,
        body: { role, namespace: binding, email },
      });
      expect(invite.status, invite.text).toBe(201);
      await signUp(api.database.db, {
        email,
        password: "a long enough password",
        invitationToken: (invite.json as { token: string }).token,
      });
      const token = await api.token("ops", email);
      const principal = await resolvePrincipal(api.database.db, {
        authorization: `Bearer ${token}`,
        session: async () => null,
      });
      if (!principal) throw new Error("no principal");
      const access = await loadTenantAccess(api.database.db, principal, "ops");
      scopes.set(
        `${role}@${binding ?? "tenant"}`,
        createScope({
          db: api.database.db,
          tenant: access.tenant,
          principal: access.principal,
          engine: async () => api.engine,
        }),
      );
    }
  return { executions, scopes };
}

/** An input that puts the operation on `namespace`: only what its namespace rule reads. */
function inputOn(operation: AnyOperation, namespace: string, executions: Record<string, string>) {
  const input: Record<string, unknown> = {};
  for (const rule of rulesOf(operation)) {
    if (typeof rule.namespace === "string") continue;
    const { from, field } = rule.namespace;
    input[field] =
      from === "input"
        ? namespace
        : from === "execution"
          ? executions[namespace]
          : from === "refs"
            ? [{ namespace, id: "f" }]
            : flow(namespace);
  }
  return input;
}

function rulesOf(operation: AnyOperation): readonly PermissionRule<unknown>[] {
  const rules = operation.permission;
  if (rules === "authenticated") return [];
  return "resource" in rules
    ? [rules as PermissionRule<unknown>]
    : (rules as readonly PermissionRule<unknown>[]);
}

/** What the role promises for the operation, bound tenant-wide or on a.b, on a namespace in or out of a.b. */
function expected(operation: AnyOperation, role: BuiltInRole, binding: "tenant" | "a.b", where: string) {
  return rulesOf(operation).every((rule) => expectedOf(rule, role, binding, where));
}

function expectedOf(
  rule: PermissionRule<unknown>,
  role: BuiltInRole,
  binding: "tenant" | "a.b",
  where: string,
): boolean {
  const actions = typeof rule.action === "string" ? [rule.action] : rule.action;
  const allowed = actions.some((action) => promised(role, rule.resource, action));
  if (binding === "tenant") return allowed;
  if (rule.namespace === "tenant") return false;
  if (!NAMESPACED.has(rule.resource)) return false;
  // `any`: the binding on a.b gives the right somewhere, wherever the input points.
  if (rule.namespace === "any") return allowed;
  return allowed && where === INSIDE;
}

async function outcome(operation: AnyOperation, scope: ServiceScope, input: unknown) {
  try {
    await authorizeOperation(operation, scope, input);
    return "allowed";
  } catch (error) {
    if (error instanceof ForbiddenError) return "refused";
    throw error;
  }
}

describe("every operation × every built-in role × a binding inside and outside", () => {
  it("the table names each operation once", () => {
    const names = operations.map((operation) => operation.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
  });

  it("only these operations leave the check to their service (a new one is a decision made here)", () => {
    // Each is the caller's own (their access, their tokens), or is authorized item by item by its service
    // because a refusal is one line of its result (bulk actions, imports), or needs a right that depends
    // on which context the input names (expression rendering), or says what the caller may do (the
    // editor's context).
    const open = operations.filter((operation) => operation.permission === "authenticated");
    expect(open.map((operation) => operation.name).sort()).toEqual(
      [
        "team.access",
        "tokens.list",
        "tokens.create",
        "tokens.revoke",
        "flows.editorContext",
        "flowsBulk.importYaml",
        "flowsBulk.import",
        "executionList.bulk",
        "executionActions.bulkByIds",
        "executionActions.bulkByQuery",
        "executionActions.renderExpressions",
      ].sort(),
    );
  });

  for (const role of BUILT_IN_ROLES) {
    it(`${role}: tenant-wide and on a.b, each operation allows exactly what the role promises`, async () => {
      const { executions, scopes } = await setUp();
      const mismatches: string[] = [];
      for (const binding of ["tenant", "a.b"] as const) {
        const scope = scopes.get(`${role}@${binding}`) as ServiceScope;
        for (const operation of operations)
          for (const where of [INSIDE, OUTSIDE]) {
            const want = expected(operation, role, binding, where) ? "allowed" : "refused";
            const got = await outcome(operation, scope, inputOn(operation, where, executions));
            if (got !== want)
              mismatches.push(`${operation.name} bound ${binding}, on ${where}: ${got}, expected ${want}`);
          }
      }
      expect(mismatches).toEqual([]);
    }, 120_000);
  }
});
