// The operation table's audit declarations against what the services write: each mutation is run by an
// Admin (so the adapter allows it) with a real input on the embedded PostgreSQL, and a call that succeeds
// must have added an audit entry of the declared resource type with one of the declared actions; one that
// declares `none` needs none. A service that forgets its audit() fails here. Every mutation is either run
// (SAMPLES) or named in NOT_RUN with why: a new mutation is a decision made here.
import { describe, expect, it } from "vitest";
import { loadTenantAccess } from "@/server/access/load-access";
import { resolvePrincipal } from "@/server/auth/principal";
import { type AnyOperation, invoke, operations } from "@/server/operations";
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

interface Context {
  /** Runs another operation of the table (to make what the sample's call changes). */
  run(name: string, input: unknown): Promise<unknown>;
  /** A new ended execution of flow `f` in NS. */
  execution(): Promise<{ id: string; taskRunId: string }>;
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

/** Mutations not run here, each with why (each is run by the test of its own service, named). */
const NOT_RUN: Record<string, string> = {
  "team.removeMember": "needs a second member signed up (test/api/team)",
  "executions.operate":
    "kill/pause/resume need an execution still running, which the test engine ends at once",
  "executions.forceRun": "needs a CREATED, QUEUED or PAUSED execution",
  "executions.unqueue": "needs a QUEUED execution (a concurrency limit reached)",
  "executionActions.forceRun": "needs a CREATED, QUEUED or PAUSED execution",
  "executionActions.unqueue": "needs a QUEUED execution (a concurrency limit reached)",
  "executionActions.bulkByQuery": "the same bulk service as bulkByIds, over a filter",
  "triggers.setDisabled": "needs a schedule trigger's state, made by the scheduler",
  "triggers.backfill": "needs a schedule trigger's state, made by the scheduler",
  "triggers.controlBackfill": "needs a running backfill",
  "triggers.unlock": "needs a locked trigger",
};

const mutations = operations.filter((operation) => operation.kind === "mutation");

async function adminScope(): Promise<{ scope: ServiceScope; userId: string }> {
  const { token, userId } = await api.admin("audits", "admin@audits.test");
  const principal = await resolvePrincipal(api.database.db, {
    authorization: `Bearer ${token}`,
    session: async () => null,
  });
  if (!principal) throw new Error("no principal");
  const access = await loadTenantAccess(api.database.db, principal, "audits");
  await api.deploy("audits", token, flow("f"));
  const scope = createScope({
    db: api.database.db,
    tenant: access.tenant,
    principal: access.principal,
    engine: async () => api.engine,
  });
  return { scope, userId };
}

async function auditRows(tenantId: string) {
  return api.database.db.auditLog.findMany({
    where: { tenantId },
    select: { id: true, resourceType: true, action: true },
  });
}

describe("every mutation writes the audit entry it declares", () => {
  it("every mutation is run here or named as not run, with why", () => {
    const names = mutations.map((operation) => operation.name);
    expect(names.filter((name) => !(name in SAMPLES) && !(name in NOT_RUN))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((name) => !names.includes(name))).toEqual([]);
    expect(Object.keys(NOT_RUN).filter((name) => !names.includes(name) || name in SAMPLES)).toEqual([]);
  });

  it("each mutation run by an Admin adds an entry of its declared resource type and action", async () => {
    const { scope, userId } = await adminScope();
    const byName = new Map(operations.map((operation) => [operation.name, operation]));
    const run = (name: string, input: unknown) => invoke(byName.get(name) as AnyOperation, scope, input);
    const execution = async () => {
      const started = (await run("executions.start", { namespace: NS, flowId: "f", wait: true })) as {
        id: string;
        taskRunList: { id: string }[];
      };
      return { id: started.id, taskRunId: started.taskRunList[0]?.id as string };
    };
    const problems: string[] = [];
    for (const operation of mutations) {
      const sample = SAMPLES[operation.name];
      if (!sample) continue;
      const input = await sample({ run, execution, adminUserId: userId });
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
