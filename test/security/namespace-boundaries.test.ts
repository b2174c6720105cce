// Namespace boundaries (security issue 17, part 1). An Editor of `company.team` only (403 on
// `finance`'s KV through the API) used to write a flow in `company.team` that read, wrote and
// deleted `finance`'s KV, ran `finance.payroll` as a subflow, fetched its logs, counted and purged
// its executions, read its namespace files and received its outputs through a Flow trigger. Through
// the real server and embedded engine, each of those now fails (or, for the trigger, does not fire)
// with a message naming the setting, until `finance` lists `company.team` in its allowed namespaces.
import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { pollUntil } from "@/worker/embedded/test/harness";
import { MemoryEngine } from "@/worker/memory";
import { openNamespaceAccess } from "@/worker/namespace-access";
import { setUpApi } from "../api/harness";

const api = setUpApi({ runtime: true });

const PAYROLL = `id: payroll
namespace: finance
inputs:
  - { id: amount, type: STRING, defaults: "0" }
tasks:
  - { id: log, type: core.log.Log, message: "MARKER-finance-log paid {{ inputs.amount }}" }
outputs:
  - { id: paid, type: STRING, value: "MARKER-finance-output {{ inputs.amount }}" }
`;

const DENIED = "namespace 'company.team' may not reach 'finance': add it to finance's allowed namespaces";

/** One flow of `company.team` per attack: its task(s) reach into `finance`. */
const ATTACKS: Record<string, string> = {
  kv_get: "- { id: t, type: io.kestra.plugin.core.kv.Get, namespace: finance, key: salary }",
  kv_set: "- { id: t, type: io.kestra.plugin.core.kv.Set, namespace: finance, key: salary, value: hacked }",
  kv_delete: "- { id: t, type: io.kestra.plugin.core.kv.Delete, namespace: finance, key: salary }",
  kv_function: `- { id: t, type: core.debug.Return, format: "{{ kv('salary', namespace='finance') }}" }`,
  subflow: `- id: t
    type: io.kestra.plugin.core.flow.Subflow
    namespace: finance
    flowId: payroll
    inputs: { amount: "1000000" }`,
  log_fetch: `- id: t
    type: io.kestra.plugin.core.log.Fetch
    namespace: finance
    flowId: payroll
    executionId: "{{ inputs.target }}"`,
  count: `- id: t
    type: io.kestra.plugin.core.execution.Count
    namespaces: [finance]
    startDate: "2020-01-01T00:00:00Z"
    expression: "{{ count >= 0 }}"`,
  purge_executions: `- id: t
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: finance
    endDate: "2999-01-01T00:00:00Z"`,
  purge_logs: `- id: t
    type: io.kestra.plugin.core.log.PurgeLogs
    namespace: finance
    endDate: "2999-01-01T00:00:00Z"`,
  namespace_files: `- id: t
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: finance
    files: ["**"]`,
};

const attackFlow = (id: string, task: string) => `id: ${id}
namespace: company.team
inputs:
  - { id: target, type: STRING, defaults: none }
tasks:
  ${task}
`;

const LISTENER = `id: listener
namespace: company.team
tasks:
  - { id: t, type: core.debug.Return, format: "{{ trigger.outputs.paid ?? 'none' }}" }
triggers:
  - id: on_payroll
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: finance
        flowId: payroll
`;

interface ExecutionJson {
  id: string;
  state: { current: string };
  taskRunList: { taskId: string; attempts: { state: string }[] }[];
}

describe("namespace boundaries through the server and the embedded engine", () => {
  it("stop a namespace-scoped Editor's flows from reaching another namespace until it allows them", async () => {
    const { token: admin } = await api.admin("acme", "admin@acme.test");
    const asAdmin = async (method: string, path: string, body?: unknown) => {
      const response = await api.call(method, `acme/${path}`, { token: admin, body });
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
      return response.json as Record<string, unknown>;
    };
    // An Editor of company.team only, as a service account's token.
    const account = await asAdmin("POST", "service-accounts", { name: "team-editor" });
    await asAdmin("POST", "bindings", {
      subjectType: "SERVICE_ACCOUNT",
      subjectId: account.id,
      role: "Editor",
      namespace: "company.team",
    });
    const editor = (await asAdmin("POST", `service-accounts/${account.id}/api-tokens`, { name: "t" }))
      .token as string;
    const asEditor = (method: string, path: string, body?: unknown) =>
      api.call(method, `acme/${path}`, { token: editor, body });

    // finance's data, set up by the admin.
    await asAdmin("PUT", "namespaces/finance/kv/salary", { value: "MARKER-salary" });
    await asAdmin("POST", "flows", PAYROLL);
    const payroll = await asAdmin("POST", "executions/finance/payroll?wait=true");
    expect((payroll.state as { current: string }).current).toBe("SUCCESS");

    // The API already refuses the Editor finance's KV and flows...
    expect((await asEditor("GET", "namespaces/finance/kv/salary")).status).toBe(403);
    expect(
      (await asEditor("PUT", "namespaces/finance/allowed-namespaces", { allowedNamespaces: ["*"] })).status,
    ).toBe(403);
    // ...and now the engine refuses the Editor's flows the same namespace.
    for (const [id, task] of Object.entries(ATTACKS)) {
      const deployed = await asEditor("POST", "flows", attackFlow(id, task));
      expect(deployed.status, deployed.text).toBeLessThan(300);
    }
    expect((await asEditor("POST", "flows", LISTENER)).status).toBeLessThan(300);
    // finance's flow runs again, now that company.team listens to it.
    await asAdmin("POST", "executions/finance/payroll?wait=true");

    const runAsEditor = async (id: string): Promise<{ execution: ExecutionJson; logs: string }> => {
      const response = await asEditor("POST", `executions/company.team/${id}?wait=true&inputs=x`, {
        target: payroll.id,
      });
      const started = response.json as ExecutionJson;
      expect(response.status, response.text).toBeLessThan(300);
      const logs = await asEditor("GET", `logs/${started.id}`);
      return { execution: started, logs: logs.text };
    };

    for (const id of Object.keys(ATTACKS)) {
      const { execution, logs } = await runAsEditor(id);
      expect(execution.state.current, `${id}: ${logs}`).toBe("FAILED");
      expect(logs, id).toContain(DENIED);
      expect(logs, id).not.toContain("MARKER-");
    }
    // finance's data is untouched; its executions and logs are still there.
    expect((await asAdmin("GET", "namespaces/finance/kv/salary")).value).toEqual({ value: "MARKER-salary" });
    expect((await api.call("GET", `acme/logs/${payroll.id}`, { token: admin })).text).toContain(
      "MARKER-finance-log",
    );
    // No child execution of finance.payroll was started by the Subflow.
    const children = await api.query<{ n: number }>(
      "select count(*)::int as n from executions where namespace = 'finance' and flow_id = 'payroll'",
    );
    expect(children[0]?.n).toBe(2);
    // The Flow trigger on finance's executions did not fire.
    const listened = await api.query<{ n: number }>(
      "select count(*)::int as n from executions where namespace = 'company.team' and flow_id = 'listener'",
    );
    expect(listened[0]?.n).toBe(0);

    // finance opens itself to company.team (NAMESPACE:UPDATE on finance, audited): the same flows work.
    const opened = await asAdmin("PUT", "namespaces/finance/allowed-namespaces", {
      allowedNamespaces: ["company.team"],
    });
    expect(opened.allowedNamespaces).toEqual(["company.team"]);
    expect((await asAdmin("GET", "namespaces/finance")).allowedNamespaces).toEqual(["company.team"]);
    const audits = await api.query<{ after: unknown }>(
      "select after from audit_logs where resource_type = 'NAMESPACE' and resource_id = 'finance' and action = 'UPDATE'",
    );
    expect(audits.map((a) => a.after)).toEqual([{ allowedNamespaces: ["company.team"] }]);
    for (const id of ["kv_get", "kv_function", "subflow"]) {
      const { execution, logs } = await runAsEditor(id);
      expect(execution.state.current, `${id}: ${logs}`).toBe("SUCCESS");
    }
    // ...and the Flow trigger fires on finance's next execution (so the 0 above was the boundary).
    // (The subflow run above may fire it too, now that finance is open: look for this execution's.)
    const payrollRun = await asAdmin("POST", "executions/finance/payroll?wait=true");
    const fired = await pollUntil(
      () =>
        api.query<{ n: number }>(
          "select count(*)::int as n from executions where flow_id = 'listener' and trigger->'variables'->>'executionId' = $1",
          [payrollRun.id],
        ),
      (rows) => (rows[0]?.n ?? 0) > 0,
      10_000,
    );
    expect(fired[0]?.n).toBe(1);
    // The same operation through tRPC: refused to the Editor, allowed to the admin.
    const editorTrpc = await api.trpc({ token: editor });
    await expect(
      editorTrpc.namespaces.setAllowedNamespaces({
        tenant: "acme",
        namespace: "finance",
        allowedNamespaces: ["*"],
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const adminTrpc = await api.trpc({ token: admin });
    const viaTrpc = await adminTrpc.namespaces.setAllowedNamespaces({
      tenant: "acme",
      namespace: "finance",
      allowedNamespaces: ["company.team", "company.team"],
    });
    expect(viaTrpc.allowedNamespaces).toEqual(["company.team"]);
    // A tenant setting with an unknown isolation is refused.
    const bad = await api.call("PUT", "acme/settings", {
      token: admin,
      body: { settings: { namespaceIsolation: "x" } },
    });
    expect(bad.status).toBe(400);
  }, 120_000);
});

describe("namespace boundaries in the memory engine (cadenza flow run --engine memory)", () => {
  const flow = (yaml: string) => {
    const { flow: loaded, errors } = loadFlow(yaml, { registry: builtInRegistry() });
    expect(errors).toEqual([]);
    return loaded as NonNullable<typeof loaded>;
  };
  const reader = flow(`id: reader
namespace: company.team
tasks:
  - { id: parent, type: core.debug.Return, format: "{{ kv('shared', namespace='company') }}" }
  - { id: other, type: io.kestra.plugin.core.kv.Get, namespace: finance, key: salary }
`);

  it("applies the default rule: a namespace reaches itself and its ancestors, not a sibling", async () => {
    const engine = new MemoryEngine({ registry: builtInRegistry() });
    await engine.kv.set("company", "shared", "from the parent");
    await engine.kv.set("finance", "salary", "MARKER-salary");
    const done = await engine.wait((await engine.start(reader)).id);
    expect(done.state.current).toBe("FAILED");
    expect(done.taskRunList.find((r) => r.taskId === "parent")?.outputs).toEqual({
      value: "from the parent",
    });
    const other = done.taskRunList.find((r) => r.taskId === "other");
    expect(other?.attempts.at(-1)?.error?.message).toContain(DENIED);
  });

  it("refuses a ForEachItem over another namespace's flow (same path as Subflow)", async () => {
    const payroll = flow(PAYROLL);
    const engine = new MemoryEngine({ registry: builtInRegistry(), flows: [payroll] });
    const uri = await engine.storage.put(
      "kestra:///company/team/items/executions/x/inputs/file/rows.txt",
      "1\n2\n",
    );
    const feeder = flow(`id: feeder
namespace: company.team
inputs:
  - { id: file, type: FILE }
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    namespace: finance
    flowId: payroll
    inputs: { amount: "{{ taskrun.items }}" }
`);
    const done = await engine.wait((await engine.start(feeder, { inputs: { file: uri } })).id);
    expect(done.state.current).toBe("FAILED");
    expect(engine.logs.filter((l) => l.executionId === done.id).map((l) => l.message)).toEqual(
      expect.arrayContaining([expect.stringContaining(DENIED)]),
    );
    expect([...engine.executions.values()].filter((e) => e.namespace === "finance")).toEqual([]);
  });

  it("reaches everything with open isolation", async () => {
    const engine = new MemoryEngine({ registry: builtInRegistry(), namespaceAccess: openNamespaceAccess });
    await engine.kv.set("company", "shared", "from the parent");
    await engine.kv.set("finance", "salary", "MARKER-salary");
    const done = await engine.wait((await engine.start(reader)).id);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.find((r) => r.taskId === "other")?.outputs).toEqual({ value: "MARKER-salary" });
  });
});
