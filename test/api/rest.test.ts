// The REST API's behaviour, in-process: flows from YAML, executions with wait, inputs (JSON and
// multipart with files), logs and their SSE stream, KV, webhooks, errors, and the OpenAPI document.
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/server/rest/openapi";
import { routes } from "@/server/rest/routes";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const HELLO = `id: hello
namespace: company.team
inputs:
  - id: who
    type: STRING
    defaults: world
  - id: file
    type: FILE
    required: false
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"
  - id: out
    type: core.output.OutputValues
    values:
      greeting: "hello {{ inputs.who }}"
      size: "{{ inputs.file is defined ? fileSize(inputs.file) : 0 }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.out.values.greeting }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: s3cr3t-key-0123
    wait: true
    returnOutputs: true
`;

describe("REST API", () => {
  let token = "";

  it("refuses a request without credentials with 401 and a JSON message", async () => {
    token = (await api.admin("acme", "admin@acme.test")).token;
    const response = await api.call("GET", "acme/flows/search");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(response.json).toEqual({ message: expect.stringContaining("Bearer") });
  });

  it("creates a flow from YAML, refuses a duplicate (409) and an invalid one (422, with line and column)", async () => {
    const created = await api.call("POST", "acme/flows", { token, body: HELLO });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      id: "hello",
      namespace: "company.team",
      revision: 1,
      source: HELLO,
    });
    expect((await api.call("POST", "acme/flows", { token, body: HELLO })).status).toBe(409);

    const invalid = await api.call("POST", "acme/flows", {
      token,
      body: "id: broken\nnamespace: company.team\ntasks:\n  - id: t\n    type: core.log.Nope\n",
    });
    expect(invalid.status).toBe(422);
    const body = invalid.json as {
      message: string;
      details: { line: number; column: number; message: string }[];
    };
    expect(body.message).toMatch(/^Invalid flow: line 5, column \d+: /);
    expect(body.details[0]).toMatchObject({ line: 5 });
    expect(invalid.text).not.toMatch(/at \w+ \(|\.ts:\d+/); // no stack trace
  });

  it("validates several documents at once", async () => {
    const response = await api.call("POST", "acme/flows/validate", {
      token,
      body: `${HELLO}---\nid: bad\nnamespace: x\ntasks: []\n`,
    });
    expect(response.status).toBe(200);
    const results = response.json as { valid: boolean; id?: string; errors: unknown[] }[];
    expect(results.map((r) => [r.id, r.valid])).toEqual([
      ["hello", true],
      ["bad", false],
    ]);
  });

  it("updates a flow as a new revision and keeps the old ones", async () => {
    const updated = await api.call("PUT", "acme/flows/company.team/hello", {
      token,
      body: HELLO.replace('hello {{ inputs.who }}"\n  - id: out', 'hi {{ inputs.who }}"\n  - id: out'),
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ revision: 2 });
    const revisions = await api.call("GET", "acme/flows/company.team/hello/revisions", { token });
    expect((revisions.json as { revision: number }[]).map((r) => r.revision)).toEqual([1, 2]);
    const first = await api.call("GET", "acme/flows/company.team/hello?revision=1", { token });
    expect(first.json).toMatchObject({ revision: 1, source: HELLO });
    // Past PostgreSQL's integer: refused as input (schemathesis found the 500 it was), not sent to overflow.
    const huge = await api.call("GET", "acme/flows/company.team/hello?revision=380463159540", { token });
    expect(huge.status).toBe(400);
    expect(huge.json).toMatchObject({ message: expect.stringContaining("revision") });
    const moved = await api.call("PUT", "acme/flows/company.team/other", { token, body: HELLO });
    expect(moved.status).toBe(422);
  });

  it("runs a flow with wait=true and answers with the ended execution and its outputs", async () => {
    const response = await api.call(
      "POST",
      "acme/executions/company.team/hello?wait=true&labels=team:data&labels=env:test",
      {
        token,
        body: { who: "Ada" },
      },
    );
    expect(response.status).toBe(200);
    const execution = response.json as {
      id: string;
      state: { current: string };
      outputs: unknown;
      labels: unknown;
    };
    expect(execution.state.current).toBe("SUCCESS");
    expect(execution.outputs).toEqual({ greeting: "hello Ada" });
    expect(execution.labels).toEqual(
      expect.arrayContaining([
        { key: "team", value: "data" },
        { key: "env", value: "test" },
        // Kestra's system labels: its own id as correlation id, the person who started it.
        { key: "system.correlationId", value: execution.id },
        { key: "system.username", value: "admin@acme.test" },
      ]),
    );
    const correlated = await api.call(
      "POST",
      "acme/executions/company.team/hello?wait=true&labels=system.correlationId:order-42&labels=system.username:mallory",
      { token, body: { who: "Ada" } },
    );
    expect((correlated.json as { labels: unknown }).labels).toEqual(
      expect.arrayContaining([
        { key: "system.correlationId", value: "order-42" },
        { key: "system.username", value: "admin@acme.test" },
      ]),
    );

    const logs = await api.call("GET", `acme/logs/${execution.id}`, { token });
    expect((logs.json as { message: string }[]).map((l) => l.message)).toContain("hi Ada");
    const search = await api.call(
      "GET",
      "acme/executions/search?namespace=company&labels=team:data&state=SUCCESS",
      { token },
    );
    expect((search.json as { results: { id: string }[] }).results.map((e) => e.id)).toEqual([execution.id]);
  });

  it("serves the topology of a flow, of YAML being edited, and of an execution with its runs", async () => {
    type Graph = {
      nodes: { uid: string; kind: string; taskId?: string; runs?: { state: string }[] }[];
      edges: { source: string; target: string; relation: string }[];
    };
    const saved = await api.call("GET", "acme/flows/company.team/hello/graph", { token });
    expect(saved.status).toBe(200);
    const graph = saved.json as Graph;
    expect(graph.nodes.filter((n) => n.kind === "task").map((n) => n.taskId)).toEqual(["say", "out"]);
    expect(graph.nodes.some((n) => n.kind === "trigger" && n.taskId === "hook")).toBe(true);
    expect(graph.edges).toContainEqual({ source: "root.say", target: "root.out", relation: "SEQUENTIAL" });
    expect((await api.call("GET", "acme/flows/company.team/hello/graph?revision=1", { token })).status).toBe(
      200,
    );
    expect((await api.call("GET", "acme/flows/company.team/nope/graph", { token })).status).toBe(404);

    const typed = await api.call("POST", "acme/flows/graph", {
      token,
      body: "id: draft\nnamespace: company.team\ntasks:\n  - { id: only, type: core.log.Log, message: x }\n",
    });
    expect(typed.status).toBe(200);
    expect((typed.json as Graph).nodes.map((n) => n.uid)).toEqual(["root.$start", "root.$end", "root.only"]);
    const broken = await api.call("POST", "acme/flows/graph", {
      token,
      body: "id: draft\nnamespace: company.team\ntasks:\n  - { id: only, type: core.log.Nope }\n",
    });
    expect(broken.status).toBe(422);
    expect((broken.json as { details: { line: number }[] }).details[0]?.line).toBe(4);

    const run = await api.call("POST", "acme/executions/company.team/hello?wait=true", { token, body: {} });
    const id = (run.json as { id: string }).id;
    const ofExecution = await api.call("GET", `acme/executions/${id}/graph`, { token });
    expect(ofExecution.status).toBe(200);
    const say = (ofExecution.json as Graph).nodes.find((n) => n.taskId === "say");
    expect(say?.runs?.map((r) => r.state)).toEqual(["SUCCESS"]);
  });

  it("takes FILE inputs as multipart uploads into internal storage", async () => {
    const form = new FormData();
    form.set("who", "files");
    form.set("file", new Blob(["0123456789"]), "ten.txt");
    const response = await api.call("POST", "acme/executions/company.team/hello?wait=true", {
      token,
      body: form,
    });
    expect(response.status).toBe(200);
    const execution = response.json as {
      inputs: { file: string };
      taskRunList: { taskId: string; outputs: unknown }[];
    };
    expect(execution.inputs.file).toMatch(
      /^kestra:\/\/\/company\/team\/hello\/executions\/.+\/inputs\/file\/ten\.txt$/,
    );
    expect(execution.taskRunList.find((r) => r.taskId === "out")?.outputs).toEqual({
      values: { greeting: "hello files", size: 10 },
    });
  });

  it("refuses inputs that do not fit the flow with 422 naming the input, and creates nothing", async () => {
    const before = await api.query("select count(*)::int as n from executions");
    const response = await api.call("POST", "acme/executions/company.team/hello", {
      token,
      body: { count: "many" },
    });
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ details: [{ input: "count" }] });
    expect(await api.query("select count(*)::int as n from executions")).toEqual(before);
    expect((await api.call("POST", "acme/executions/company.team/nope", { token })).status).toBe(404);
  });

  it("decides the flow's checks: validate reports them, BLOCK refuses with 422, FAIL creates a FAILED execution", async () => {
    const guarded = `id: guarded
namespace: company.team
inputs:
  - id: amount
    type: INT
checks:
  - when: "{{ inputs.amount > 0 }}"
    message: The amount must be positive
    style: ERROR
  - condition: "{{ inputs.amount < 100 }}"
    message: Large amounts are refused by accounting
    style: WARNING
    behavior: FAIL_EXECUTION
tasks:
  - id: pay
    type: io.kestra.plugin.core.log.Log
    message: "paying {{ inputs.amount }}"
`;
    expect((await api.call("POST", "acme/flows", { token, body: guarded })).status).toBe(200);
    const validate = (amount: string) => {
      const form = new FormData();
      form.set("amount", amount);
      return api.call("POST", "acme/executions/company.team/guarded/validate", { token, body: form });
    };
    expect((await validate("5")).json).toMatchObject({ checks: [] });
    expect((await validate("-5")).json).toMatchObject({
      checks: [{ message: "The amount must be positive", style: "ERROR", behavior: "BLOCK_EXECUTION" }],
    });

    const before = await api.query("select count(*)::int as n from executions");
    const blocked = await api.call("POST", "acme/executions/company.team/guarded", {
      token,
      body: { amount: -5 },
    });
    expect(blocked.status).toBe(422);
    expect(blocked.json).toMatchObject({
      message: expect.stringContaining("The amount must be positive"),
      details: [{ message: "The amount must be positive", behavior: "BLOCK_EXECUTION" }],
    });
    expect(await api.query("select count(*)::int as n from executions")).toEqual(before);

    const failed = await api.call("POST", "acme/executions/company.team/guarded?wait=true", {
      token,
      body: { amount: 500 },
    });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ state: { current: "FAILED" }, taskRunList: [] });
    const ok = await api.call("POST", "acme/executions/company.team/guarded?wait=true", {
      token,
      body: { amount: 5 },
    });
    expect(ok.json).toMatchObject({ state: { current: "SUCCESS" } });
  });

  it("streams logs and the execution as Server-Sent Events until it ends", async () => {
    const started = await api.call("POST", "acme/executions/company.team/hello", { token });
    const id = (started.json as { id: string }).id;
    const follow = await api.fetch("GET", `acme/executions/${id}/follow`, { token });
    expect(follow.headers.get("content-type")).toContain("text/event-stream");
    const text = await follow.text();
    expect(text).toContain('"current":"SUCCESS"');
    expect(text).toMatch(/event: end\n/);
    const logs = await (await api.fetch("GET", `acme/logs/${id}/follow`, { token })).text();
    expect(logs).toContain('"message":"hi world"');
    expect(logs).toMatch(/event: end\n/);
  });

  it("triggers a webhook with its key only (wrong key: 404), answering with the outputs when the trigger waits", async () => {
    const hit = await api.call("POST", "acme/executions/webhook/company.team/hello/s3cr3t-key-0123", {
      body: { any: "payload" },
    });
    expect(hit.status).toBe(200);
    expect(hit.json).toEqual({ greeting: "hello world" });
    for (const path of [
      "acme/executions/webhook/company.team/hello/wrong-key",
      "acme/executions/webhook/company.team/nope/s3cr3t-key-0123",
      "nosuchtenant/executions/webhook/company.team/hello/s3cr3t-key-0123",
    ]) {
      const miss = await api.call("POST", path, { body: {} });
      expect(miss.status).toBe(404);
      expect(miss.json).toEqual({ message: "Webhook not found." });
    }
  });

  it("keeps KV entries per namespace with a TTL", async () => {
    expect(
      (await api.call("PUT", "acme/namespaces/company.team/kv/answer", { token, body: { n: 42 } })).status,
    ).toBe(200);
    const plain = await api.call("PUT", "acme/namespaces/company.team/kv/word?ttl=PT1H", {
      token,
      body: "hello",
      contentType: "text/plain",
    });
    expect(plain.json).toMatchObject({ key: "word", type: "STRING", expirationDate: expect.any(String) });
    expect((await api.call("GET", "acme/namespaces/company.team/kv/answer", { token })).json).toEqual({
      type: "JSON",
      value: { n: 42 },
    });
    expect(
      ((await api.call("GET", "acme/namespaces/company.team/kv", { token })).json as { key: string }[]).map(
        (e) => e.key,
      ),
    ).toEqual(["answer", "word"]);
    expect((await api.call("DELETE", "acme/namespaces/company.team/kv/answer", { token })).status).toBe(204);
    expect((await api.call("GET", "acme/namespaces/company.team/kv/answer", { token })).status).toBe(404);
    expect(
      (await api.call("PUT", "acme/namespaces/company.team/kv/x?ttl=soon", { token, body: "1" })).status,
    ).toBe(400);
  });

  it("answers malformed requests with 400, unknown routes with 404 and wrong methods with 405", async () => {
    expect((await api.call("GET", "acme/executions/search?size=100000", { token })).status).toBe(400);
    expect(
      (
        await api.call("POST", "acme/namespaces", {
          token,
          body: "{not json",
          contentType: "application/json",
        })
      ).status,
    ).toBe(400);
    expect((await api.call("GET", "acme/no/such/route", { token })).status).toBe(404);
    expect((await api.call("PATCH", "acme/flows/search", { token })).status).toBe(405);
  });

  it("refuses state changes riding on the session cookie from another site, not those with a token", async () => {
    const { userId } = await api.admin("acme", "admin@acme.test");
    const session = { id: userId, sessionVersion: 0 };
    const foreign = { origin: "https://evil.example" };
    const same = { origin: "http://cadenza.test" };
    const body = { id: "csrf.check" };
    expect((await api.call("POST", "acme/namespaces", { session, body, headers: foreign })).status).toBe(403);
    expect((await api.call("POST", "acme/namespaces", { session, body, headers: same })).status).toBe(201);
    expect((await api.call("GET", "acme/namespaces/csrf.check", { session, headers: foreign })).status).toBe(
      200,
    );
    expect((await api.call("DELETE", "acme/namespaces/csrf.check", { token, headers: foreign })).status).toBe(
      204,
    );
    const { createCaller } = await import("@/server/api/root");
    const { createTRPCContext } = await import("@/server/api/trpc");
    const caller = createCaller(
      await createTRPCContext({
        headers: new Headers(foreign),
        url: "http://cadenza.test/api/trpc/namespaces.create",
        db: api.database.db,
        engine: async () => api.engine,
        session: async () => session,
      }),
    );
    await expect(caller.namespaces.create({ tenant: "acme", namespace: "csrf.two" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await caller.namespaces.list({ tenant: "acme" })).toEqual(expect.any(Array));
  });

  it("serves an OpenAPI 3.1 document covering every route", () => {
    const document = openApiDocument(routes) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe("3.1.0");
    for (const route of routes)
      for (const method of Array.isArray(route.method) ? route.method : [route.method])
        expect(
          document.paths[`/api/v1/{tenant}${route.path}`]?.[method.toLowerCase()],
          `${method} ${route.path}`,
        ).toBeDefined();
    const start = document.paths["/api/v1/{tenant}/executions/{namespace}/{flowId}"]?.post as {
      parameters: { name: string; in: string }[];
    };
    expect(start.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(["path:namespace", "path:flowId", "query:labels", "query:wait"]),
    );
    // Each route of a mutation documents the audit entry its operation declares (the one definition).
    const undocumented = routes.flatMap((route) =>
      route.operation?.kind !== "mutation"
        ? []
        : (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => {
            const entry = document.paths[`/api/v1/{tenant}${route.path}`]?.[method.toLowerCase()] as {
              "x-cadenza-audit"?: unknown;
            };
            const declared = route.operation?.audit;
            return !declared || JSON.stringify(entry["x-cadenza-audit"]) !== JSON.stringify(declared);
          }),
    );
    expect(undocumented).toEqual([]);
    expect(start).toMatchObject({
      "x-cadenza-audit": { resourceType: "EXECUTION", actions: ["CREATE"] },
      description: expect.stringContaining("EXECUTION entry (CREATE)"),
    });
  });
});
