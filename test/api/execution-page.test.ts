// What the execution page asks of the server: the operations this person may do (with the permission a
// disabled one needs), the execution's relatives (previous/next of the same flow, the last success) and
// each task's median duration over the flow's successful executions — all inside the tenant.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const flow = `id: page
namespace: company.team
inputs:
  - id: fail
    type: BOOLEAN
    defaults: false
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: hello
  - id: maybe
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.fail }}"
`;

describe("execution page services", () => {
  it("answers abilities, relatives and medians for the tenant's own executions only", async () => {
    const admin = await api.admin("page", "admin@page.test");
    await api.deploy("page", admin.token, flow);
    const ids: string[] = [];
    for (const fail of ["false", "false", "true"]) {
      const started = await api.call("POST", `page/executions/company.team/page?wait=true`, {
        token: admin.token,
        body: { fail: fail === "true" },
      });
      expect(started.status).toBe(200);
      ids.push((started.json as { id: string }).id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [one, two, failed] = ids as [string, string, string];
    const caller = await api.trpc({ token: admin.token });

    const abilities = await caller.executions.abilities({ tenant: "page", executionId: failed });
    expect(abilities.restart).toEqual({ allowed: true, needs: "needs EXECUTION:UPDATE on company.team" });
    expect(abilities.replay?.needs).toBe("needs EXECUTION:CREATE on company.team");

    const relatives = await caller.executions.relatives({ tenant: "page", executionId: two });
    expect(relatives.previous?.id).toBe(one);
    expect(relatives.next?.id).toBe(failed);
    expect(relatives.children).toEqual([]);
    const ofFailed = await caller.executions.relatives({ tenant: "page", executionId: failed });
    expect(ofFailed.lastSuccess?.id).toBe(two);
    expect(ofFailed.lastSuccess?.taskRuns.map((r) => r.taskId)).toContain("first");

    const medians = await caller.executions.taskMedians({
      tenant: "page",
      namespace: "company.team",
      flowId: "page",
    });
    expect(Object.keys(medians)).toContain("first");
    expect(medians.first).toBeGreaterThanOrEqual(0);

    const evaluated = await api.call("POST", `page/executions/${failed}/eval`, {
      token: admin.token,
      body: "{{ flow.id }}-{{ inputs.fail }}",
      contentType: "text/plain",
    });
    expect(evaluated.status).toBe(200);
    expect(evaluated.json).toEqual({ value: "page-true" });
    const broken = await api.call("POST", `page/executions/${failed}/eval`, {
      token: admin.token,
      body: "{{ nope(",
      contentType: "text/plain",
    });
    expect(broken.status).toBe(200);
    expect((broken.json as { error?: string }).error).toBeTruthy();

    const other = await api.admin("elsewhere", "admin@elsewhere.test");
    const stranger = await api.trpc({ token: other.token });
    await expect(stranger.executions.abilities({ tenant: "elsewhere", executionId: failed })).rejects.toThrow(
      /not found/i,
    );
    const foreign = await api.call("POST", `elsewhere/executions/${failed}/eval`, {
      token: other.token,
      body: "{{ flow.id }}",
      contentType: "text/plain",
    });
    expect(foreign.status).toBe(404);
    await expect(stranger.executions.relatives({ tenant: "page", executionId: failed })).rejects.toThrow();
  });
});

describe("execution files", () => {
  it("downloads and previews the execution's own files, refuses others and other tenants", async () => {
    const admin = await api.admin("files", "admin@files.test");
    await api.deploy(
      "files",
      admin.token,
      `id: files
namespace: company.data
tasks:
  - id: make
    type: io.kestra.plugin.core.storage.LocalFiles
    inputs:
      out.csv: "a,b\\n1,2\\n"
    outputs:
      - out.csv
`,
    );
    const started = await api.call("POST", "files/executions/company.data/files?wait=true", {
      token: admin.token,
      body: {},
    });
    const execution = started.json as {
      id: string;
      taskRunList: { outputs?: { uris?: Record<string, string> } }[];
    };
    const uri = execution.taskRunList[0]?.outputs?.uris?.["out.csv"] as string;
    expect(uri).toMatch(/^kestra:\/\/\/company\/data\/files\/executions\//);

    const file = await api.call(
      "GET",
      `files/executions/${execution.id}/file?path=${encodeURIComponent(uri)}`,
      {
        token: admin.token,
      },
    );
    expect(file.status).toBe(200);
    expect(file.text).toBe("a,b\n1,2\n");
    expect(file.headers.get("content-disposition")).toContain("out.csv");

    const preview = await api.call(
      "GET",
      `files/executions/${execution.id}/file/preview?path=${encodeURIComponent(uri)}`,
      { token: admin.token },
    );
    expect(preview.json).toEqual({
      name: "out.csv",
      extension: "csv",
      type: "TEXT",
      content: "a,b\n1,2\n",
      size: 8,
      truncated: false,
    });

    const outside = await api.call(
      "GET",
      `files/executions/${execution.id}/file?path=${encodeURIComponent("kestra:///company/data/_files/secret.txt")}`,
      { token: admin.token },
    );
    expect(outside.status).toBe(400);
    const climbing = await api.call(
      "GET",
      `files/executions/${execution.id}/file?path=${encodeURIComponent(uri.replace("out.csv", "../../x"))}`,
      { token: admin.token },
    );
    expect(climbing.status).toBe(400);
    const missing = await api.call(
      "GET",
      `files/executions/${execution.id}/file?path=${encodeURIComponent(uri.replace("out.csv", "nope.csv"))}`,
      { token: admin.token },
    );
    expect(missing.status).toBe(404);

    const other = await api.admin("files-other", "admin@files-other.test");
    const foreign = await api.call(
      "GET",
      `files-other/executions/${execution.id}/file?path=${encodeURIComponent(uri)}`,
      { token: other.token },
    );
    expect(foreign.status).toBe(404);
  });
});
