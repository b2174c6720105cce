// The console's procedures: typed KV entries from a form, personal preferences, the namespace tree and a
// namespace's overview, plugin docs — against a real database, through the tRPC caller the UI uses.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

describe("console procedures", () => {
  let token: string;
  let caller: Awaited<ReturnType<typeof api.trpc>>;

  it("sets up a tenant", async () => {
    token = (await api.admin("main", "admin@main.test")).token;
    caller = await api.trpc({ token });
  });

  it("stores each KV type as its value, with description and TTL", async () => {
    const cases: [string, string, unknown][] = [
      ["STRING", " text ", " text "],
      ["NUMBER", "3.5", 3.5],
      ["BOOLEAN", "false", false],
      ["DATETIME", "2026-12-06T10:00:00+01:00", "2026-12-06T09:00:00.000Z"],
      ["DATE", "2026-02-28", "2026-02-28"],
      ["DURATION", "pt1h30m", "PT1H30M"],
      ["JSON", '{"a": [1, 2]}', { a: [1, 2] }],
    ];
    for (const [type, text, value] of cases) {
      await caller.console.kvSet({
        tenant: "main",
        namespace: "company.team",
        key: `k_${type}`,
        type: type as "STRING",
        value: text,
        description: `a ${type}`,
      });
      expect(
        await caller.namespaces.kvGet({ tenant: "main", namespace: "company.team", key: `k_${type}` }),
      ).toEqual({
        type,
        value,
      });
    }
    const before = Date.now();
    const entry = await caller.console.kvSet({
      tenant: "main",
      namespace: "company.team",
      key: "short_lived",
      type: "STRING",
      value: "x",
      ttl: "PT1H",
    });
    const expires = new Date(entry.expirationDate as string).getTime();
    expect(expires - before).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(expires - before).toBeLessThan(3_600_000 + 60_000);
    const listed = await caller.namespaces.kv({ tenant: "main", namespace: "company.team" });
    expect(listed.find((e) => e.key === "k_DATE")).toMatchObject({ type: "DATE", description: "a DATE" });
  });

  it("refuses a value that is not of its type, and writes nothing", async () => {
    const bad: [string, string, RegExp][] = [
      ["NUMBER", "twelve", /NUMBER value must be a number/],
      ["BOOLEAN", "yes", /true or false/],
      ["DATETIME", "2026-12-06 10:00", /ISO-8601 date and time/],
      ["DATE", "2026-02-30", /a date, like/],
      ["DURATION", "1 hour", /ISO-8601 duration/],
      ["JSON", "{a:", /JSON/],
    ];
    for (const [type, text, message] of bad) {
      await expect(
        caller.console.kvSet({
          tenant: "main",
          namespace: "company.team",
          key: "bad",
          type: type as "JSON",
          value: text,
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(message) });
    }
    await expect(
      caller.console.kvSet({
        tenant: "main",
        namespace: "company.team",
        key: "bad",
        type: "STRING",
        value: "x",
        ttl: "soon",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/TTL must be/) });
    const listed = await caller.namespaces.kv({ tenant: "main", namespace: "company.team" });
    expect(listed.map((e) => e.key)).not.toContain("bad");
  });

  it("keeps a person's preferences, validated, with defaults for what is unset or no longer valid", async () => {
    expect(await caller.preferences.get()).toEqual({
      theme: "system",
      timeZone: "browser",
      dateFormat: "iso",
      editorFontSize: 14,
      defaultNamespace: null,
      defaultExecutionTab: "overview",
    });
    const saved = await caller.preferences.update({
      theme: "dark",
      timeZone: "Europe/Paris",
      editorFontSize: 16,
    });
    expect(saved).toMatchObject({
      theme: "dark",
      timeZone: "Europe/Paris",
      editorFontSize: 16,
      dateFormat: "iso",
    });
    await caller.preferences.update({ defaultNamespace: "company.team", defaultExecutionTab: "gantt" });
    expect(await caller.preferences.get()).toMatchObject({
      theme: "dark",
      defaultNamespace: "company.team",
      defaultExecutionTab: "gantt",
    });
    await expect(caller.preferences.update({ timeZone: "Mars/Olympus" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller.preferences.update({ editorFontSize: 99 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await caller.preferences.get()).timeZone).toBe("Europe/Paris");
    // A value stored by an older version that no longer validates reads as its default.
    await api.query(
      `update users set preferences = jsonb_set(preferences, '{dateFormat}', '"klingon"') where email = 'admin@main.test'`,
    );
    expect(await caller.preferences.get()).toMatchObject({ dateFormat: "iso", theme: "dark" });
  });

  it("refuses preferences to a service account", async () => {
    const account = (await api.call("POST", "main/service-accounts", { token, body: { name: "robot" } }))
      .json as {
      id: string;
    };
    const created = (
      await api.call("POST", `main/service-accounts/${account.id}/api-tokens`, { token, body: { name: "t" } })
    ).json as { token: string };
    const robot = await api.trpc({ token: created.token });
    await expect(robot.preferences.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("gives the namespace tree with implied parents, and a namespace's flows and execution counts", async () => {
    await api.deploy(
      "main",
      token,
      `id: hello
namespace: company.team
tasks:
  - id: log
    type: core.log.Log
    message: hi`,
    );
    await caller.namespaces.create({ tenant: "main", namespace: "acme.data.lake", description: "the lake" });
    const tree = await caller.console.namespaceTree({ tenant: "main" });
    expect(tree.map((n) => `${n.id}:${n.stored ? "stored" : "implied"}:${n.flowCount}`)).toEqual([
      "acme:implied:0",
      "acme.data:implied:0",
      "acme.data.lake:stored:0",
      "company:implied:0",
      "company.team:stored:1",
    ]);
    const run = await api.call("POST", "main/executions/company.team/hello?wait=true", { token });
    expect(run.status).toBe(200);
    const overview = await caller.console.namespaceOverview({ tenant: "main", namespace: "company.team" });
    expect(overview.flows.map((f) => f.id)).toEqual(["hello"]);
    expect(overview.executions).toEqual({ SUCCESS: 1 });
    expect(overview.may).toMatchObject({ kv: true, secrets: true, writeKv: true });
  });

  it("lists plugin docs grouped by package and renders one page by any of its names", async () => {
    const plugins = await caller.console.plugins();
    expect(plugins.find((p) => p.type === "core.log.Log")).toMatchObject({ group: "core.log", name: "Log" });
    const doc = await caller.console.pluginDoc({ type: "io.kestra.plugin.core.flow.Subflow" });
    expect(doc.type).toBe("core.flow.Subflow");
    expect(doc.markdown).toContain("## Properties");
    expect(doc.markdown).toContain("## Examples");
    await expect(caller.console.pluginDoc({ type: "nope.Nope" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
