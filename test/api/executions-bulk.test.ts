// The executions list (keyset pages, bounded count, changed-since), the bulk operations over Kestra's
// by-ids / by-query paths (each execution authorized on its own namespace, audited, one refusal not
// stopping the rest), the dashboard's figures (percentiles computed by PostgreSQL), and unlocking a trigger —
// against the real database and the embedded engine.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const PAUSING = (ns: string) => `id: pausing
namespace: ${ns}
tasks:
  - id: wait
    type: core.flow.Pause
`;
const QUICK = `id: quick
namespace: team.a
tasks:
  - id: log
    type: core.log.Log
    message: hi
`;

type Json = Record<string, unknown>;

describe("executions list, bulk operations and dashboard", () => {
  let token = "";
  let tenantId = "";
  const call = async (method: string, path: string, body?: unknown, as = token) => {
    const response = await api.call(method, `bulk/${path}`, { token: as, body });
    return { status: response.status, json: response.json as Json, text: response.text };
  };
  const ok = async (method: string, path: string, body?: unknown, as = token) => {
    const response = await call(method, path, body, as);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.json;
  };
  const state = async (id: string) => ((await ok("GET", `executions/${id}`)).state as Json).current;
  async function waitFor(id: string, wanted: string) {
    for (let i = 0; i < 200; i++) {
      if ((await state(id)) === wanted) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${id} never reached ${wanted} (is ${await state(id)})`);
  }
  const paused = async (ns: string, label: string) => {
    const id = (await ok("POST", `executions/${ns}/pausing?labels=${label}`)).id as string;
    await waitFor(id, "PAUSED");
    return id;
  };

  it("sets up a tenant", async () => {
    const admin = await api.admin("bulk", "admin@bulk.test");
    token = admin.token;
    tenantId = admin.tenantId;
    await api.deploy("bulk", token, PAUSING("team.a"));
    await api.deploy("bulk", token, PAUSING("team.b"));
    await api.deploy("bulk", token, QUICK);
  });

  it("kills by query, one execution at a time on its own namespace's permission, with per-item errors", async () => {
    const a = [
      await paused("team.a", "batch:k"),
      await paused("team.a", "batch:k"),
      await paused("team.a", "batch:k"),
    ];
    const b = await paused("team.b", "batch:k");
    // A robot that may read everything but operate only in team.a.
    const robot = (await ok("POST", "service-accounts", { name: "operator" })).id as string;
    await ok("POST", "bindings", { subjectType: "SERVICE_ACCOUNT", subjectId: robot, role: "Viewer" });
    await ok("POST", "bindings", {
      subjectType: "SERVICE_ACCOUNT",
      subjectId: robot,
      role: "Editor",
      namespace: "team.a",
    });
    const robotToken = (await ok("POST", `service-accounts/${robot}/api-tokens`, { name: "t" }))
      .token as string;

    const result = await ok("DELETE", "executions/kill/by-query?labels=batch:k", undefined, robotToken);
    expect(result.count).toBe(3);
    expect(result.failed).toBe(1);
    expect(result.errors).toEqual([
      { id: b, message: expect.stringContaining("EXECUTION:UPDATE on namespace team.b") },
    ]);
    for (const id of a) await waitFor(id, "KILLED");
    expect(await state(b)).toBe("PAUSED");

    const audit = await api.query<{ resource_id: string; actor_name: string }>(
      "select resource_id, actor_name from audit_logs where action = 'KILL' and tenant_id = $1",
      [tenantId],
    );
    expect(audit.map((e) => e.resource_id).sort()).toEqual([...a].sort());
    expect(new Set(audit.map((e) => e.actor_name))).toEqual(new Set(["operator"]));

    // The admin may: by ids, with an unknown id among them.
    const again = await ok("DELETE", "executions/kill/by-ids", [b, "nosuchexecution"]);
    expect(again).toMatchObject({ count: 1, failed: 1, errors: [{ id: "nosuchexecution" }] });
    await waitFor(b, "KILLED");
  }, 60_000);

  it("sets labels, resumes, and refuses to delete what still runs", async () => {
    const run = await paused("team.a", "batch:r");
    const labelled = await ok("POST", "executions/labels/by-ids", {
      executionsId: [run],
      executionLabels: [
        { key: "batch", value: "relabelled" },
        { key: "team", value: "data" },
      ],
    });
    expect(labelled.count).toBe(1);
    const execution = await ok("GET", `executions/${run}`);
    expect(execution.labels).toEqual(
      expect.arrayContaining([
        { key: "batch", value: "relabelled" },
        { key: "team", value: "data" },
      ]),
    );
    // The system labels (correlation id, who started it) stay as they were.
    const labels = execution.labels as { key: string }[];
    expect(labels.filter((l) => !l.key.startsWith("system.")).length).toBe(2);
    expect(labels.map((l) => l.key)).toContain("system.correlationId");

    const refused = await ok("DELETE", "executions/by-ids", [run]);
    expect(refused).toMatchObject({ count: 0, failed: 1 });
    expect((refused.errors as Json[])[0]?.message).toMatch(/PAUSED/);

    expect(await ok("POST", "executions/resume/by-query?labels=team:data&state=PAUSED")).toMatchObject({
      count: 1,
    });
    await waitFor(run, "SUCCESS");
    expect(await ok("DELETE", "executions/by-query?labels=team:data")).toMatchObject({ count: 1, failed: 0 });
    expect((await call("GET", `executions/${run}`)).status).toBe(404);
  }, 60_000);

  it("refuses a body that is not a list of ids, and a label without key", async () => {
    expect((await call("POST", "executions/restart/by-ids", { ids: [] })).status).toBe(400);
    expect((await call("POST", "executions/labels/by-query", [])).status).toBe(400);
  });

  it("pages by keyset: every row once, newest first, however deep", async () => {
    await api.query(
      `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, start_date, end_date, labels, updated_at)
       select 'gen' || lpad(g::text, 4, '0'), $1, 'gen.ns', 'gen', 1, 'SUCCESS',
              timestamp '2026-01-01' + ((g / 3) * interval '1 minute'), timestamp '2026-01-01' + ((g / 3) * interval '1 minute') + interval '2 seconds',
              '[{"key":"gen","value":"yes"}]', now() - interval '1 hour'
       from generate_series(1, 130) g`,
      [tenantId],
    );
    const caller = await api.trpc({ token });
    const filter = { namespace: "gen" };
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await caller.executionList.page({
        tenant: "bulk",
        filter,
        size: 50,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.results.map((r) => r.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.length).toBe(130);
    expect(new Set(seen).size).toBe(130);
    // Same start date for three rows at a time: ties broken by id, descending.
    expect(seen.slice(0, 3)).toEqual(["gen0130", "gen0129", "gen0128"]);
    expect(await caller.executionList.count({ tenant: "bulk", filter })).toEqual({
      count: 130,
      capped: false,
    });
    await expect(
      caller.executionList.page({ tenant: "bulk", filter, cursor: "not-a-cursor" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const since = new Date(Date.now() - 1000);
    await api.query("update executions set state = 'FAILED', updated_at = now() where id = 'gen0007'");
    const changed = await caller.executionList.changedSince({ tenant: "bulk", filter, since });
    expect(changed.map((r) => [r.id, r.state])).toEqual([["gen0007", "FAILED"]]);

    const perDay = await caller.executionList.overTime({
      tenant: "bulk",
      filter: { ...filter, from: new Date("2025-12-31"), to: new Date("2026-01-02") },
      bucket: "day",
      timeZone: "UTC",
    });
    expect(perDay).toEqual([{ date: new Date("2026-01-01T00:00:00Z"), counts: { SUCCESS: 129, FAILED: 1 } }]);
  });

  it("computes the dashboard's figures in SQL: p50 and p95, success ratio, namespaces, error logs", async () => {
    // 100 executions of one flow lasting 1..100 s, the last 10 failed, all in the last hour.
    await api.query(
      `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, start_date, end_date, updated_at)
       select 'dash' || g, $1, 'dash.ns', 'timed', 1, (case when g > 90 then 'FAILED' else 'SUCCESS' end)::state,
              now() - interval '1 hour', now() - interval '1 hour' + g * interval '1 second', now()
       from generate_series(1, 100) g`,
      [tenantId],
    );
    await api.query(
      `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_id, level, message, timestamp)
       values ($1, 'dash.ns', 'timed', 'dash95', 't', 'ERROR', 'boom: disk full', now())`,
      [tenantId],
    );
    const caller = await api.trpc({ token });
    const board = await caller.dashboard.get({
      tenant: "bulk",
      range: "24h",
      timeZone: "Europe/Paris",
      namespace: "dash",
    });
    expect(board.slowestFlows).toEqual([
      { namespace: "dash.ns", flowId: "timed", count: 100, p50Ms: 50_500, p95Ms: 95_050 },
    ]);
    expect(board.totals).toEqual({ SUCCESS: 90, FAILED: 10 });
    expect(board.successRatio).toBeCloseTo(0.9);
    expect(board.perNamespace).toEqual([{ namespace: "dash.ns", total: 100, failed: 10 }]);
    expect(board.recentFailures.length).toBe(10);
    expect(board.errorLogs.map((l) => l.message)).toEqual(["boom: disk full"]);
    expect(board.hasFlows).toBe(true);
    const running = await caller.dashboard.get({
      tenant: "bulk",
      range: "24h",
      timeZone: "UTC",
      namespace: "team.b",
    });
    expect(running.active).toEqual({});
  });

  it("unlocks a trigger held by its execution, audited", async () => {
    await api.deploy(
      "bulk",
      token,
      `id: scheduled
namespace: team.a
tasks:
  - id: log
    type: core.log.Log
    message: tick
triggers:
  - id: every
    type: core.trigger.Schedule
    cron: "0 3 * * *"
`,
    );
    await api.query(
      "update trigger_states set execution_id = 'held-by-this' where tenant_id = $1 and flow_id = 'scheduled'",
      [tenantId],
    );
    const listed = (await ok("GET", "triggers/team.a/scheduled")) as unknown as Json[];
    expect(listed[0]?.lockedBy).toBe("held-by-this");
    const unlocked = await ok("POST", "triggers/team.a/scheduled/every/unlock");
    expect(unlocked.lockedBy).toBeNull();
    const audit = await api.query("select 1 from audit_logs where action = 'UNLOCK' and tenant_id = $1", [
      tenantId,
    ]);
    expect(audit.length).toBe(1);
  });
});
