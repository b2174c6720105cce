// Masking everywhere a value is stored (security issue 17, part 2). Masking used to cover task outputs
// and errors only: a secret rendered into labels (core.execution.Labels, a Subflow's labels), variables
// (SetVariables), ForEach values, task-run values, a KV value (kv.Set) or copied into the audit log was
// stored and served in clear, also base64- or URL-encoded. A flow puts the secret in each of those places
// through the real server and embedded engine (and a state file, text the engine writes to storage);
// then every table of the database (row_to_json) and every
// file of the local storage are dumped, and no form of the secret may appear in them nor in the API's
// answers. And masking fails closed: without the secrets to mask with, nothing is written in clear.
import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { PluginRegistry } from "@/engine/plugin";
import { builtInPlugins } from "@/plugins";
import { createTestDatabase } from "@/test/db";
import { EngineClient } from "@/worker/embedded/api";
import { createEngineContext } from "@/worker/embedded/create-context";
import { createPool, withTransaction } from "@/worker/embedded/db";
import { saveFlowRevision } from "@/worker/embedded/flows-admin";
import { prepareQueue, startEngineRuntime } from "@/worker/embedded/runtime";
import { pollUntil } from "@/worker/embedded/test/harness";
import { MemoryStorage } from "@/worker/storage/memory";
import { dumpDatabase, dumpFiles, encodedForms } from "../api/dump";
import { setUpApi } from "../api/harness";

const api = setUpApi({ runtime: true });

// Spaces, quotes, slashes and `&`: its URL-encoded and JSON-escaped forms differ from it.
const LEAK = 'Pa55 w/"q" & s+x=ZQ-7f3k';

const CHILD = `id: child
namespace: company.team
inputs:
  - { id: given, type: STRING }
tasks:
  - { id: echo, type: core.debug.Return, format: "child got it" }
`;

const FLOW = `id: leak_everywhere
namespace: company.team
tasks:
  - id: labels
    type: io.kestra.plugin.core.execution.Labels
    labels:
      leaked: "{{ secret('LEAK') }}"
      b64: "{{ secret('LEAK') | base64encode }}"
  - id: vars
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      copied: "{{ secret('LEAK') }}"
      url: "{{ secret('LEAK') | urlencode }}"
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["{{ secret('LEAK') }}", "plain"]
    tasks:
      - { id: inner, type: core.debug.Return, format: "value {{ taskrun.value }}" }
  - id: kv
    type: io.kestra.plugin.core.kv.Set
    key: copied
    value: "{{ secret('LEAK') }}"
  - id: kv_b64
    type: io.kestra.plugin.core.kv.Set
    key: copied_b64
    value: "{{ secret('LEAK') | base64encode }}"
  - id: json
    type: core.debug.Return
    format: "{{ {'k': secret('LEAK')} | toJson }}"
  - { id: log, type: core.log.Log, message: "plain {{ secret('LEAK') }} b64 {{ secret('LEAK') | base64encode }}" }
  - id: sub
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
    inputs: { given: "{{ secret('LEAK') }}" }
    labels: { fromparent: "{{ secret('LEAK') }}" }
  - id: state
    type: io.kestra.plugin.core.state.Set
    name: remembered
    data: { pw: "{{ secret('LEAK') }}" }
  - id: fetch
    type: io.kestra.plugin.core.log.Fetch
  - id: fail
    type: core.execution.Fail
    errorMessage: "failed with {{ secret('LEAK') | base64encode }}"
    allowFailure: true
`;

describe("masking everywhere a value is stored", () => {
  it("leaves no form of a rendered secret in any table, storage file or API answer", async () => {
    const { token } = await api.admin("acme", "admin@acme.test");
    const responses: string[] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api.call(method, `acme/${path}`, { token, body });
      responses.push(response.text);
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
      return response;
    };
    await call("PUT", "namespaces/company/secrets/LEAK", { value: LEAK });
    await call("POST", "flows", CHILD);
    await call("POST", "flows", FLOW);
    // An API caller copying the value into a label: the audit entry of the start copies it too.
    const run = await call(
      "POST",
      `executions/company.team/leak_everywhere?wait=true&labels=${encodeURIComponent(`typed:${LEAK}`)}`,
    );
    const execution = run.json as {
      id: string;
      state: { current: string };
      labels: { key: string; value: string }[];
      taskRunList: { taskId: string; value?: string; outputs?: Record<string, unknown> }[];
    };
    expect(execution.state.current).toBe("WARNING");
    // The flow did render the secret (masked where it was stored).
    expect(execution.labels).toEqual(
      expect.arrayContaining([
        { key: "leaked", value: "******" },
        { key: "b64", value: "******" },
        { key: "typed", value: "******" },
      ]),
    );
    expect(execution.taskRunList.filter((r) => r.taskId === "inner").map((r) => r.value)).toEqual([
      "******",
      "plain",
    ]);
    const child = await pollUntil(
      () => api.query<{ id: string }>("select id from executions where flow_id = 'child'"),
      (rows) => rows.length === 1,
      10_000,
    );
    await call("GET", `executions/${execution.id}`);
    await call("GET", `executions/${child[0]?.id}`);
    await call("GET", `executions/search?labels=${encodeURIComponent(`leaked:${LEAK}`)}`);
    await call("GET", "executions/search");
    await call("GET", `logs/${execution.id}`);
    await call("GET", "namespaces/company.team/kv/copied");
    await call("GET", "namespaces/company.team/kv/copied_b64");
    await call("GET", "auditlogs/search");
    expect((await api.call("GET", "acme/namespaces/company.team/kv/copied", { token })).json).toEqual({
      type: "STRING",
      value: "******",
    });

    const forms = encodedForms(LEAK);
    for (const text of responses) for (const form of forms) expect(text).not.toContain(form);
    const dump = await dumpDatabase(api.query);
    expect(dump).toContain("LEAK"); // the secret's row, by name...
    expect(dump).toContain("******"); // ...and the masks...
    for (const form of forms) expect(dump, `the database holds ${form}`).not.toContain(form); // ...never its value
    const files = await dumpFiles(`${api.dataDir}/storage`);
    expect(files).toContain("-- "); // the Fetch task's log file at least
    for (const form of forms) expect(files, `a storage file holds ${form}`).not.toContain(form);
  }, 90_000);
});

describe("masking fails closed", () => {
  it("stores no result of a task whose secrets cannot be loaded: the task fails, saying why", async () => {
    const database = await createTestDatabase();
    const pool = createPool(database.url, 5);
    const registry = new PluginRegistry(builtInPlugins);
    let secretsReachable = true;
    const ctx = createEngineContext({
      pool,
      registry,
      storage: new MemoryStorage(),
      secret: async () => LEAK,
      secretValues: async () => {
        if (!secretsReachable) throw new Error("the secrets' key is gone");
        return [LEAK];
      },
      report: () => {},
    });
    try {
      await prepareQueue(ctx);
      await pool.query("insert into tenants (id, slug, name, updated_at) values ('t', 't', 'T', now())");
      const yaml = `id: unmaskable
namespace: company.team
tasks:
  - { id: out, type: io.kestra.plugin.scripts.shell.Commands, commands: ["echo started"] }
  - { id: ret, type: core.debug.Return, format: "{{ secret('LEAK') }}" }
`;
      const { flow } = loadFlow(yaml, { registry });
      await withTransaction(pool, (c) => saveFlowRevision(c, registry, "t", flow as never, yaml));
      const runtime = await startEngineRuntime(ctx, {
        version: "test",
        concurrency: 2,
        pollIntervalMs: 100,
        scheduler: false,
        heartbeatMs: 500,
        staleAfterMs: 3_000,
        retentionDays: 0,
        shutdownGraceMs: 500,
      });
      const client = new EngineClient(ctx);
      try {
        // The secrets become unreadable while the execution runs (after it started, before its tasks end).
        const started = await client.start("t", "company.team", "unmaskable");
        secretsReachable = false;
        const done = await client.waitForEnd("t", started.id, 20_000);
        expect(done.state.current).toBe("FAILED");
        const failed = done.taskRunList.find((r) => r.state.current === "FAILED");
        expect(failed?.attempts.at(-1)?.error?.message).toContain("secret masking is unavailable");
        const dump = await dumpDatabase(async (sql, params) => (await pool.query(sql, params)).rows as never);
        for (const form of encodedForms(LEAK)) expect(dump).not.toContain(form);
      } finally {
        await client.close();
        await runtime.stop();
      }
    } finally {
      await pool.end();
      await database.drop();
    }
  }, 60_000);
});
