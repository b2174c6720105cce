import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { purgeOlderThan } from "../purge";
import { runDueSchedules } from "../scheduler";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "./harness";

const h = setUpEmbeddedEngine();

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) =>
  pollUntil(read, done, timeoutMs);

const processes = (marker: string) => {
  try {
    return execFileSync("pgrep", ["-f", marker], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

describe("embedded engine operations", () => {
  it("kill reaches the worker: the script's process group dies", async () => {
    await h.startRuntime({ scheduler: false });
    const marker = `cadenza-kill-${Date.now()}`;
    await h.deploy(`id: long
namespace: ops
tasks:
  - id: sleep
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - "sh -c 'sleep 30; echo ${marker}' & sleep 30 # ${marker}"
`);
    const started = await h.client.start(TENANT, "ops", "long");
    await until(
      async () => processes(marker),
      (p) => p.length > 0,
    );
    expect(processes(marker).length).toBeGreaterThan(0);
    await h.client.operate(TENANT, started.id, { type: "kill" });
    const killed = await h.client.waitForEnd(TENANT, started.id, 10_000);
    expect(killed.state.current).toBe("KILLED");
    const left = await until(
      async () => processes(marker),
      (p) => p.length === 0,
      5_000,
    );
    expect(left).toEqual([]);
  });

  it("Kill's propagateKill and the kill operation reach subflows started with wait: false (KillTest)", async () => {
    await h.startRuntime({ scheduler: false });
    await h.deploy(`id: sleepy-child
namespace: ops
tasks:
  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT1M }
`);
    await h.deploy(`id: kill-propagates
namespace: ops
tasks:
  - { id: subflow, type: io.kestra.plugin.core.flow.Subflow, namespace: ops, flowId: sleepy-child, wait: false }
  - { id: kill-task, type: io.kestra.plugin.core.execution.Kill }
`);
    await h.deploy(`id: killed-by-operation
namespace: ops
tasks:
  - { id: subflow, type: io.kestra.plugin.core.flow.Subflow, namespace: ops, flowId: sleepy-child, wait: false }
  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT1M }
`);
    const childOf = (parent?: Execution) =>
      String(parent?.taskRunList.find((r) => r.taskId === "subflow")?.outputs?.executionId);
    const byTask = await h.client.start(TENANT, "ops", "kill-propagates");
    const parent = await h.client.waitForEnd(TENANT, byTask.id, 20_000);
    expect(parent.state.current).toBe("KILLED");
    const endOf = async (id: string) => {
      await until(
        () => h.client.get(TENANT, id),
        (e) => e !== undefined,
      );
      return (await h.client.waitForEnd(TENANT, id, 20_000)).state.current;
    };
    expect(await endOf(childOf(parent))).toBe("KILLED");

    const byOperation = await h.client.start(TENANT, "ops", "killed-by-operation");
    const running = await until(
      () => h.client.get(TENANT, byOperation.id),
      (e) => !!e?.taskRunList.some((r) => r.taskId === "nap" && r.state.current === "RUNNING"),
    );
    await h.client.operate(TENANT, byOperation.id, { type: "kill" });
    expect((await h.client.waitForEnd(TENANT, byOperation.id, 20_000)).state.current).toBe("KILLED");
    expect(await endOf(childOf(running))).toBe("KILLED");
  });

  it("a replay marks the original with system.replayed, in its document and its labels column", async () => {
    await h.startRuntime({ scheduler: false });
    await h.deploy(`id: replayed
namespace: ops
tasks:
  - { id: one, type: io.kestra.plugin.core.log.Log, message: one }
`);
    const started = await h.client.start(TENANT, "ops", "replayed");
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    const fresh = await h.client.replay(TENANT, done.id, done.taskRunList[0]?.id ?? "");
    await h.client.replay(TENANT, done.id, done.taskRunList[0]?.id ?? "");
    const marked = { key: "system.replayed", value: "true" };
    const original = await h.client.get(TENANT, done.id);
    expect(original?.labels.filter((l) => l.key === "system.replayed")).toEqual([marked]);
    const [row] = await h.query<{ labels: { key: string; value: string }[] }>(
      "select labels from executions where id = $1",
      [done.id],
    );
    expect(row?.labels).toContainEqual(marked);
    expect(fresh.labels).toContainEqual({ key: "system.replay", value: "true" });
    expect(fresh.labels.map((l) => l.key)).not.toContain("system.replayed");
  });

  it("webhook with wait: true answers with the ended execution and its outputs", async () => {
    await h.deploy(`id: hook
namespace: ops
outputs:
  - { id: echoed, type: STRING, value: "{{ outputs.echo.value }}" }
tasks:
  - { id: echo, type: core.debug.Return, format: "{{ trigger.body.name }}" }
triggers:
  - { id: call, type: core.trigger.Webhook, key: "k-{{ flow.id }}", wait: true, returnOutputs: true }
`);
    const result = await h.client.webhook(TENANT, "ops", "hook", "k-hook", {
      method: "POST",
      headers: {},
      query: {},
      body: '{"name":"Ada"}',
    });
    expect(result).toMatchObject({
      status: "started",
      wait: true,
      returnOutputs: true,
      execution: { state: { current: "SUCCESS" }, outputs: { echoed: "Ada" } },
    });
  });

  it("a Schedule: LAST recovers only the last missed tick; NONE none; lateMaximumDelay skips late ones", async () => {
    const flow = (id: string, extra: string) => `id: ${id}
namespace: ops.schedules
tasks:
  - { id: log, type: core.log.Log, message: "{{ trigger.date }}" }
triggers:
  - { id: every, type: core.trigger.Schedule, cron: "* * * * *", ${extra} }
`;
    await h.deploy(flow("last", "recoverMissedSchedules: LAST"));
    await h.deploy(flow("none", "recoverMissedSchedules: NONE"));
    await h.deploy(flow("all", "recoverMissedSchedules: ALL"));
    await h.deploy(flow("late", "lateMaximumDelay: PT3M"));
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    // As if the engine had been down for ten minutes.
    await h.query(
      "update trigger_states set next_evaluation_date = $1, last_triggered_date = $2 where namespace = 'ops.schedules'",
      [new Date(minute - 9 * 60_000), new Date(minute - 10 * 60_000)],
    );
    const count = async (flowId: string) =>
      (
        await h.query<{ n: number }>(
          "select count(*)::int as n from executions where namespace = 'ops.schedules' and flow_id = $1",
          [flowId],
        )
      )[0]?.n;
    await runDueSchedules(h.ctx);
    // A trigger is held by its running execution: one tick per trigger now, the missed ones one after the other.
    for (const id of ["all", "last", "none", "late"]) expect(await count(id)).toBe(1);
    const running = () =>
      h.query("select id from executions where namespace = 'ops.schedules' and end_date is null");
    for (let pass = 0; pass < 40; pass++) {
      await expect.poll(running, { timeout: 10_000, interval: 20 }).toEqual([]);
      if ((await runDueSchedules(h.ctx)) === 0) break;
    }
    expect(await count("all")).toBe(10);
    expect(await count("last")).toBe(2);
    expect(await count("none")).toBe(1);
    // now - tick <= 3 minutes: the current minute and the two before (three when not exactly on the minute).
    expect([3, 4]).toContain(await count("late"));
    const [row] = await h.query<{ trigger: { variables: Record<string, string> } }>(
      "select trigger from executions where flow_id = 'none' and namespace = 'ops.schedules'",
    );
    expect(row?.trigger.variables).toEqual({
      date: new Date(minute).toISOString(),
      next: new Date(minute + 60_000).toISOString(),
      previous: new Date(minute - 60_000).toISOString(),
    });
  });

  it("a schedule does not fire while its last execution runs, unless allowConcurrent", async () => {
    const flow = (id: string, extra = "") => `id: ${id}
namespace: ops.locks
tasks:
  - { id: wait, type: core.flow.Pause }
triggers:
  - { id: every, type: core.trigger.Schedule, cron: "* * * * *"${extra} }
`;
    await h.deploy(flow("held"));
    await h.deploy(flow("free", ", allowConcurrent: true"));
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const missTwo = () =>
      h.query(
        "update trigger_states set next_evaluation_date = $1, last_triggered_date = $2 where namespace = 'ops.locks'",
        [new Date(minute - 60_000), new Date(minute - 120_000)],
      );
    await missTwo();
    await runDueSchedules(h.ctx);
    const executions = (flowId: string) =>
      h.query<{ id: string; state: string }>(
        "select id, state from executions where namespace = 'ops.locks' and flow_id = $1 order by schedule_date",
        [flowId],
      );
    expect(await executions("free")).toHaveLength(2);
    const [first] = await executions("held");
    expect(await executions("held")).toHaveLength(1);
    // Paused, it still holds the trigger: however many passes, nothing new.
    await expect
      .poll(async () => (await h.client.get(TENANT, first?.id ?? ""))?.state.current)
      .toBe("PAUSED");
    await runDueSchedules(h.ctx);
    expect(await executions("held")).toHaveLength(1);
    // Once it ends, the next (missed) tick runs.
    await h.client.operate(TENANT, first?.id ?? "", { type: "resume" });
    await h.client.waitForEnd(TENANT, first?.id ?? "", 10_000);
    await runDueSchedules(h.ctx);
    expect(await executions("held")).toHaveLength(2);
    // The second holds the trigger (the row is not even evaluated) until it is deleted: then it holds nothing.
    const [, second] = await executions("held");
    const dueNow = () =>
      h.query(
        // A second back: the column keeps milliseconds, rounded, so `now()` itself may land after the engine's clock.
        "update trigger_states set next_evaluation_date = now() - interval '1 second' where namespace = 'ops.locks' and flow_id = 'held'",
      );
    await dueNow();
    expect(await runDueSchedules(h.ctx)).toBe(0);
    await h.query("delete from executions where id = $1", [second?.id]);
    await dueNow();
    expect(await runDueSchedules(h.ctx)).toBe(1);
  });

  it("stopAfter disables the schedule once an execution ends in one of its states", async () => {
    await h.deploy(`id: stopper
namespace: ops
tasks:
  - { id: boom, type: core.execution.Fail }
triggers:
  - { id: tick, type: core.trigger.Schedule, cron: "* * * * *", stopAfter: [FAILED] }
`);
    await h.query(
      "update trigger_states set next_evaluation_date = date_trunc('minute', now()), last_triggered_date = null where flow_id = 'stopper'",
    );
    await runDueSchedules(h.ctx);
    const [state] = await until(
      () => h.query<{ disabled: boolean }>("select disabled from trigger_states where flow_id = 'stopper'"),
      (rows) => rows[0]?.disabled === true,
    );
    expect(state?.disabled).toBe(true);
  });

  it("stopAfter disables a Flow trigger too (it has no schedule state row): it fires no more", async () => {
    await h.deploy(`id: source\nnamespace: ops\ntasks:\n  - { id: t, type: core.log.Log, message: go }\n`);
    await h.deploy(`id: follower
namespace: ops
tasks:
  - { id: t, type: core.log.Log, message: heard }
triggers:
  - id: on-source
    type: core.trigger.Flow
    stopAfter: [SUCCESS]
    conditions:
      - { type: core.condition.ExecutionFlow, namespace: ops, flowId: source }
`);
    const followers = () =>
      h.query<{ state: string }>(
        "select state from executions where flow_id = 'follower' order by created_at",
      );
    const first = await h.client.start(TENANT, "ops", "source");
    await h.client.waitForEnd(TENANT, first.id, 10_000);
    await until(followers, (rows) => rows[0]?.state === "SUCCESS");
    await until(
      () =>
        h.query<{ disabled: boolean }>(
          "select disabled from trigger_states where flow_id = 'follower' and trigger_id = 'on-source'",
        ),
      (rows) => rows[0]?.disabled === true,
    );
    const second = await h.client.start(TENANT, "ops", "source");
    await h.client.waitForEnd(TENANT, second.id, 10_000);
    // The second source execution's end has been handled once its own ended job is gone.
    await until(
      () => h.query("select 1 from graphile_worker.jobs where key = $1", [`ended:${second.id}:1`]),
      (rows) => rows.length === 0,
    );
    expect(await followers()).toHaveLength(1);
  });

  it("retention purges ended executions, their task runs, logs and files, expired KV entries", async () => {
    await h.deploy(`id: old\nnamespace: ops\ntasks:\n  - { id: t, type: core.log.Log, message: bye }\n`);
    const started = await h.client.start(TENANT, "ops", "old");
    await h.client.waitForEnd(TENANT, started.id, 10_000);
    const file = `kestra:///ops/old/executions/${started.id}/tasks/t/x/result.txt`;
    await h.ctx.storage(TENANT).put(file, "kept until the retention purge");
    await h.query("update executions set end_date = now() - interval '40 days' where id = $1", [started.id]);
    await h.query("update log_entries set timestamp = now() - interval '40 days' where execution_id = $1", [
      started.id,
    ]);
    await h.query(
      "insert into kv_entries (tenant_id, namespace, key, value, expires_at, updated_at) values ($1, 'ops', 'gone', '1', now() - interval '1 minute', now())",
      [TENANT],
    );
    const result = await purgeOlderThan(h.pool, new Date(Date.now() - 30 * 86_400_000), 5_000, h.ctx.storage);
    expect(result.executions).toBeGreaterThanOrEqual(1);
    expect(result.files).toBe(1);
    expect(await h.ctx.storage(TENANT).exists(file)).toBe(false);
    expect(result.kvEntries).toBe(1);
    expect(await h.query("select id from executions where id = $1", [started.id])).toEqual([]);
    expect(await h.query("select id from task_runs where execution_id = $1", [started.id])).toEqual([]);
    expect(await h.query("select id from log_entries where execution_id = $1", [started.id])).toEqual([]);
  });

  it("PurgeExecutions and PurgeLogs delete only the tenant's matching rows, files and metrics", async () => {
    const flow = `id: purged
namespace: purge.team
tasks:
  - { id: log, type: core.log.Log, message: hello }
  - id: file
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles: ["out.txt"]
    commands:
      - echo data > out.txt
      - echo '::{"metrics":[{"name":"rows","type":"counter","value":1}]}::'
`;
    await h.deploy(flow);
    await h.deploy(flow, "tenant-other");
    const mine = await h.client.start(TENANT, "purge.team", "purged");
    const theirs = await h.client.start("tenant-other", "purge.team", "purged");
    const ended = await h.client.waitForEnd(TENANT, mine.id, 15_000);
    await h.client.waitForEnd("tenant-other", theirs.id, 15_000);
    const files = ended.taskRunList.find((r) => r.taskId === "file")?.outputs?.outputFiles as
      | Record<string, string>
      | undefined;
    const uri = files?.["out.txt"] ?? "";
    expect(await h.ctx.storage(TENANT).exists(uri)).toBe(true);
    await h.query("update executions set end_date = now() - interval '2 days' where id = any($1)", [
      [mine.id, theirs.id],
    ]);

    await h.deploy(`id: purger
namespace: system
tasks:
  - id: purge
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: purge
    endDate: "{{ now() | dateAdd(-1, 'DAYS') }}"
  - id: logs
    type: io.kestra.plugin.core.log.PurgeLogs
    endDate: "{{ now() | dateAdd(1, 'DAYS') }}"
    logLevels: [DEBUG]
`);
    // `system` may purge `purge` and its children only once they allow it (namespace boundaries).
    await h.query(
      `insert into namespaces (tenant_id, name, allowed_namespaces) values ($1, 'purge', '{system}'), ($1, 'purge.team', '{system}')
       on conflict (tenant_id, name) do update set allowed_namespaces = excluded.allowed_namespaces`,
      [TENANT],
    );
    const purger = await h.client.start(TENANT, "system", "purger");
    const done = await h.client.waitForEnd(TENANT, purger.id, 15_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.find((r) => r.taskId === "purge")?.outputs).toEqual({
      executionsCount: 1,
      logsCount: 1,
      metricsCount: 1,
      storagesCount: 1,
    });
    expect(await h.query("select id from executions where id = $1", [mine.id])).toEqual([]);
    expect(await h.query("select id from task_runs where execution_id = $1", [mine.id])).toEqual([]);
    expect(await h.ctx.storage(TENANT).exists(uri)).toBe(false);
    // The other tenant's execution, and the purging execution itself, are untouched.
    expect(await h.query("select id from executions where id = $1", [theirs.id])).toHaveLength(1);
    expect(await h.query("select id from executions where id = $1", [purger.id])).toHaveLength(1);
  });
});
