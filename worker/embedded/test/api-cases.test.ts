import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flowPath } from "@/test/conformance/corpus";
import { runBackfills, runDueSchedules } from "../scheduler";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "./harness";

/** The conformance corpus's apiCases, on the real embedded engine through its client (the service layer). */
const h = setUpEmbeddedEngine();
const corpus = (name: string) => readFileSync(flowPath(name), "utf8");
const histories = (execution: { state: { histories: { state: string }[] } }) =>
  execution.state.histories.map((s) => s.state);

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000) =>
  pollUntil(read, done, timeoutMs);

describe("apiCases on the embedded engine", () => {
  it("pause.yaml: PAUSED with one task run, then SUCCESS once resumed", async () => {
    await h.startRuntime({ scheduler: false });
    await h.deploy(corpus("pause.yaml"));
    const started = await h.client.start(TENANT, "io.kestra.tests", "pause");
    const paused = await until(
      () => h.client.get(TENANT, started.id),
      (e) => e?.state.current === "PAUSED",
    );
    expect(paused?.taskRunList).toHaveLength(1);
    await h.client.operate(TENANT, started.id, { type: "resume" });
    const done = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["pause", "subtask", "last"]);
  });

  it("pause_on_resume.yaml: resume inputs validated, then outputs", async () => {
    await h.deploy(corpus("pause_on_resume.yaml"));
    const started = await h.client.start(TENANT, "io.kestra.tests", "pause_on_resume");
    await until(
      () => h.client.get(TENANT, started.id),
      (e) => e?.state.current === "PAUSED",
    );
    await expect(h.client.operate(TENANT, started.id, { type: "resume", inputs: {} })).rejects.toThrow(
      /asked: missing required input/,
    );
    await h.client.operate(TENANT, started.id, { type: "resume", inputs: { asked: "restarted" } });
    const done = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.find((r) => r.taskId === "last")?.outputs).toMatchObject({
      values: { asked: "restarted" },
    });
  });

  it("approval-basic.yaml: PAUSED after onWait, approved with a comment -> SUCCESS; denied -> CANCELLED", async () => {
    await h.deploy(corpus("approval-basic.yaml"));
    const decide = async (decision: "APPROVED" | "DENIED", comment: string) => {
      const started = await h.client.start(TENANT, "io.kestra.tests", "approval-basic");
      const paused = await until(
        () => h.client.get(TENANT, started.id),
        (e) => e?.state.current === "PAUSED",
      );
      expect(paused?.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
        ["approval", "PAUSED"],
        ["notify", "SUCCESS"],
      ]);
      await h.client.operate(TENANT, started.id, { type: "review", decision, comment, by: "alice" });
      return h.client.waitForEnd(TENANT, started.id, 15_000);
    };
    const approved = await decide("APPROVED", "looks good");
    expect(approved.state.current).toBe("SUCCESS");
    expect(approved.taskRunList.map((r) => r.taskId)).toEqual(["approval", "notify", "approved", "last"]);
    expect(approved.taskRunList[0]?.outputs).toMatchObject({
      decision: "APPROVED",
      comment: "looks good",
      by: "alice",
    });
    const denied = await decide("DENIED", "needs changes");
    expect(denied.state.current).toBe("CANCELLED");
    expect(denied.taskRunList.map((r) => r.taskId)).toEqual(["approval", "notify", "denied"]);
    expect(denied.taskRunList[0]?.outputs).toMatchObject({ decision: "DENIED", comment: "needs changes" });
  });

  it("restart_last_failed.yaml: same id, c gets a second attempt, 4 task runs, SUCCESS", async () => {
    await h.deploy(corpus("restart_last_failed.yaml"));
    const started = await h.client.start(TENANT, "io.kestra.tests", "restart_last_failed");
    const failed = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(failed.state.current).toBe("FAILED");
    expect(failed.taskRunList).toHaveLength(3);
    await h.client.operate(TENANT, started.id, { type: "restart" });
    const done = await until(
      () => h.client.get(TENANT, started.id),
      (e) => e?.state.current === "SUCCESS",
    );
    expect(done?.taskRunList).toHaveLength(4);
    expect(done?.taskRunList.find((r) => r.taskId === "c")?.attempts).toHaveLength(2);
    const rows = await h.query<{ task_id: string }>(
      "select task_id from task_runs where execution_id = $1 order by position",
      [started.id],
    );
    expect(rows.map((r) => r.task_id)).toEqual(["a", "b", "c", "d"]);
  });

  it("restarting a parent restarts its failed subflow execution in place (restartBehavior RETRY_FAILED)", async () => {
    await h.deploy(corpus("restart_last_failed.yaml"));
    await h.deploy(`id: restart_parent
namespace: io.kestra.tests
tasks:
  - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: io.kestra.tests, flowId: restart_last_failed }
`);
    const started = await h.client.start(TENANT, "io.kestra.tests", "restart_parent");
    const failed = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(failed.state.current).toBe("FAILED");
    const childId = failed.taskRunList[0]?.outputs?.executionId as string;
    await h.client.operate(TENANT, started.id, { type: "restart" });
    const done = await until(
      () => h.client.get(TENANT, started.id),
      (e) => e?.state.current === "SUCCESS",
    );
    expect(done?.state.current).toBe("SUCCESS");
    expect(done?.taskRunList[0]?.outputs).toMatchObject({ executionId: childId, state: "SUCCESS" });
    const child = await h.client.get(TENANT, childId);
    expect(child?.metadata.attemptNumber).toBe(2);
    expect(child?.taskRunList.find((r) => r.taskId === "c")?.attempts).toHaveLength(2);
    const children = await h.query<{ n: number }>(
      "select count(*)::int as n from executions where parent_id = $1",
      [started.id],
    );
    expect(children[0]?.n).toBe(1);
  });

  it("flow-concurrency-queue.yml: the second execution goes CREATED, QUEUED, RUNNING; both SUCCESS", async () => {
    await h.deploy(corpus("flow-concurrency-queue.yml"));
    const [a, b] = await Promise.all([
      h.client.start(TENANT, "io.kestra.tests", "flow-concurrency-queue"),
      h.client.start(TENANT, "io.kestra.tests", "flow-concurrency-queue"),
    ]);
    const first = await h.client.waitForEnd(TENANT, a.id, 20_000);
    const second = await h.client.waitForEnd(TENANT, b.id, 20_000);
    expect([first.state.current, second.state.current]).toEqual(["SUCCESS", "SUCCESS"]);
    const queued = [first, second].find((e) => histories(e).includes("QUEUED"));
    expect(histories(queued ?? first)).toEqual(["CREATED", "QUEUED", "RUNNING", "SUCCESS"]);
  });

  it("flow-concurrency-cancel.yml: the second ends CANCELLED while the first runs", async () => {
    await h.deploy(corpus("flow-concurrency-cancel.yml"));
    const first = await h.client.start(TENANT, "io.kestra.tests", "flow-concurrency-cancel");
    const second = await h.client.start(TENANT, "io.kestra.tests", "flow-concurrency-cancel");
    expect(second.state.current).toBe("CANCELLED");
    expect((await h.client.waitForEnd(TENANT, first.id, 20_000)).state.current).toBe("SUCCESS");
  });

  it("trigger-flow.yaml + trigger-flow-listener.yaml: the listener runs with the upstream's output", async () => {
    await h.deploy(corpus("trigger-flow-listener.yaml"));
    await h.deploy(corpus("trigger-flow.yaml"));
    const upstream = await h.client.start(TENANT, "io.kestra.tests.trigger", "trigger-flow");
    await h.client.waitForEnd(TENANT, upstream.id, 15_000);
    const rows = await until(
      () =>
        h.query<{ id: string; state: string }>(
          "select id, state from executions where flow_id = 'trigger-flow-listener'",
        ),
      (r) => r.length > 0 && r[0]?.state === "SUCCESS",
    );
    expect(rows).toHaveLength(1);
    const listener = await h.client.get(TENANT, rows[0]?.id ?? "");
    expect(listener?.inputs).toEqual({ "from-parent": `from parents: ${upstream.id}` });
  });

  it("webhook.yaml: 200 with trigger variables; a wrong key or flow is not found", async () => {
    await h.deploy(corpus("webhook.yaml"));
    const request = {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Test": "1" },
      query: { a: "b" },
      body: '{"hello":"world"}',
    };
    const result = await h.client.webhook(TENANT, "io.kestra.tests", "webhook", "a-secret-key", request);
    expect(result.status).toBe("started");
    if (result.status !== "started") return;
    const done = await h.client.waitForEnd(TENANT, result.execution.id, 15_000);
    expect(done.trigger?.variables).toEqual({
      body: { hello: "world" },
      headers: { "content-type": ["application/json"], "x-test": ["1"] },
      parameters: { a: ["b"] },
    });
    expect(JSON.parse(String(done.taskRunList[0]?.outputs?.value))).toMatchObject({
      body: { hello: "world" },
    });
    expect((await h.client.webhook(TENANT, "io.kestra.tests", "webhook", "wrong-key", request)).status).toBe(
      "not-found",
    );
    expect((await h.client.webhook(TENANT, "io.kestra.tests", "nope", "a-secret-key", request)).status).toBe(
      "not-found",
    );
    expect(
      (await h.client.webhook("tenant-other", "io.kestra.tests", "webhook", "a-secret-key", request)).status,
    ).toBe("not-found");
  });

  it("schedule-trigger.yaml: a due schedule starts one execution per tick, never two", async () => {
    await h.deploy(corpus("schedule-trigger.yaml"));
    // Make the every-minute trigger due at the last minute, as if the engine had just reached it.
    const now = Date.now();
    const minute = new Date(Math.floor(now / 60_000) * 60_000);
    await h.query(
      "update trigger_states set next_evaluation_date = $1, last_triggered_date = null where flow_id = 'schedule-trigger' and trigger_id = 'schedule-every-min'",
      [minute],
    );
    await Promise.all([runDueSchedules(h.ctx), runDueSchedules(h.ctx), runDueSchedules(h.ctx)]);
    const rows = await h.query<{ schedule_date: Date; trigger: { variables: { date: string } } }>(
      "select schedule_date, trigger from executions where flow_id = 'schedule-trigger' and trigger->>'id' = 'schedule-every-min'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.trigger.variables.date).toBe(minute.toISOString());
    const [state] = await h.query<{ next_evaluation_date: Date }>(
      "select next_evaluation_date from trigger_states where flow_id = 'schedule-trigger' and trigger_id = 'schedule-every-min'",
    );
    expect(state?.next_evaluation_date.getTime()).toBe(minute.getTime() + 60_000);
  });

  it("backfills one past hour: 60 + 12 executions with the right trigger.date, with progress", async () => {
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const start = new Date(end.getTime() - 3_600_000);
    const ref = (triggerId: string) => ({
      namespace: "io.kestra.tests.schedule",
      flowId: "schedule-trigger",
      triggerId,
    });
    const minutes = await h.client.startBackfill(TENANT, ref("schedule-every-min"), {
      start,
      end,
      labels: [{ key: "backfill", value: "yes" }],
    });
    expect(minutes).toMatchObject({ total: 60, done: 0, paused: false });
    await h.client.startBackfill(TENANT, ref("schedule-5-min"), { start, end });
    await expect(h.client.startBackfill(TENANT, ref("schedule-5-min"), { start, end })).rejects.toThrow(
      /already running/,
    );
    await h.client.controlBackfill(TENANT, ref("schedule-every-min"), "pause");
    await runBackfills(h.ctx);
    expect((await h.client.backfill(TENANT, ref("schedule-every-min")))?.done).toBe(0);
    await h.client.controlBackfill(TENANT, ref("schedule-every-min"), "resume");
    while ((await runBackfills(h.ctx)) > 0);
    const progress = await h.client.backfill(TENANT, ref("schedule-every-min"));
    expect(progress).toMatchObject({ total: 60, done: 60, finishedAt: expect.any(String) });
    const rows = await h.query<{
      trigger_id: string;
      schedule_date: Date;
      date: string;
      labels: { key: string }[];
    }>(
      `select trigger->>'id' as trigger_id, schedule_date, trigger->'variables'->>'date' as date, labels from executions
       where flow_id = 'schedule-trigger' and schedule_date >= $1 and schedule_date < $2 order by schedule_date`,
      [start, end],
    );
    const every = rows.filter((r) => r.trigger_id === "schedule-every-min");
    expect(every).toHaveLength(60);
    expect(rows.filter((r) => r.trigger_id === "schedule-5-min")).toHaveLength(12);
    expect(every.map((r) => r.date)).toEqual(
      Array.from({ length: 60 }, (_, i) => new Date(start.getTime() + i * 60_000).toISOString()),
    );
    expect(
      every.every(
        (r) => r.schedule_date.toISOString() === r.date && r.labels.some((l) => l.key === "backfill"),
      ),
    ).toBe(true);
  });

  it("kv.yaml: reads a KV entry of the namespace", async () => {
    await h.query(
      "insert into kv_entries (tenant_id, namespace, key, value, updated_at) values ($1, 'io.kestra.tests', 'my-key', '{\"field\": \"value\"}', now())",
      [TENANT],
    );
    await h.deploy(corpus("kv.yaml"));
    const started = await h.client.start(TENANT, "io.kestra.tests", "kv");
    const done = await h.client.waitForEnd(TENANT, started.id, 15_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => r.outputs?.value)).toEqual(["value", "value"]);
  });
});
