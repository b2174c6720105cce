// What the flows list and the flow editor ask of the server: search by text, namespace prefix and labels
// with keyset pages (REST `GET /flows/search` and tRPC `flows.search`), each flow's trigger count and last
// execution, the editor's context (names only; may the person save), revisions with their authors, and
// an expression rendered in a past execution's context (secrets refused) — all inside the tenant.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const flow = (namespace: string, id: string, extra = "") => `id: ${id}
namespace: ${namespace}
${extra}tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hi from {{ flow.id }}"
`;

interface SearchPage {
  results: {
    id: string;
    namespace: string;
    labels: { key: string; value: string }[];
    triggerCount: number;
    lastExecution?: { id: string; state: string };
  }[];
  total: number;
  next?: string;
}

describe("flows list and editor services", () => {
  let token = "";
  let userId = "";
  let executionId = "";

  it("searches by labels, namespace prefix and text, with trigger counts", async () => {
    const admin = await api.admin("editor", "admin@editor.test");
    token = admin.token;
    userId = admin.userId;
    const schedules = `triggers:
  - id: a
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 * * * *"
  - id: b
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * *"
`;
    await api.deploy("editor", token, flow("a.b", "one", `labels:\n  team: data\n  env: prod\n${schedules}`));
    await api.deploy("editor", token, flow("a.b", "two", "labels:\n  team: core\n"));
    await api.deploy("editor", token, flow("c", "three"));

    const byLabel = await api.call("GET", "editor/flows/search?labels=team:data", { token });
    expect(byLabel.status).toBe(200);
    const page = byLabel.json as SearchPage;
    expect(page.total).toBe(1);
    expect(page.results[0]).toMatchObject({
      id: "one",
      namespace: "a.b",
      triggerCount: 2,
      labels: [
        { key: "team", value: "data" },
        { key: "env", value: "prod" },
      ],
    });
    const both = (await api.call("GET", "editor/flows/search?labels=team:data&labels=env:prod", { token }))
      .json as SearchPage;
    expect(both.results.map((r) => r.id)).toEqual(["one"]);
    const none = (await api.call("GET", "editor/flows/search?labels=team:data&labels=env:dev", { token }))
      .json as SearchPage;
    expect(none.total).toBe(0);

    const prefix = (await api.call("GET", "editor/flows/search?namespace=a", { token })).json as SearchPage;
    expect(prefix.results.map((r) => `${r.namespace}.${r.id}`)).toEqual(["a.b.one", "a.b.two"]);
    const text = (await api.call("GET", "editor/flows/search?q=THR", { token })).json as SearchPage;
    expect(text.results.map((r) => r.id)).toEqual(["three"]);
  });

  it("pages with a keyset cursor, with and without a labels filter", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await api.call(
        "GET",
        `editor/flows/search?size=1${after ? `&after=${encodeURIComponent(after)}` : ""}`,
        { token },
      );
      const page = response.json as SearchPage;
      expect(page.total).toBe(3);
      seen.push(...page.results.map((r) => `${r.namespace}.${r.id}`));
      after = page.next;
      if (!after) break;
    }
    expect(seen).toEqual(["a.b.one", "a.b.two", "c.three"]);

    const caller = await api.trpc({ token });
    const first = await caller.flows.search({
      tenant: "editor",
      labels: [{ key: "team", value: "core" }],
      size: 1,
    });
    expect(first.results.map((r) => r.id)).toEqual(["two"]);
    expect(first.next).toBeUndefined();

    const bad = await api.call("GET", "editor/flows/search?after=not-a-cursor", { token });
    expect(bad.status).toBe(422);
    expect((bad.json as { message: string }).message).toContain("cursor");
  });

  it("shows each flow's last execution", async () => {
    const run = await api.call("POST", "editor/executions/a.b/two?wait=true", { token, body: {} });
    expect(run.status).toBe(200);
    executionId = (run.json as { id: string }).id;
    const page = (await api.call("GET", "editor/flows/search?namespace=a.b", { token })).json as SearchPage;
    expect(page.results.find((r) => r.id === "two")?.lastExecution).toMatchObject({
      id: executionId,
      state: "SUCCESS",
    });
    expect(page.results.find((r) => r.id === "one")?.lastExecution).toBeUndefined();
  });

  it("renders an expression in a past execution's context, and refuses secrets", async () => {
    const caller = await api.trpc({ token });
    expect(
      await caller.executions.previewExpression({
        tenant: "editor",
        executionId,
        expression: "{{ flow.id }} in {{ flow.namespace }}: {{ outputs | keys | length }}",
      }),
    ).toEqual({ value: "two in a.b: 0" });
    const secret = await caller.executions.previewExpression({
      tenant: "editor",
      executionId,
      expression: "{{ secret('PASSWORD') }}",
    });
    expect(secret.value).toBeUndefined();
    expect(secret.error).toContain("secret");
  });

  it("gives the editor names only, whether the person may save, and revisions with their authors", async () => {
    const kv = await api.call("PUT", "editor/namespaces/a.b/kv/token_url", {
      token,
      body: JSON.stringify("https://example.test"),
      contentType: "application/json",
    });
    expect(kv.status).toBeLessThan(300);
    const caller = await api.trpc({ token });
    const context = await caller.flows.editorContext({ tenant: "editor", namespace: "a.b" });
    expect(context).toMatchObject({ canUpdate: true, canCreate: true, secrets: [], kvKeys: ["token_url"] });
    expect(JSON.stringify(context)).not.toContain("https://example.test");

    await api.call("PUT", "editor/flows/a.b/two", {
      token,
      body: flow("a.b", "two", "labels:\n  team: platform\n"),
    });
    const history = await caller.flows.history({ tenant: "editor", namespace: "a.b", flowId: "two" });
    expect(history.map((r) => r.revision)).toEqual([1, 2]);
    expect(history[1]).toMatchObject({ authorId: userId, author: "admin@editor.test" });
  });

  it("keeps every answer inside the tenant", async () => {
    const other = await api.admin("elsewhere", "admin@elsewhere.test");
    const page = (await api.call("GET", "elsewhere/flows/search", { token: other.token })).json as SearchPage;
    expect(page.total).toBe(0);
    const caller = await api.trpc({ token: other.token });
    await expect(
      caller.executions.previewExpression({ tenant: "elsewhere", executionId, expression: "{{ flow.id }}" }),
    ).rejects.toThrow(/not found/i);
    await expect(
      caller.flows.history({ tenant: "elsewhere", namespace: "a.b", flowId: "two" }),
    ).rejects.toThrow(/not found/i);
    // Its token cannot name the first tenant either.
    await expect(caller.flows.search({ tenant: "editor", size: 10 })).rejects.toThrow();
  });
});
