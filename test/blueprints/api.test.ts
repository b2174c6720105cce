// The blueprint API under Kestra's paths: Cadenza's own blueprints (search by text and tags, detail with
// source and topology, tags) and the tenant's own (create, read, update, delete; BLUEPRINT permission;
// invalid flows refused with 422; other tenants see nothing).
import { describe, expect, it } from "vitest";
import { setUpApi } from "../api/harness";

const api = setUpApi();

const FLOW = `id: saved_flow
namespace: team.a
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`;

interface Summary {
  id: string;
  title: string;
  excerpt: string;
  tags: string[];
  includedTasks: string[];
}

describe("blueprints API", () => {
  it("searches Cadenza's blueprints by text and tags, and serves one with its source and graph", async () => {
    const { token } = await api.admin("main", "admin@bp.test");
    const all = await api.call("GET", "main/blueprints/community/search", { token });
    expect(all.status).toBe(200);
    const list = all.json as { results: Summary[]; total: number };
    expect(list.total).toBeGreaterThanOrEqual(40);
    expect(list.results[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        title: expect.any(String),
        excerpt: expect.any(String),
      }),
    );

    const second = (await api.call("GET", "main/blueprints/community/search?page=2&size=10", { token }))
      .json as { results: Summary[]; total: number };
    expect(second.total).toBe(list.total);
    expect(second.results.map((r) => r.id)).toEqual(list.results.slice(10, 20).map((r) => r.id));

    const approval = (await api.call("GET", "main/blueprints/community/search?q=approval", { token }))
      .json as { results: Summary[] };
    expect(approval.results.map((r) => r.id)).toContain("human-approval");
    const found = approval.results.find((r) => r.id === "human-approval");
    expect(found?.includedTasks).toEqual(expect.arrayContaining(["core.flow.Pause", "core.flow.If"]));
    expect(found?.excerpt).not.toContain("`");

    const tagged = (
      await api.call("GET", "main/blueprints/community/search?tags=Errors%20%26%20retries&tags=HTTP", {
        token,
      })
    ).json as { results: Summary[] };
    expect(tagged.results.length).toBeGreaterThan(0);
    for (const r of tagged.results)
      expect(r.tags).toEqual(expect.arrayContaining(["Errors & retries", "HTTP"]));
    const commaTagged = (
      await api.call("GET", "main/blueprints/community/search?tags=Errors%20%26%20retries,HTTP", { token })
    ).json as { results: Summary[] };
    expect(commaTagged.results.map((r) => r.id)).toEqual(tagged.results.map((r) => r.id));

    const detail = await api.call("GET", "main/blueprints/community/human-approval", { token });
    expect(detail.status).toBe(200);
    const body = detail.json as {
      source: string;
      description: string;
      graph: { nodes: { taskId?: string }[]; edges: unknown[] };
      exampleInputs: Record<string, unknown>;
    };
    expect(body.source).toContain("type: io.kestra.plugin.core.flow.Pause");
    expect(body.description).toContain("onResume");
    expect(body.graph.nodes.map((n) => n.taskId)).toEqual(
      expect.arrayContaining(["wait_for_approval", "deploy"]),
    );
    expect(body.graph.edges.length).toBeGreaterThan(3);
    expect(body.exampleInputs).toEqual({ version: "2.0.0" });

    const yaml = await api.call("GET", "main/blueprints/community/human-approval/source", { token });
    expect(yaml.status).toBe(200);
    expect(yaml.text).toBe(body.source);
    const graph = await api.call("GET", "main/blueprints/community/human-approval/graph", { token });
    expect(graph.json).toEqual(body.graph);

    const missing = await api.call("GET", "main/blueprints/community/no-such-thing", { token });
    expect(missing.status).toBe(404);
    expect((missing.json as { message: string }).message).toBe("Blueprint no-such-thing not found.");

    const tags = (await api.call("GET", "main/blueprints/community/tags", { token })).json as {
      name: string;
      count: number;
    }[];
    expect(tags.find((t) => t.name === "HTTP")?.count).toBeGreaterThan(3);
  });

  it("saves, finds, updates and deletes the tenant's own blueprints; a Viewer only reads them", async () => {
    const { token } = await api.admin("team", "admin@team.test");
    const other = await api.admin("elsewhere", "admin@elsewhere.test");

    const invalid = await api.call("POST", "team/blueprints/custom", {
      token,
      body: { title: "Broken", source: "id: x\nnamespace: a\ntasks:\n  - id: t\n    type: nope.Nothing\n" },
    });
    expect(invalid.status).toBe(422);
    expect((invalid.json as { message: string }).message).toContain("Invalid flow");
    expect(await api.query("select * from tenant_blueprints")).toEqual([]);

    const created = await api.call("POST", "team/blueprints/custom", {
      token,
      body: {
        title: "Our deploy gate",
        description: "Pause **before** deploying.",
        tags: ["Ops", " Ops "],
        source: FLOW,
      },
    });
    expect(created.status).toBe(201);
    const saved = created.json as { id: string; tags: string[]; includedTasks: string[]; flowId: string };
    expect(saved.tags).toEqual(["Ops"]);
    expect(saved.flowId).toBe("saved_flow");
    expect(saved.includedTasks).toEqual(["core.flow.Pause", "core.log.Log"]);

    const search = (await api.call("GET", "team/blueprints/custom?q=gate", { token })).json as {
      results: Summary[];
    };
    expect(search.results.map((r) => r.id)).toEqual([saved.id]);
    expect(search.results[0]?.excerpt).toBe("Pause before deploying.");
    expect(((await api.call("GET", "team/blueprints/custom/tags", { token })).json as unknown[]).length).toBe(
      1,
    );

    // Another tenant neither finds it nor reaches it by id.
    const theirs = (await api.call("GET", "elsewhere/blueprints/custom", { token: other.token })).json as {
      total: number;
    };
    expect(theirs.total).toBe(0);
    expect(
      (await api.call("GET", `elsewhere/blueprints/custom/${saved.id}`, { token: other.token })).status,
    ).toBe(404);
    expect(
      (await api.call("DELETE", `elsewhere/blueprints/custom/${saved.id}`, { token: other.token })).status,
    ).toBe(404);

    // A Viewer reads but cannot write.
    const account = (
      await api.call("POST", "team/service-accounts", { token, body: { name: "viewer-robot" } })
    ).json as { id: string };
    await api.call("POST", "team/bindings", {
      token,
      body: { subjectType: "SERVICE_ACCOUNT", subjectId: account.id, role: "Viewer" },
    });
    const viewer = (
      (
        await api.call("POST", `team/service-accounts/${account.id}/api-tokens`, {
          token,
          body: { name: "v" },
        })
      ).json as { token: string }
    ).token;
    expect((await api.call("GET", `team/blueprints/custom/${saved.id}`, { token: viewer })).status).toBe(200);
    const refused = await api.call("PUT", `team/blueprints/custom/${saved.id}`, {
      token: viewer,
      body: { title: "Hijacked", source: FLOW },
    });
    expect(refused.status).toBe(403);

    const updated = await api.call("PUT", `team/blueprints/custom/${saved.id}`, {
      token,
      body: { title: "Deploy gate v2", source: FLOW.replace("message: hi", "message: hello") },
    });
    expect(updated.status).toBe(200);
    const detail = (await api.call("GET", `team/blueprints/custom/${saved.id}`, { token })).json as {
      title: string;
      source: string;
      graph: { nodes: unknown[] };
      createdBy: string;
    };
    expect(detail.title).toBe("Deploy gate v2");
    expect(detail.source).toContain("message: hello");
    expect(detail.graph.nodes.length).toBeGreaterThan(2);
    expect(detail.createdBy).toBe("admin@team.test");

    expect((await api.call("DELETE", `team/blueprints/custom/${saved.id}`, { token })).status).toBe(204);
    expect((await api.call("GET", `team/blueprints/custom/${saved.id}`, { token })).status).toBe(404);
    const audit = await api.query<{ action: string }>(
      "select action from audit_logs where resource_type = 'BLUEPRINT' order by created_at",
    );
    expect(audit.map((a) => a.action)).toEqual(["CREATE", "UPDATE", "DELETE"]);
  });
});
