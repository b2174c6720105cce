// Every mutating REST route writes an audit entry: enumerated from the route table (a new mutating route
// fails this test until it has a recipe here), each called successfully, each leaving at least one new entry
// with the actor, the client address and what changed — and never a secret value or a token.
import { describe, expect, it } from "vitest";
import { methodsOf } from "@/server/rest/route";
import { routes } from "@/server/rest/routes";
import { KESTRA2_ACTIONS } from "@/server/rest/routes/kestra-2";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const FLOW = (id: string, message = "hi") => `id: ${id}
namespace: audit.ns
tasks:
  - id: t
    type: core.log.Log
    message: ${message}
triggers:
  - id: nightly
    type: core.trigger.Schedule
    cron: "0 3 * * *"
  - id: hook
    type: core.trigger.Webhook
    key: audit-webhook-key-1
`;

const SLOW = `id: slow
namespace: audit.ns
tasks:
  - id: sleep
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 3
`;

const PAUSING = `id: pausing
namespace: audit.ns
tasks:
  - id: wait
    type: core.flow.Pause
  - id: after
    type: core.log.Log
    message: resumed
`;

// Concurrency 1 and a Sleep: a second execution started meanwhile waits QUEUED (for unqueue).
const QUEUEING = `id: queueing
namespace: audit.ns
concurrency:
  limit: 1
tasks:
  - id: wait
    type: core.flow.Sleep
    duration: PT20S
`;

describe("audit log", () => {
  it("has an entry for every mutating route, with actor, address and the change", async () => {
    const { token, userId } = await api.admin("audited", "admin@audited.test");
    /** Set while a Kestra 2.0 alias runs its 1.x recipe: the action's path moves under actions/. */
    let rewrite: ((path: string) => string) | undefined;
    const call = async (method: string, path: string, body?: unknown, contentType?: string) => {
      const response = await api.call(method, `audited/${rewrite ? rewrite(path) : path}`, {
        token,
        body,
        headers: { "x-cadenza-client-ip": "203.0.113.9" },
        ...(contentType ? { contentType } : {}),
      });
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
      return response.json as Record<string, string>;
    };
    const id = (value: unknown) => (value as { id: string }).id;
    const count = async () =>
      Number((await api.query<{ n: number }>("select count(*)::int as n from audit_logs"))[0]?.n ?? 0);
    /** The recipe's own step: the audit count is measured around it only (not around its setup). */
    let measured: { before: number; after: number } | undefined;
    const act = async <T>(step: () => Promise<T>): Promise<T> => {
      const before = await count();
      const result = await step();
      measured = { before, after: await count() };
      return result;
    };
    async function waitFor(executionId: string, state: string): Promise<void> {
      for (let i = 0; i < 100; i++) {
        const current = (await call("GET", `executions/${executionId}`)) as unknown as {
          state: { current: string };
        };
        if (current.state.current === state) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`execution ${executionId} never reached ${state}`);
    }
    async function pausedExecution(): Promise<string> {
      const run = id(await call("POST", "executions/audit.ns/pausing"));
      await waitFor(run, "PAUSED");
      return run;
    }
    let seq = 0;
    const fresh = () => `x${++seq}`;

    /** One successful call per mutating route (METHOD path as in the route table). */
    const recipes: Record<string, () => Promise<unknown>> = {
      "POST /flows": () => act(() => call("POST", "flows", FLOW(fresh()))),
      "PUT /flows/{namespace}/{flowId}": async () => {
        const name = fresh();
        await call("POST", "flows", FLOW(name));
        return act(() => call("PUT", `flows/audit.ns/${name}`, FLOW(name, "changed")));
      },
      "DELETE /flows/{namespace}/{flowId}": async () => {
        const name = fresh();
        await call("POST", "flows", FLOW(name));
        return act(() => call("DELETE", `flows/audit.ns/${name}`));
      },
      "POST /flows/validate": () => act(() => call("POST", "flows/validate", FLOW("v"))),
      "POST /flows/graph": () => act(() => call("POST", "flows/graph", FLOW("g"))),
      "POST /executions/{namespace}/{flowId}": () =>
        act(() => call("POST", "executions/audit.ns/base?wait=true")),
      "POST /executions/trigger/{namespace}/{flowId}": () =>
        act(() => call("POST", "executions/trigger/audit.ns/base?wait=true")),
      "DELETE /executions/{executionId}": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true"));
        return act(() => call("DELETE", `executions/${run}`));
      },
      "DELETE /executions/{executionId}/kill": async () => {
        const run = await pausedExecution();
        return act(() => call("DELETE", `executions/${run}/kill`));
      },
      "POST /executions/{executionId}/kill": async () => {
        const run = await pausedExecution();
        return act(() => call("POST", `executions/${run}/kill`));
      },
      "POST /executions/{executionId}/pause": async () => {
        // A paused execution cannot be paused again (409): a running one can. This one runs a while.
        const run = id(await call("POST", "executions/audit.ns/slow"));
        await waitFor(run, "RUNNING");
        return act(() => call("POST", `executions/${run}/pause`));
      },
      "POST /executions/{executionId}/resume": async () => {
        const run = await pausedExecution();
        return act(() => call("POST", `executions/${run}/resume`));
      },
      "POST /executions/{executionId}/restart": async () => {
        const run = id(await call("POST", "executions/audit.ns/failing?wait=true"));
        return act(() => call("POST", `executions/${run}/restart`));
      },
      "POST /executions/{executionId}/state": async () => {
        const failed = (await call("POST", "executions/audit.ns/failing?wait=true")) as unknown as {
          id: string;
          taskRunList: { id: string }[];
        };
        const taskRunId = failed.taskRunList[0]?.id;
        return act(() => call("POST", `executions/${failed.id}/state`, { taskRunId, state: "SUCCESS" }));
      },
      "POST /executions/{executionId}/force-run": async () => {
        const later = new Date(Date.now() + 3_600_000).toISOString();
        const run = id(await call("POST", `executions/audit.ns/base?scheduleDate=${later}`));
        return act(() => call("POST", `executions/${run}/force-run`));
      },
      "POST /executions/{executionId}/unqueue": async () => {
        id(await call("POST", "executions/audit.ns/queueing"));
        const second = id(await call("POST", "executions/audit.ns/queueing"));
        await waitFor(second, "QUEUED");
        return act(() => call("POST", `executions/${second}/unqueue`));
      },
      "POST /executions/{executionId}/change-status": async () => {
        const run = id(await call("POST", "executions/audit.ns/failing?wait=true"));
        return act(() => call("POST", `executions/${run}/change-status?status=SUCCESS`));
      },
      "POST /executions/{executionId}/resume/validate": async () => {
        const run = await pausedExecution();
        return act(() => call("POST", `executions/${run}/resume/validate`, {}));
      },
      "POST /executions/{executionId}/labels": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true&labels=gone:soon"));
        return act(() => call("POST", `executions/${run}/labels`, [{ key: "team", value: "data" }]));
      },
      "POST /executions/{executionId}/eval": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true"));
        return act(() => call("POST", `executions/${run}/eval`, "{{ flow.id }}", "text/plain"));
      },
      "POST /executions/{executionId}/replay": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true"));
        return act(() => call("POST", `executions/${run}/replay`));
      },
      "GET /executions/webhook/{namespace}/{flowId}/{key}": () =>
        act(() => api.call("GET", "audited/executions/webhook/audit.ns/base/audit-webhook-key-1")),
      "POST /executions/webhook/{namespace}/{flowId}/{key}": () =>
        act(() =>
          api.call("POST", "audited/executions/webhook/audit.ns/base/audit-webhook-key-1", {
            body: { a: 1 },
          }),
        ),
      "PUT /executions/webhook/{namespace}/{flowId}/{key}": () =>
        act(() =>
          api.call("PUT", "audited/executions/webhook/audit.ns/base/audit-webhook-key-1", { body: { a: 1 } }),
        ),
      "POST /namespaces": () => act(() => call("POST", "namespaces", { id: `audit.ns.${fresh()}` })),
      "DELETE /namespaces/{namespace}": async () => {
        const ns = `audit.empty${fresh()}`;
        await call("POST", "namespaces", { id: ns });
        return act(() => call("DELETE", `namespaces/${ns}`));
      },
      "PUT /namespaces/{namespace}/allowed-namespaces": () =>
        act(() =>
          call("PUT", "namespaces/audit.ns/allowed-namespaces", { allowedNamespaces: [`x${fresh()}`] }),
        ),
      "PUT /namespaces/{namespace}/kv/{key}": () =>
        act(() => call("PUT", `namespaces/audit.ns/kv/${fresh()}`, { v: 1 })),
      "DELETE /namespaces/{namespace}/kv/{key}": async () => {
        const key = fresh();
        await call("PUT", `namespaces/audit.ns/kv/${key}`, { v: 1 });
        return act(() => call("DELETE", `namespaces/audit.ns/kv/${key}`));
      },
      "PUT /namespaces/{namespace}/secrets/{key}": () =>
        act(() =>
          call("PUT", `namespaces/audit.ns/secrets/S${fresh()}`, { value: "audited-secret-value-123" }),
        ),
      "POST /namespaces/{namespace}/secrets": () =>
        act(() =>
          call("POST", "namespaces/audit.ns/secrets", {
            key: `S${fresh()}`,
            value: "audited-secret-value-123",
          }),
        ),
      "DELETE /namespaces/{namespace}/secrets/{key}": async () => {
        const key = `S${fresh()}`;
        await call("PUT", `namespaces/audit.ns/secrets/${key}`, { value: "audited-secret-value-123" });
        return act(() => call("DELETE", `namespaces/audit.ns/secrets/${key}`));
      },
      "PUT /triggers/{namespace}/{flowId}/{triggerId}": () =>
        act(() => call("PUT", "triggers/audit.ns/base/nightly", { disabled: true })),
      "POST /triggers/{namespace}/{flowId}/{triggerId}/backfill": () =>
        act(() =>
          call("POST", "triggers/audit.ns/base/nightly/backfill", {
            start: "2020-01-01T00:00:00Z",
            end: "2020-01-02T00:00:00Z",
          }),
        ),
      "POST /triggers/{namespace}/{flowId}/{triggerId}/backfill/{action}": async () => {
        await call("POST", "flows", FLOW("backfilled"));
        await call("POST", "triggers/audit.ns/backfilled/nightly/backfill", {
          start: "2020-01-01T00:00:00Z",
          end: "2021-01-01T00:00:00Z",
        });
        return act(() => call("POST", "triggers/audit.ns/backfilled/nightly/backfill/cancel"));
      },
      "POST /triggers/{namespace}/{flowId}/{triggerId}/unlock": () =>
        act(() => call("POST", "triggers/audit.ns/base/nightly/unlock")),
      "POST /executions/restart/by-ids": async () => {
        const run = id(await call("POST", "executions/audit.ns/failing?wait=true"));
        return act(() => call("POST", "executions/restart/by-ids", [run]));
      },
      "POST /executions/restart/by-query": async () => {
        await call("POST", "executions/audit.ns/failing?wait=true&labels=bulk:restart");
        return act(() => call("POST", "executions/restart/by-query?labels=bulk:restart&state=FAILED"));
      },
      "POST /executions/replay/by-ids": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true"));
        return act(() => call("POST", "executions/replay/by-ids", [run]));
      },
      "POST /executions/replay/by-query": async () => {
        await call("POST", "executions/audit.ns/base?wait=true&labels=bulk:replay");
        return act(() => call("POST", "executions/replay/by-query?labels=bulk:replay&flowId=base"));
      },
      "DELETE /executions/kill/by-ids": async () => {
        const run = await pausedExecution();
        return act(() => call("DELETE", "executions/kill/by-ids", [run]));
      },
      "DELETE /executions/kill/by-query": async () => {
        await pausedExecution();
        return act(() => call("DELETE", "executions/kill/by-query?flowId=pausing&state=PAUSED"));
      },
      "POST /executions/resume/by-ids": async () => {
        const run = await pausedExecution();
        return act(() => call("POST", "executions/resume/by-ids", [run]));
      },
      "POST /executions/resume/by-query": async () => {
        await pausedExecution();
        return act(() => call("POST", "executions/resume/by-query?flowId=pausing&state=PAUSED"));
      },
      "POST /executions/force-run/by-ids": async () => {
        const later = new Date(Date.now() + 3_600_000).toISOString();
        const run = id(await call("POST", `executions/audit.ns/base?scheduleDate=${later}`));
        return act(() => call("POST", "executions/force-run/by-ids", [run]));
      },
      "POST /executions/force-run/by-query": async () => {
        const later = new Date(Date.now() + 3_600_000).toISOString();
        await call("POST", `executions/audit.ns/base?scheduleDate=${later}&labels=bulk:force`);
        return act(() => call("POST", "executions/force-run/by-query?labels=bulk:force&state=CREATED"));
      },
      "POST /executions/unqueue/by-ids": async () => {
        id(await call("POST", "executions/audit.ns/queueing"));
        const second = id(await call("POST", "executions/audit.ns/queueing"));
        await waitFor(second, "QUEUED");
        return act(() => call("POST", "executions/unqueue/by-ids", [second]));
      },
      "POST /executions/unqueue/by-query": async () => {
        id(await call("POST", "executions/audit.ns/queueing"));
        const second = id(await call("POST", "executions/audit.ns/queueing"));
        await waitFor(second, "QUEUED");
        return act(() => call("POST", "executions/unqueue/by-query?flowId=queueing&state=QUEUED"));
      },
      "POST /executions/change-status/by-ids": async () => {
        const run = id(await call("POST", "executions/audit.ns/failing?wait=true"));
        return act(() => call("POST", "executions/change-status/by-ids?newStatus=WARNING", [run]));
      },
      "POST /executions/change-status/by-query": async () => {
        await call("POST", "executions/audit.ns/failing?wait=true&labels=bulk:status");
        return act(() =>
          call("POST", "executions/change-status/by-query?labels=bulk:status&newStatus=WARNING"),
        );
      },
      "DELETE /executions/by-ids": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true"));
        return act(() => call("DELETE", "executions/by-ids", [run]));
      },
      "DELETE /executions/by-query": async () => {
        await call("POST", "executions/audit.ns/base?wait=true&labels=bulk:delete");
        return act(() => call("DELETE", "executions/by-query?labels=bulk:delete"));
      },
      "POST /executions/labels/by-ids": async () => {
        const run = id(await call("POST", "executions/audit.ns/base?wait=true"));
        return act(() =>
          call("POST", "executions/labels/by-ids", {
            executionsId: [run],
            executionLabels: [{ key: "team", value: "data" }],
          }),
        );
      },
      "POST /executions/labels/by-query": async () => {
        await call("POST", "executions/audit.ns/base?wait=true&labels=bulk:labels");
        return act(() =>
          call("POST", "executions/labels/by-query?labels=bulk:labels", [{ key: "team", value: "ops" }]),
        );
      },
      "DELETE /users/{userId}": async () => {
        const invitation = await call("POST", "invitations", { role: "Viewer" });
        const { signUp } = await import("@/server/services/account");
        const joined = await signUp(api.database.db, {
          email: `${fresh()}@audited.test`,
          password: "a long password",
          invitationToken: invitation.token,
        });
        if (!joined.created) throw new Error("expected a new account");
        return act(() => call("DELETE", `users/${joined.userId}`));
      },
      "POST /invitations": () =>
        act(() => call("POST", "invitations", { role: "Viewer", email: "someone@audited.test" })),
      "DELETE /invitations/{invitationId}": async () => {
        const invitation = id(await call("POST", "invitations", { role: "Viewer" }));
        return act(() => call("DELETE", `invitations/${invitation}`));
      },
      "POST /groups": () => act(() => call("POST", "groups", { name: `g${fresh()}` })),
      "DELETE /groups/{groupId}": async () => {
        const group = id(await call("POST", "groups", { name: `g${fresh()}` }));
        return act(() => call("DELETE", `groups/${group}`));
      },
      "PUT /groups/{groupId}/members/{userId}": async () => {
        const group = id(await call("POST", "groups", { name: `g${fresh()}` }));
        return act(() => call("PUT", `groups/${group}/members/${userId}`));
      },
      "DELETE /groups/{groupId}/members/{userId}": async () => {
        const group = id(await call("POST", "groups", { name: `g${fresh()}` }));
        await call("PUT", `groups/${group}/members/${userId}`);
        return act(() => call("DELETE", `groups/${group}/members/${userId}`));
      },
      "POST /roles": () =>
        act(() => call("POST", "roles", { name: `r${fresh()}`, permissions: ["FLOW:READ"] })),
      "PUT /roles/{roleId}": async () => {
        const role = id(await call("POST", "roles", { name: `r${fresh()}`, permissions: [] }));
        return act(() => call("PUT", `roles/${role}`, { permissions: ["FLOW:READ"] }));
      },
      "DELETE /roles/{roleId}": async () => {
        const role = id(await call("POST", "roles", { name: `r${fresh()}`, permissions: [] }));
        return act(() => call("DELETE", `roles/${role}`));
      },
      "POST /bindings": async () => {
        const account = id(await call("POST", "service-accounts", { name: `sa${fresh()}` }));
        return act(() =>
          call("POST", "bindings", { subjectType: "SERVICE_ACCOUNT", subjectId: account, role: "Viewer" }),
        );
      },
      "DELETE /bindings/{bindingId}": async () => {
        const account = id(await call("POST", "service-accounts", { name: `sa${fresh()}` }));
        const binding = id(
          await call("POST", "bindings", {
            subjectType: "SERVICE_ACCOUNT",
            subjectId: account,
            role: "Viewer",
          }),
        );
        return act(() => call("DELETE", `bindings/${binding}`));
      },
      "POST /service-accounts": () => act(() => call("POST", "service-accounts", { name: `sa${fresh()}` })),
      "DELETE /service-accounts/{serviceAccountId}": async () => {
        const account = id(await call("POST", "service-accounts", { name: `sa${fresh()}` }));
        return act(() => call("DELETE", `service-accounts/${account}`));
      },
      "POST /service-accounts/{serviceAccountId}/api-tokens": async () => {
        const account = id(await call("POST", "service-accounts", { name: `sa${fresh()}` }));
        return act(() => call("POST", `service-accounts/${account}/api-tokens`, { name: "ci" }));
      },
      "POST /api-tokens": () => act(() => call("POST", "api-tokens", { name: "mine" })),
      "DELETE /api-tokens/{tokenId}": async () => {
        const created = id(await call("POST", "api-tokens", { name: "doomed" }));
        return act(() => call("DELETE", `api-tokens/${created}`));
      },
      "PUT /settings": () => act(() => call("PUT", "settings", { name: `Audited ${fresh()}` })),
      "POST /blueprints/custom": () =>
        act(() => call("POST", "blueprints/custom", { title: "Mine", source: FLOW(fresh()) })),
      "PUT /blueprints/custom/{id}": async () => {
        const created = id(await call("POST", "blueprints/custom", { title: "Mine", source: FLOW(fresh()) }));
        return act(() =>
          call("PUT", `blueprints/custom/${created}`, { title: "Renamed", source: FLOW(fresh()) }),
        );
      },
      "DELETE /blueprints/custom/{id}": async () => {
        const created = id(
          await call("POST", "blueprints/custom", { title: "Doomed", source: FLOW(fresh()) }),
        );
        return act(() => call("DELETE", `blueprints/custom/${created}`));
      },
      "POST /flows/enable/by-ids": async () => {
        const name = fresh();
        await call(
          "POST",
          "flows",
          FLOW(name).replace("namespace: audit.ns", "namespace: audit.bulk\ndisabled: true"),
        );
        return act(() => call("POST", "flows/enable/by-ids", [{ namespace: "audit.bulk", id: name }]));
      },
      "POST /flows/disable/by-ids": async () => {
        const name = fresh();
        await call("POST", "flows", FLOW(name).replace("audit.ns", "audit.bulk"));
        return act(() => call("POST", "flows/disable/by-ids", [{ namespace: "audit.bulk", id: name }]));
      },
      "DELETE /flows/delete/by-ids": async () => {
        const name = fresh();
        await call("POST", "flows", FLOW(name).replace("audit.ns", "audit.bulk"));
        return act(() => call("DELETE", "flows/delete/by-ids", [{ namespace: "audit.bulk", id: name }]));
      },
      "POST /flows/enable/by-query": async () => {
        const ns = `audit.q${fresh()}`;
        await call(
          "POST",
          "flows",
          FLOW("e").replace("namespace: audit.ns", `namespace: ${ns}\ndisabled: true`),
        );
        return act(() => call("POST", `flows/enable/by-query?namespace=${ns}`));
      },
      "POST /flows/disable/by-query": async () => {
        const ns = `audit.q${fresh()}`;
        await call("POST", "flows", FLOW("d").replace("audit.ns", ns));
        return act(() => call("POST", `flows/disable/by-query?namespace=${ns}`));
      },
      "DELETE /flows/delete/by-query": async () => {
        const ns = `audit.q${fresh()}`;
        await call("POST", "flows", FLOW("x").replace("audit.ns", ns));
        return act(() => call("DELETE", `flows/delete/by-query?namespace=${ns}`));
      },
      "POST /flows/export/by-ids": () =>
        act(() => call("POST", "flows/export/by-ids", [{ namespace: "audit.ns", id: "base" }])),
      "POST /flows/import": () => {
        const form = new FormData();
        form.set("fileUpload", new Blob([FLOW(fresh()).replace("audit.ns", "audit.imported")]), "flows.yml");
        return act(() => call("POST", "flows/import", form));
      },
      "POST /executions/{namespace}/{flowId}/validate": () =>
        act(() => call("POST", "executions/audit.ns/base/validate", {})),
      "POST /namespaces/{namespace}/files": () => {
        const form = new FormData();
        form.set("fileContent", new Blob(["print('hi')"]), "a.py");
        return act(() => call("POST", `namespaces/audit.ns/files?path=/${fresh()}.py`, form));
      },
      "POST /namespaces/{namespace}/files/directory": () =>
        act(() => call("POST", `namespaces/audit.ns/files/directory?path=/dir${fresh()}`)),
      "PUT /namespaces/{namespace}/files": async () => {
        const name = fresh();
        await call("POST", `namespaces/audit.ns/files/directory?path=/${name}`);
        return act(() => call("PUT", `namespaces/audit.ns/files?from=/${name}&to=/${name}-moved`));
      },
      "DELETE /namespaces/{namespace}/files": async () => {
        const name = fresh();
        await call("POST", `namespaces/audit.ns/files/directory?path=/${name}`);
        return act(() => call("DELETE", `namespaces/audit.ns/files?path=/${name}`));
      },
    };
    // Kestra 2.0's /executions/{id}/actions/{action}: the 1.x recipe, its action call moved to the new path.
    for (const [legacy, action] of KESTRA2_ACTIONS) {
      for (const method of ["POST", "DELETE"]) {
        const recipe = recipes[`${method} /executions/{executionId}/${legacy}`];
        if (!recipe) continue;
        recipes[`${method} /executions/{executionId}/actions/${action}`] = async () => {
          rewrite = (path) =>
            path.replace(new RegExp(`^(executions/[^/?]+)/${legacy}(?=$|\\?)`), `$1/actions/${action}`);
          try {
            return await recipe();
          } finally {
            rewrite = undefined;
          }
        };
      }
    }
    recipes["POST /executions/{executionId}/actions/eval/{taskRunId}"] = async () => {
      const run = (await call("POST", "executions/audit.ns/base?wait=true")) as unknown as {
        id: string;
        taskRunList: { id: string }[];
      };
      return act(() =>
        call(
          "POST",
          `executions/${run.id}/actions/eval/${run.taskRunList[0]?.id}`,
          "{{ task.id }}",
          "text/plain",
        ),
      );
    };
    recipes["POST /executions/{executionId}/actions/review"] = async () => {
      const run = id(await call("POST", "executions/audit.ns/approving"));
      await waitFor(run, "PAUSED");
      return act(() =>
        call("POST", `executions/${run}/actions/review`, { decision: "APPROVED", comment: "ok" }),
      );
    };
    recipes["POST /expressions/render"] = () =>
      act(() =>
        call("POST", "expressions/render", {
          expressions: ["{{ 1 }}"],
          namespace: "audit.ns",
          flowId: "base",
        }),
      );
    /** Mutating routes that change nothing and so write nothing. */
    const readOnly = new Set([
      "POST /flows/validate",
      "POST /flows/graph",
      "POST /flows/export/by-ids",
      "POST /executions/{namespace}/{flowId}/validate",
      "POST /executions/{executionId}/resume/validate",
      "POST /executions/{executionId}/eval",
      "POST /executions/{executionId}/actions/eval",
      "POST /executions/{executionId}/actions/eval/{taskRunId}",
      "POST /expressions/render",
    ]);

    await call("POST", "flows", FLOW("base"));
    await call("POST", "flows", PAUSING);
    await call(
      "POST",
      "flows",
      "id: approving\nnamespace: audit.ns\ntasks:\n  - id: approval\n    type: core.flow.Approval\n",
    );
    await call("POST", "flows", SLOW);
    await call("POST", "flows", QUEUEING);
    await call(
      "POST",
      "flows",
      FLOW("failing").replace("type: core.log.Log\n    message: hi", "type: core.execution.Fail"),
    );
    for (const route of routes) {
      for (const method of methodsOf(route)) {
        if (method === "GET" && route.auth !== "webhook") continue;
        const key = `${method} ${route.path}`;
        const recipe = recipes[key];
        expect(recipe, `no recipe for the mutating route ${key}: add one`).toBeDefined();
        measured = undefined;
        await recipe?.();
        expect(measured, `${key}: its recipe must run its last step through act()`).toBeDefined();
        const { before, after } = measured as unknown as { before: number; after: number };
        if (readOnly.has(key)) expect(after, key).toBe(before);
        else expect(after, key).toBeGreaterThan(before);
      }
    }

    const entries = await api.query<{
      actor_type: string;
      actor_name: string;
      ip: string;
      resource_type: string;
      action: string;
    }>("select actor_type, actor_name, ip, resource_type, action from audit_logs");
    const kinds = new Set(entries.map((e) => `${e.resource_type}:${e.action}`));
    for (const kind of [
      "FLOW:CREATE",
      "FLOW:UPDATE",
      "FLOW:DELETE",
      "EXECUTION:CREATE",
      "EXECUTION:KILL",
      "EXECUTION:RESUME",
      "EXECUTION:RESTART",
      "EXECUTION:REPLAY",
      "EXECUTION:FORCE_RUN",
      "EXECUTION:UNQUEUE",
      "EXECUTION:CHANGE_STATUS",
      "EXECUTION:DELETE",
      "USER:DELETE",
      "INVITATION:ACCEPT",
      "ROLE:UPDATE",
      "BINDING:CREATE",
      "APITOKEN:DELETE",
      "SECRET:CREATE",
      "SETTING:UPDATE",
      "TRIGGER:BACKFILL",
      "BLUEPRINT:CREATE",
      "BLUEPRINT:UPDATE",
      "BLUEPRINT:DELETE",
      "NAMESPACE_FILE:CREATE",
      "NAMESPACE_FILE:UPDATE",
      "NAMESPACE_FILE:DELETE",
    ])
      expect(kinds.has(kind), kind).toBe(true);
    const byUser = entries.filter((e) => e.actor_type === "USER");
    expect(
      byUser.every((e) => e.actor_name === "admin@audited.test" || e.resource_type === "INVITATION"),
    ).toBe(true);
    expect(byUser.some((e) => e.ip === "203.0.113.9")).toBe(true);
    expect(entries.some((e) => e.actor_type === "WEBHOOK")).toBe(true);

    const dump = JSON.stringify(await api.query("select * from audit_logs"));
    expect(dump).not.toContain("audited-secret-value-123");
    expect(dump).not.toMatch(/cdz_[0-9A-Za-z]{43}/);

    const update = (await call("GET", "auditlogs/search?resourceType=FLOW&action=UPDATE")) as unknown as {
      results: { before: { source: string }; after: { source: string }; changed: string[] }[];
    };
    // The PUT's entry (bulk enable/disable write FLOW:UPDATE entries too).
    const edited = update.results.find((entry) => entry.after.source.includes("message: changed"));
    expect(edited?.before.source).toContain("message: hi");
    expect(edited?.changed).toEqual(expect.arrayContaining(["source"]));
  }, 120_000);
});
