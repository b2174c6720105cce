// The operation table's audit declarations against what the services write: each mutation is run by an
// Admin (so the adapter allows it) with a real input on the embedded PostgreSQL, and a call that succeeds
// must have added an audit entry of the declared resource type with one of the declared actions; one that
// declares `none` needs none. A service that forgets its audit() fails here. Every mutation of the table has
// a sample: a new mutation fails the first test until it has one.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadTenantAccess } from "@/server/access/load-access";
import { resolvePrincipal } from "@/server/auth/principal";
import { type AnyOperation, defineOperation, invoke, operations } from "@/server/operations";
import { createScope, type ServiceScope } from "@/server/services/scope";
import { setUpApi } from "../api/harness";

const api = setUpApi();
const NS = "audit.ops";

const flow = (id: string, namespace = NS) => `id: ${id}
namespace: ${namespace}
tasks:
  - id: log
    type: core.log.Log
    message: hi
`;

const SCHEDULED = (id: string) => `${flow(id)}triggers:
  - id: nightly
    type: core.trigger.Schedule
    cron: "0 3 * * *"
`;

// A Pause holds the execution PAUSED; with concurrency 1, a second one waits QUEUED behind it.
const PAUSING = (id: string, limit = "") => `id: ${id}
namespace: ${NS}
${limit}tasks:
  - id: wait
    type: core.flow.Pause
`;

/** A new flow of concurrency 1 whose executions pause: its second one waits QUEUED. */
async function queueing(run: Context["run"]): Promise<string> {
  const id = unique("queueing");
  await run("flows.create", { source: PAUSING(id, "concurrency:\n  limit: 1\n") });
  return id;
}

const WINDOW = { start: "2026-01-01T00:00:00Z", end: "2026-01-03T00:00:00Z" };

interface Context {
  /** Runs another operation of the table (to make what the sample's call changes). */
  run(name: string, input: unknown): Promise<unknown>;
  /** A new ended execution of flow `f` in NS. */
  execution(): Promise<{ id: string; taskRunId: string }>;
  /** A new execution of flow `flowId` in NS, once it is in `state`. */
  executionIn(flowId: string, state: string, request?: Record<string, unknown>): Promise<string>;
  /** A member who signed up through an invitation. */
  member(): Promise<string>;
  adminUserId: string;
}

type Sample = (ctx: Context) => Promise<Record<string, unknown>> | Record<string, unknown>;

let seq = 0;
const unique = (prefix: string) => `${prefix}${++seq}`;

/** A valid input for each mutation run here, made afresh (creating what a delete or update needs). */
const SAMPLES: Record<string, Sample> = {
  "team.invite": () => ({ email: `${unique("i")}@audit.test`, role: "Viewer" }),
  "team.revokeInvitation": async ({ run }) => ({
    invitationId: (
      (await run("team.invite", { email: `${unique("r")}@audit.test`, role: "Viewer" })) as { id: string }
    ).id,
  }),
  "team.createGroup": () => ({ name: unique("group") }),
  "team.deleteGroup": async ({ run }) => ({
    groupId: ((await run("team.createGroup", { name: unique("group") })) as { id: string }).id,
  }),
  "team.setGroupMember": async ({ run, adminUserId }) => ({
    groupId: ((await run("team.createGroup", { name: unique("group") })) as { id: string }).id,
    userId: adminUserId,
    member: true,
  }),
  "roles.create": () => ({ name: unique("role"), permissions: ["FLOW:READ"] }),
  "roles.update": async ({ run }) => ({
    roleId: ((await run("roles.create", { name: unique("role"), permissions: [] })) as { id: string }).id,
    permissions: ["FLOW:READ"],
  }),
  "roles.delete": async ({ run }) => ({
    roleId: ((await run("roles.create", { name: unique("role"), permissions: [] })) as { id: string }).id,
  }),
  "bindings.create": async ({ run }) => ({
    subjectType: "GROUP",
    subjectId: ((await run("team.createGroup", { name: unique("group") })) as { id: string }).id,
    role: "Viewer",
    namespace: NS,
  }),
  "bindings.delete": async ({ run }) => {
    const group = (await run("team.createGroup", { name: unique("group") })) as { id: string };
    const binding = (await run("bindings.create", {
      subjectType: "GROUP",
      subjectId: group.id,
      role: "Viewer",
    })) as { id: string };
    return { bindingId: binding.id };
  },
  "serviceAccounts.create": () => ({ name: unique("sa") }),
  "serviceAccounts.delete": async ({ run }) => ({
    serviceAccountId: ((await run("serviceAccounts.create", { name: unique("sa") })) as { id: string }).id,
  }),
  "serviceAccounts.createToken": async ({ run }) => ({
    serviceAccountId: ((await run("serviceAccounts.create", { name: unique("sa") })) as { id: string }).id,
    name: unique("token"),
  }),
  "tokens.create": () => ({ name: unique("token") }),
  "tokens.revoke": async ({ run }) => {
    const created = (await run("tokens.create", { name: unique("token") })) as {
      id?: string;
      token?: { id: string };
    };
    return { tokenId: created.id ?? created.token?.id };
  },
  "settings.update": () => ({ name: unique("Tenant ") }),
  "blueprints.create": () => ({ title: unique("bp"), source: flow("bp") }),
  "blueprints.update": async ({ run }) => ({
    id: ((await run("blueprints.create", { title: unique("bp"), source: flow("bp") })) as { id: string }).id,
    title: unique("bp"),
    source: flow("bp"),
  }),
  "blueprints.delete": async ({ run }) => ({
    id: ((await run("blueprints.create", { title: unique("bp"), source: flow("bp") })) as { id: string }).id,
  }),
  "console.kvSet": () => ({ namespace: NS, key: unique("ck"), type: "STRING", value: "v" }),
  "executions.evaluate": async ({ execution }) => ({
    executionId: (await execution()).id,
    expression: "{{ 1 }}",
  }),
  "executionActions.evalTaskRun": async ({ execution }) => {
    const { id, taskRunId } = await execution();
    return { executionId: id, taskRunId, expression: "{{ 1 }}" };
  },
  "executions.start": () => ({ namespace: NS, flowId: "f" }),
  "executions.setLabels": async ({ execution }) => ({
    executionId: (await execution()).id,
    labels: [{ key: "k", value: "v" }],
  }),
  "executions.replay": async ({ execution }) => ({ executionId: (await execution()).id }),
  "executions.delete": async ({ execution }) => ({ executionId: (await execution()).id }),
  "executions.changeStatus": async ({ execution }) => ({
    executionId: (await execution()).id,
    state: "WARNING",
  }),
  "executionActions.changeStatus": async ({ execution }) => ({
    executionId: (await execution()).id,
    status: "WARNING",
  }),
  "executions.changeTaskRunState": async ({ execution }) => {
    const { id, taskRunId } = await execution();
    return { executionId: id, taskRunId, state: "FAILED" };
  },
  "executionActions.bulkByIds": async ({ execution }) => ({
    operation: "labels",
    ids: [(await execution()).id],
    labels: [{ key: "k", value: "v" }],
  }),
  "executionList.bulk": async ({ execution }) => ({
    operation: "labels",
    ids: [(await execution()).id],
    labels: [{ key: "k", value: "v" }],
  }),
  "team.removeMember": async ({ member }) => ({ userId: await member() }),
  "executions.operate": async ({ executionIn }) => ({
    executionId: await executionIn("pausing", "PAUSED"),
    operation: "kill",
  }),
  "executions.review": async ({ run, executionIn }) => {
    const id = unique("approval");
    await run("flows.create", {
      source: `id: ${id}\nnamespace: ${NS}\ntasks:\n  - id: approval\n    type: core.flow.Approval\n`,
    });
    return { executionId: await executionIn(id, "PAUSED"), decision: "APPROVED", comment: "ok" };
  },
  "executions.forceRun": async ({ executionIn }) => ({
    executionId: await executionIn("f", "CREATED", { scheduleDate: later() }),
  }),
  "executionActions.forceRun": async ({ executionIn }) => ({
    executionId: await executionIn("f", "CREATED", { scheduleDate: later() }),
  }),
  "executions.unqueue": async ({ run, executionIn }) => {
    const id = await queueing(run);
    await executionIn(id, "PAUSED");
    return { executionId: await executionIn(id, "QUEUED") };
  },
  "executionActions.unqueue": async ({ run, executionIn }) => {
    const id = await queueing(run);
    await executionIn(id, "PAUSED");
    return { executionId: await executionIn(id, "QUEUED") };
  },
  "executionActions.bulkByQuery": async ({ execution }) => {
    await execution();
    return {
      operation: "labels",
      filter: { namespace: NS, flowId: "f" },
      labels: [{ key: "k", value: "v" }],
    };
  },
  "triggers.setDisabled": () => ({ namespace: NS, flowId: "f", triggerId: "nightly", disabled: true }),
  "triggers.unlock": () => ({ namespace: NS, flowId: "f", triggerId: "nightly" }),
  "triggers.backfill": async ({ run }) => {
    const id = unique("bf");
    await run("flows.create", { source: SCHEDULED(id) });
    return { namespace: NS, flowId: id, triggerId: "nightly", ...WINDOW };
  },
  "triggers.controlBackfill": async ({ run }) => {
    const id = unique("bf");
    await run("flows.create", { source: SCHEDULED(id) });
    await run("triggers.backfill", { namespace: NS, flowId: id, triggerId: "nightly", ...WINDOW });
    return { namespace: NS, flowId: id, triggerId: "nightly", action: "cancel" };
  },
  "flows.create": () => ({ source: flow(unique("c")) }),
  "flows.update": async ({ run }) => {
    const id = unique("u");
    await run("flows.create", { source: flow(id) });
    return { namespace: NS, flowId: id, source: flow(id).replace("hi", "hello") };
  },
  "flows.delete": async ({ run }) => {
    const id = unique("d");
    await run("flows.create", { source: flow(id) });
    return { namespace: NS, flowId: id };
  },
  "flowsBulk.disableByIds": async ({ run }) => {
    const id = unique("b");
    await run("flows.create", { source: flow(id) });
    return { flows: [{ namespace: NS, id }] };
  },
  "flowsBulk.enableByIds": async ({ run }) => {
    const id = unique("b");
    await run("flows.create", { source: flow(id) });
    await run("flowsBulk.disableByIds", { flows: [{ namespace: NS, id }] });
    return { flows: [{ namespace: NS, id }] };
  },
  "flowsBulk.deleteByIds": async ({ run }) => {
    const id = unique("b");
    await run("flows.create", { source: flow(id) });
    return { flows: [{ namespace: NS, id }] };
  },
  "flowsBulk.disableByQuery": async ({ run }) => {
    const namespace = `${NS}.${unique("q")}`;
    await run("flows.create", { source: flow("q", namespace) });
    return { namespace };
  },
  "flowsBulk.enableByQuery": async ({ run }) => {
    const namespace = `${NS}.${unique("q")}`;
    await run("flows.create", { source: flow("q", namespace) });
    await run("flowsBulk.disableByQuery", { namespace });
    return { namespace };
  },
  "flowsBulk.deleteByQuery": async ({ run }) => {
    const namespace = `${NS}.${unique("q")}`;
    await run("flows.create", { source: flow("q", namespace) });
    return { namespace };
  },
  "flowsBulk.importYaml": () => ({ source: flow(unique("y")) }),
  "flowsBulk.import": () => ({ fileName: "f.yml", content: new TextEncoder().encode(flow(unique("m"))) }),
  "namespaceFiles.write": () => ({ namespace: NS, path: `/${unique("w")}.txt`, content: "x" }),
  "namespaceFiles.upload": () => ({ namespace: NS, path: `/${unique("up")}.txt`, content: "x" }),
  "namespaceFiles.mkdir": () => ({ namespace: NS, path: `/${unique("dir")}` }),
  "namespaceFiles.move": async ({ run }) => {
    const from = `/${unique("mv")}.txt`;
    await run("namespaceFiles.write", { namespace: NS, path: from, content: "x" });
    return { namespace: NS, from, to: `/${unique("mv")}.txt` };
  },
  "namespaceFiles.delete": async ({ run }) => {
    const path = `/${unique("rm")}.txt`;
    await run("namespaceFiles.write", { namespace: NS, path, content: "x" });
    return { namespace: NS, path };
  },
  "namespaces.create": () => ({ namespace: `${NS}.${unique("n")}` }),
  "namespaces.delete": async ({ run }) => {
    const namespace = `${NS}.${unique("n")}`;
    await run("namespaces.create", { namespace });
    return { namespace };
  },
  "namespaces.setAllowedNamespaces": () => ({ namespace: NS, allowedNamespaces: ["*"] }),
  "namespaces.kvSet": () => ({ namespace: NS, key: unique("k"), value: "v" }),
  "namespaces.kvDelete": async ({ run }) => {
    const key = unique("k");
    await run("namespaces.kvSet", { namespace: NS, key, value: "v" });
    return { namespace: NS, key };
  },
  "namespaces.secretSet": () => ({ namespace: NS, key: unique("S"), value: "v" }),
  "namespaces.secretDelete": async ({ run }) => {
    const key = unique("S");
    await run("namespaces.secretSet", { namespace: NS, key, value: "v" });
    return { namespace: NS, key };
  },
};

const later = () => new Date(Date.now() + 3_600_000).toISOString();

const mutations = operations.filter((operation) => operation.kind === "mutation");

async function adminScope(): Promise<{ scope: ServiceScope; userId: string; token: string }> {
  const { token, userId } = await api.admin("audits", "admin@audits.test");
  const principal = await resolvePrincipal(api.database.db, {
    authorization: `Bearer ${token}`,
    session: async () => null,
  });
  if (!principal) throw new Error("no principal");
  const access = await loadTenantAccess(api.database.db, principal, "audits");
  await api.deploy("audits", token, SCHEDULED("f"));
  await api.deploy("audits", token, PAUSING("pausing"));
  const scope = createScope({
    db: api.database.db,
    tenant: access.tenant,
    principal: access.principal,
    engine: async () => api.engine,
  });
  return { scope, userId, token };
}

/** A member of `audits` who signed up through an invitation (as test/access/operations-rbac does). */
async function signedUpMember(admin: string): Promise<string> {
  const email = `${unique("m")}@audits.test`;
  const invite = await api.call("POST", "audits/invitations", {
    token: admin,
    body: { role: "Viewer", email },
  });
  expect(invite.status, invite.text).toBe(201);
  const { signUp } = await import("@/server/services/account");
  const user = await signUp(api.database.db, {
    email,
    password: "a long enough password",
    invitationToken: (invite.json as { token: string }).token,
  });
  if (!user.created) throw new Error(`${email} was not signed up`);
  return user.userId;
}

async function auditRows(tenantId: string) {
  return api.database.db.auditLog.findMany({
    where: { tenantId },
    select: { id: true, resourceType: true, action: true },
  });
}

describe("every mutation writes the audit entry it declares", () => {
  it("every mutation of the table is run here", () => {
    const names = mutations.map((operation) => operation.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !(name in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((name) => !names.includes(name))).toEqual([]);
  });

  it("a mutation that does not say what it audits does not compile; a query need not", () => {
    const input = z.object({});
    // @ts-expect-error: `audit` is required of a mutation
    defineOperation({ name: "x.forgot", kind: "mutation", input, permission: "authenticated", run: () => 1 });
    const query = defineOperation({
      name: "x.read",
      kind: "query",
      input,
      permission: "authenticated",
      run: () => 1,
    });
    expect(query.audit).toBeUndefined();
  });

  it("each mutation run by an Admin adds an entry of its declared resource type and action", async () => {
    const { scope, userId, token } = await adminScope();
    const byName = new Map(operations.map((operation) => [operation.name, operation]));
    const run = (name: string, input: unknown) => invoke(byName.get(name) as AnyOperation, scope, input);
    const execution = async () => {
      const started = (await run("executions.start", { namespace: NS, flowId: "f", wait: true })) as {
        id: string;
        taskRunList: { id: string }[];
      };
      return { id: started.id, taskRunId: started.taskRunList[0]?.id as string };
    };
    const executionIn = async (flowId: string, state: string, request: Record<string, unknown> = {}) => {
      const { id } = (await run("executions.start", { namespace: NS, flowId, ...request })) as { id: string };
      for (let i = 0; i < 200; i++) {
        const current = (await run("executions.get", { executionId: id })) as { state: { current: string } };
        if (current.state.current === state) return id;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`execution ${id} of ${flowId} never reached ${state}`);
    };
    const member = () => signedUpMember(token);
    const problems: string[] = [];
    for (const operation of mutations) {
      const sample = SAMPLES[operation.name];
      if (!sample) continue;
      const input = await sample({ run, execution, executionIn, member, adminUserId: userId });
      const seen = new Set((await auditRows(scope.tenant.id)).map((row) => row.id));
      try {
        await invoke(operation, scope, input);
      } catch (error) {
        problems.push(`${operation.name}: failed (${(error as Error).message})`);
        continue;
      }
      const added = (await auditRows(scope.tenant.id)).filter((row) => !seen.has(row.id));
      const declared = operation.audit;
      if (!declared) problems.push(`${operation.name}: no audit declaration`);
      else if (declared.resourceType !== undefined) {
        const match = added.some(
          (row) => row.resourceType === declared.resourceType && declared.actions.includes(row.action),
        );
        if (!match)
          problems.push(
            `${operation.name}: declared ${declared.resourceType} ${declared.actions.join("|")}, wrote ${
              added.map((row) => `${row.resourceType} ${row.action}`).join(", ") || "nothing"
            }`,
          );
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
