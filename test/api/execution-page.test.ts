// What the execution page asks of the server: the operations this person may do (with the permission a
// disabled one needs), the execution's relatives (previous/next of the same flow, the last success) and
// each task's median duration over the flow's successful executions — all inside the tenant.
import { describe, expect, it } from "vitest";
import { executionPageView, unpackExecutionPageView } from "@/server/services/execution-view";
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

    // The page's own read: the execution as GET /executions/{id} has it, task runs slim and packed; the
    // full task runs (outputs, attempts' errors) read apart, by task or by id.
    const whole = await caller.executions.get({ tenant: "page", executionId: failed });
    const packed = await caller.executions.page({ tenant: "page", executionId: failed });
    expect(packed).not.toHaveProperty("taskRunList");
    expect(unpackExecutionPageView(packed)).toEqual(executionPageView(whole));
    const runs = (await caller.executions.taskRuns({
      tenant: "page",
      executionId: failed,
      taskId: "maybe",
    })) as {
      id: string;
      taskId: string;
      attempts: { state: { current: string }; error?: { message?: string } }[];
    }[];
    expect(runs.map((r) => r.taskId)).toEqual(["maybe"]);
    expect(runs[0]?.attempts[0]?.state.current).toBe("FAILED");
    const firstRun = (whole.taskRunList as { id: string; taskId: string }[]).find(
      (r) => r.taskId === "first",
    );
    const byId = await caller.executions.taskRuns({
      tenant: "page",
      executionId: failed,
      taskRunIds: [firstRun?.id ?? ""],
    });
    expect(byId).toEqual([(whole.taskRunList as unknown[])[0]]);
    expect(await caller.executions.taskRuns({ tenant: "page", executionId: failed })).toEqual(
      whole.taskRunList,
    );

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
    await expect(stranger.executions.page({ tenant: "elsewhere", executionId: failed })).rejects.toThrow(
      /not found/i,
    );
    await expect(
      stranger.executions.taskRuns({ tenant: "elsewhere", executionId: failed, taskId: "maybe" }),
    ).rejects.toThrow(/not found/i);
  });
});

describe("the page's read of an execution (executions.page)", () => {
  it("is GET's execution with the task runs slim: loop iterations nested, every attempt kept", async () => {
    const admin = await api.admin("view", "admin@view.test");
    await api.deploy(
      "view",
      admin.token,
      `id: loops
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    tasks:
      - id: work
        type: io.kestra.plugin.core.output.OutputValues
        values:
          item: "{{ taskrun.value }}"
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    retry:
      type: constant
      interval: PT0.01S
      maxAttempts: 2
`,
    );
    const started = await api.call("POST", "view/executions/company.team/loops?wait=true", {
      token: admin.token,
    });
    expect(started.status).toBe(200);
    const id = (started.json as { id: string }).id;
    const caller = await api.trpc({ token: admin.token });
    const whole = await caller.executions.get({ tenant: "view", executionId: id });
    const view = unpackExecutionPageView(await caller.executions.page({ tenant: "view", executionId: id }));
    expect(view).toEqual(executionPageView(whole));
    const flaky = view.taskRunList.find((run) => run.taskId === "flaky");
    expect(flaky?.attempts.map((a) => a.state.current)).toEqual(["FAILED", "FAILED"]);
    const each = view.taskRunList.find((run) => run.taskId === "each");
    const works = view.taskRunList.filter((run) => run.taskId === "work");
    expect(works.map((run) => run.value)).toEqual(["a", "b", "c"]);
    expect(works.every((run) => run.parentTaskRunId === each?.id)).toBe(true);
    // The topology's runs per node, from the same task runs.
    const graph = await caller.executions.graph({ tenant: "view", executionId: id });
    const runsOf = (taskId: string) => graph.nodes.find((n) => n.taskId === taskId)?.runs;
    expect(runsOf("work")).toEqual(
      works.map((run, i) => ({ id: run.id, state: "SUCCESS", value: run.value, iteration: i, attempts: 1 })),
    );
    expect(runsOf("flaky")).toEqual([{ id: flaky?.id, state: "FAILED", attempts: 2 }]);
    // Their outputs are read apart, for the runs shown.
    const shown = await caller.executions.taskRuns({
      tenant: "view",
      executionId: id,
      taskRunIds: works.slice(1).map((run) => run.id),
    });
    expect(shown.map((run) => (run.outputs as { values?: { item?: string } }).values?.item)).toEqual([
      "b",
      "c",
    ]);
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

describe("change a task run's state and set labels (POST /executions/{id}/state, /labels)", () => {
  const FAILING = `id: mark
namespace: company.ops
tasks:
  - { id: first, type: io.kestra.plugin.core.log.Log, message: first }
  - { id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: boom }
  - { id: after, type: io.kestra.plugin.core.log.Log, message: after }
`;
  type Run = { id: string; taskId: string; state: { current: string } };
  type Json = {
    id: string;
    state: { current: string };
    taskRunList: Run[];
    labels: { key: string; value: string }[];
  };

  it("marks a failed task SUCCESS (the execution goes on), refuses a Viewer 403, another tenant 404, a running one 409", async () => {
    const admin = await api.admin("mark", "admin@mark.test");
    await api.deploy("mark", admin.token, FAILING);
    const started = await api.call("POST", "mark/executions/company.ops/mark?wait=true", {
      token: admin.token,
      body: {},
    });
    const failed = started.json as Json;
    expect(failed.state.current).toBe("FAILED");
    const boom = failed.taskRunList.find((r) => r.taskId === "boom") as Run;

    // A Viewer may read the execution, not change it.
    const robot = await api.call("POST", "mark/service-accounts", {
      token: admin.token,
      body: { name: "viewer" },
    });
    const robotId = (robot.json as { id: string }).id;
    await api.call("POST", "mark/bindings", {
      token: admin.token,
      body: { subjectType: "SERVICE_ACCOUNT", subjectId: robotId, role: "Viewer" },
    });
    const viewerToken = (
      (
        await api.call("POST", `mark/service-accounts/${robotId}/api-tokens`, {
          token: admin.token,
          body: { name: "t" },
        })
      ).json as { token: string }
    ).token;
    expect((await api.call("GET", `mark/executions/${failed.id}`, { token: viewerToken })).status).toBe(200);
    const refused = await api.call("POST", `mark/executions/${failed.id}/state`, {
      token: viewerToken,
      body: { taskRunId: boom.id, state: "SUCCESS" },
    });
    expect(refused.status).toBe(403);
    const viewerCaller = await api.trpc({ token: viewerToken });
    expect(
      (await viewerCaller.executions.abilities({ tenant: "mark", executionId: failed.id })).changeState,
    ).toEqual({ allowed: false, needs: "needs EXECUTION:UPDATE on company.ops" });
    await expect(
      viewerCaller.executions.setLabels({ tenant: "mark", executionId: failed.id, labels: [] }),
    ).rejects.toThrow(/EXECUTION:UPDATE/);

    const other = await api.admin("mark-other", "admin@mark-other.test");
    const foreign = await api.call("POST", `mark-other/executions/${failed.id}/state`, {
      token: other.token,
      body: { taskRunId: boom.id, state: "SUCCESS" },
    });
    expect(foreign.status).toBe(404);

    const invalid = await api.call("POST", `mark/executions/${failed.id}/state`, {
      token: admin.token,
      body: { taskRunId: boom.id, state: "KILLED" },
    });
    expect(invalid.status).toBe(400);
    const unknownRun = await api.call("POST", `mark/executions/${failed.id}/state`, {
      token: admin.token,
      body: { taskRunId: "nope", state: "SUCCESS" },
    });
    expect(unknownRun.status).toBe(404);

    const marked = await api.call("POST", `mark/executions/${failed.id}/state`, {
      token: admin.token,
      body: { taskRunId: boom.id, state: "SUCCESS" },
    });
    expect(marked.status, marked.text).toBe(200);
    expect((marked.json as Json).id).toBe(failed.id);
    let done = marked.json as Json;
    for (let i = 0; i < 200 && !["SUCCESS", "FAILED"].includes(done.state.current); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = (await api.call("GET", `mark/executions/${failed.id}`, { token: admin.token })).json as Json;
    }
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["first", "SUCCESS"],
      ["boom", "SUCCESS"],
      ["after", "SUCCESS"],
    ]);
    const [entry] = await api.query<{
      action: string;
      before: { taskId: string };
      after: { taskRunState: string };
    }>("select action, before, after from audit_logs where resource_id = $1 and action = 'CHANGE_STATE'", [
      failed.id,
    ]);
    expect(entry).toMatchObject({ before: { taskId: "boom" }, after: { taskRunState: "SUCCESS" } });

    // Not on an execution that has not ended (here: paused by an operator).
    await api.deploy(
      "mark",
      admin.token,
      `id: pausing\nnamespace: company.ops\ntasks:\n  - { id: wait, type: io.kestra.plugin.core.flow.Pause }\n`,
    );
    const pausing = (
      await api.call("POST", "mark/executions/company.ops/pausing", { token: admin.token, body: {} })
    ).json as Json;
    let paused = pausing;
    for (let i = 0; i < 200 && paused.state.current !== "PAUSED"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      paused = (await api.call("GET", `mark/executions/${pausing.id}`, { token: admin.token })).json as Json;
    }
    const running = await api.call("POST", `mark/executions/${pausing.id}/state`, {
      token: admin.token,
      body: { taskRunId: paused.taskRunList[0]?.id, state: "SUCCESS" },
    });
    expect(running.status).toBe(409);
    expect((running.json as { message: string }).message).toMatch(/while the execution is PAUSED/);
  });

  it("labels: one execution's list replaces its labels (one removed), in bulk they are added; system labels stay", async () => {
    const admin = await api.admin("labels", "admin@labels.test");
    await api.deploy("labels", admin.token, FAILING.replace("id: mark", "id: labelled"));
    const started = await api.call(
      "POST",
      "labels/executions/company.ops/labelled?wait=true&labels=team:data&labels=keep:me&labels=system.correlationId:abc",
      { token: admin.token, body: {} },
    );
    const execution = started.json as Json;
    expect(execution.labels).toEqual(
      expect.arrayContaining([
        { key: "team", value: "data" },
        { key: "system.correlationId", value: "abc" },
      ]),
    );
    const set = (body: unknown) =>
      api.call("POST", `labels/executions/${execution.id}/labels`, { token: admin.token, body });
    // A person started it: the server added system.username, which the editor also sends back as shown.
    // The editor sends what it shows, less the removed label: `keep` is removed, `team` changed, `new` added.
    const replaced = await set([
      { key: "team", value: "ops" },
      { key: "new", value: "x" },
      { key: "system.correlationId", value: "abc" },
      { key: "system.username", value: "admin@labels.test" },
    ]);
    expect(replaced.status, replaced.text).toBe(200);
    const sorted = (labels: { key: string; value: string }[]) =>
      [...labels].sort((a, b) => a.key.localeCompare(b.key));
    const expected = [
      { key: "new", value: "x" },
      { key: "system.correlationId", value: "abc" },
      { key: "system.username", value: "admin@labels.test" },
      { key: "team", value: "ops" },
    ];
    expect(sorted((replaced.json as Json).labels)).toEqual(expected);
    const stored = (await api.call("GET", `labels/executions/${execution.id}`, { token: admin.token }))
      .json as Json;
    expect(sorted(stored.labels)).toEqual(expected);
    // Leaving the system label out does not remove it; changing it is refused.
    expect(sorted(((await set([{ key: "team", value: "ops" }])).json as Json).labels)).toEqual([
      { key: "system.correlationId", value: "abc" },
      { key: "system.username", value: "admin@labels.test" },
      { key: "team", value: "ops" },
    ]);
    const system = await set([{ key: "system.correlationId", value: "forged" }]);
    expect(system.status).toBe(422);
    expect(
      (
        await set([
          { key: "a", value: "1" },
          { key: "a", value: "2" },
        ])
      ).status,
    ).toBe(422);

    // Bulk adds and overrides, keeping the others (Kestra since PR #9941).
    const bulk = await api.call("POST", "labels/executions/labels/by-ids", {
      token: admin.token,
      body: { executionsId: [execution.id], executionLabels: [{ key: "extra", value: "y" }] },
    });
    expect(bulk.status).toBe(200);
    const after = (await api.call("GET", `labels/executions/${execution.id}`, { token: admin.token }))
      .json as Json;
    expect(sorted(after.labels)).toEqual([
      { key: "extra", value: "y" },
      { key: "system.correlationId", value: "abc" },
      { key: "system.username", value: "admin@labels.test" },
      { key: "team", value: "ops" },
    ]);

    const other = await api.admin("labels-other", "admin@labels-other.test");
    const foreign = await api.call("POST", `labels-other/executions/${execution.id}/labels`, {
      token: other.token,
      body: [],
    });
    expect(foreign.status).toBe(404);
  });

  it("changes an ended execution's status and refuses force-run and unqueue on it; a Viewer may do none", async () => {
    const admin = await api.admin("status", "admin@status.test");
    await api.deploy("status", admin.token, flow);
    const started = await api.call("POST", "status/executions/company.team/page?wait=true", {
      token: admin.token,
      body: { fail: true },
    });
    const failed = (started.json as { id: string; state: { current: string } }).id;
    expect((started.json as { state: { current: string } }).state.current).toBe("FAILED");
    const caller = await api.trpc({ token: admin.token });
    const abilities = await caller.executions.abilities({ tenant: "status", executionId: failed });
    for (const action of ["forceRun", "unqueue", "changeStatus"])
      expect(abilities[action]).toEqual({ allowed: true, needs: "needs EXECUTION:UPDATE on company.team" });

    await expect(caller.executions.forceRun({ tenant: "status", executionId: failed })).rejects.toThrow(
      /has ended/,
    );
    await expect(caller.executions.unqueue({ tenant: "status", executionId: failed })).rejects.toThrow(
      /only a QUEUED execution/,
    );

    // A Viewer (a service account bound as Viewer): every action refused, and said so by abilities.
    const account = await api.call("POST", "status/service-accounts", {
      token: admin.token,
      body: { name: "reader" },
    });
    const accountId = (account.json as { id: string }).id;
    const bound = await api.call("POST", "status/bindings", {
      token: admin.token,
      body: { subjectType: "SERVICE_ACCOUNT", subjectId: accountId, role: "Viewer" },
    });
    expect(bound.status).toBe(201);
    const issued = await api.call("POST", `status/service-accounts/${accountId}/api-tokens`, {
      token: admin.token,
      body: { name: "reader" },
    });
    const viewer = await api.trpc({ token: (issued.json as { token: string }).token });
    const seen = await viewer.executions.abilities({ tenant: "status", executionId: failed });
    expect(seen.changeStatus).toEqual({ allowed: false, needs: "needs EXECUTION:UPDATE on company.team" });
    await expect(
      viewer.executions.changeStatus({ tenant: "status", executionId: failed, state: "SUCCESS" }),
    ).rejects.toThrow();
    await expect(viewer.executions.forceRun({ tenant: "status", executionId: failed })).rejects.toThrow();

    const changed = await caller.executions.changeStatus({
      tenant: "status",
      executionId: failed,
      state: "SUCCESS",
    });
    expect((changed as { state: { current: string } }).state.current).toBe("SUCCESS");
    const read = await api.call("GET", `status/executions/${failed}`, { token: admin.token });
    expect((read.json as { state: { current: string } }).state.current).toBe("SUCCESS");
  });
});
