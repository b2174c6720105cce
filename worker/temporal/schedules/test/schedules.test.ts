import { Client, Connection, ScheduleNotFoundError } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { withTransaction } from "../../../embedded/db";
import { deleteFlow } from "../../../embedded/flows-admin";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "../../../embedded/test/harness";
import { type RunningTemporalWorker, startTemporalWorker } from "../../worker";
import { controlTemporalBackfill, startTemporalBackfill, temporalBackfill } from "../backfill";
import { scheduleIdOf } from "../names";
import { temporalScheduleService } from "../service";
import { unlockTemporalTrigger } from "../unlock";
import { type RunningScheduleWorker, startScheduleWorker } from "../worker";

if (!temporalAvailable) console.warn(`Temporal Schedules skipped: ${TEMPORAL_SKIP_REASON}`);

/**
 * Schedule triggers as Temporal Schedules on a real Temporal dev server: sync, backfills, real firing,
 * conditions. The embedded engine's runtime is never started: every execution here comes from a Schedule.
 */
// Not concurrent: on the shared machine the dev server's SQLite store is the bottleneck, and cases run
// side by side each took longer than all in a row.
describe.skipIf(!temporalAvailable)("Schedule triggers on Temporal", () => {
  const h = setUpEmbeddedEngine();
  let temporal: TestTemporal;
  let connection: Connection;
  let client: Client;
  let executionWorker: RunningTemporalWorker;
  let scheduleWorker: RunningScheduleWorker;

  beforeAll(async () => {
    temporal = await startTestTemporal();
    const options = { ctx: h.ctx, address: temporal.address, namespace: temporal.namespace };
    [executionWorker, scheduleWorker] = await Promise.all([
      startTemporalWorker({ ...options, tenantIds: [TENANT] }),
      startScheduleWorker({ ...options, tenantIds: [TENANT] }),
    ]);
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, namespace: temporal.namespace });
  }, 90_000);

  afterAll(async () => {
    await scheduleWorker?.shutdown();
    await executionWorker?.shutdown();
    await connection?.close();
    await temporal?.stop();
  }, 60_000);

  // As the server calls it (service.ts), so the wrapper the lead wires is what is tested.
  const sync = (namespace: string, id: string) =>
    temporalScheduleService(h.ctx, client).flowChanged(TENANT, { namespace, id });
  const handle = (namespace: string, flowId: string, triggerId: string) =>
    client.schedule.getHandle(scheduleIdOf(TENANT, { namespace, flowId, triggerId }));
  const executions = (flowId: string) =>
    h.query<{ id: string; state: string; trigger: { variables: Record<string, string> }; labels: unknown }>(
      "select id, state, trigger, labels from executions where flow_id = $1 order by schedule_date",
      [flowId],
    );

  it("creates, updates, pauses and deletes a flow's Schedules with its revisions, idempotently", async () => {
    const ns = "io.cadenza.sync";
    const yaml = (triggers: string, flowLevel = "") => `id: synced
namespace: ${ns}
${flowLevel}tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
${triggers}`;
    await h.deploy(
      yaml(`  - id: nine
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
    timezone: Europe/Paris
  - id: hourly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@hourly"
    allowConcurrent: true
    recoverMissedSchedules: NONE
`),
    );
    expect(await sync(ns, "synced")).toEqual({
      upserted: [
        { triggerId: "nine", paused: false },
        { triggerId: "hourly", paused: false },
      ],
      deleted: [],
    });
    await sync(ns, "synced"); // idempotent: a second sync changes nothing and does not fail
    const nine = await handle(ns, "synced", "nine").describe();
    expect(nine.spec.timezone).toBe("Europe/Paris");
    expect(nine.policies.overlap).toBe("BUFFER_ALL");
    expect(nine.state.paused).toBe(false);
    // The time zone is Temporal's to apply: the next time is 9:00 in Paris.
    const next = nine.info.nextActionTimes[0] as Date;
    const paris = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(next);
    expect(paris).toBe("09:00");
    expect(next.getUTCHours()).not.toBe(9);
    const hourly = await handle(ns, "synced", "hourly").describe();
    expect(hourly.policies.overlap).toBe("ALLOW_ALL");
    expect(hourly.policies.catchupWindow).toBe(60_000);
    expect((hourly.info.nextActionTimes[0] as Date).getUTCMinutes()).toBe(0);

    // A new revision: one trigger changes its cron and is disabled in YAML, the other is removed.
    await h.deploy(
      yaml(`  - id: nine
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "30 21 * * *"
    timezone: America/New_York
    disabled: true
`),
    );
    expect(await sync(ns, "synced")).toEqual({
      upserted: [{ triggerId: "nine", paused: true }],
      deleted: ["hourly"],
    });
    await expect(handle(ns, "synced", "hourly").describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const updated = await handle(ns, "synced", "nine").describe();
    expect(updated.state.paused).toBe(true);
    expect(updated.spec.timezone).toBe("America/New_York");
    expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 21, end: 21, step: 1 }] });

    // Enabled in YAML, but disabled at run time (triggers API, stopAfter): paused; then the whole flow.
    await h.deploy(
      yaml(`  - id: nine
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "30 21 * * *"
`),
    );
    // The trigger's run-time state keeps the YAML's former `disabled` (syncTriggerStates, as on the
    // embedded engine) until the triggers API enables it: still paused.
    expect((await sync(ns, "synced")).upserted).toEqual([{ triggerId: "nine", paused: true }]);
    await h.query(
      "update trigger_states set disabled = false where flow_id = 'synced' and trigger_id = 'nine'",
    );
    expect((await sync(ns, "synced")).upserted).toEqual([{ triggerId: "nine", paused: false }]);
    await h.query(
      "update trigger_states set disabled = true where flow_id = 'synced' and trigger_id = 'nine'",
    );
    expect((await sync(ns, "synced")).upserted).toEqual([{ triggerId: "nine", paused: true }]);
    await h.query(
      "update trigger_states set disabled = false where flow_id = 'synced' and trigger_id = 'nine'",
    );
    expect((await handle(ns, "synced", "nine").describe()).state.paused).toBe(true);
    await sync(ns, "synced");
    expect((await handle(ns, "synced", "nine").describe()).state.paused).toBe(false);
    await h.deploy(
      yaml(
        `  - id: nine
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "30 21 * * *"
`,
        "disabled: true\n",
      ),
    );
    expect((await sync(ns, "synced")).upserted).toEqual([{ triggerId: "nine", paused: true }]);

    // Deleted flow: no Schedule left; a second sync finds nothing to do.
    await withTransaction(h.pool, (db) => deleteFlow(db, builtInRegistry(), TENANT, ns, "synced"));
    expect(await sync(ns, "synced")).toEqual({ upserted: [], deleted: ["nine"] });
    await expect(handle(ns, "synced", "nine").describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await sync(ns, "synced")).toEqual({ upserted: [], deleted: [] });
  }, 60_000);

  it("a `* * * * *` Schedule backfilled over one past hour creates 60 executions with the right trigger.date", async () => {
    const ns = "io.cadenza.backfill";
    await h.deploy(`id: minutely
namespace: ${ns}
inputs:
  - id: who
    type: STRING
    defaults: nobody
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.who }} at {{ trigger.date }}"
triggers:
  - id: every-minute
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
`);
    await sync(ns, "minutely");
    const hour = 3_600_000;
    const start = new Date(Math.floor(Date.now() / hour) * hour - 2 * hour);
    const end = new Date(start.getTime() + hour);
    const ref = { namespace: ns, flowId: "minutely", triggerId: "every-minute" };
    const started = await startTemporalBackfill(h.ctx, client, TENANT, ref, {
      start,
      end,
      inputs: { who: "backfill" },
      labels: [{ key: "origin", value: "backfill" }],
    });
    expect(started).toMatchObject({ total: 60, done: 0, paused: false });
    const finished = await pollUntil(
      () => temporalBackfill(h.ctx, TENANT, ref),
      (b) => Boolean(b?.finishedAt),
      120_000,
      500,
    );
    expect(finished).toMatchObject({ total: 60, done: 60 });
    // Only the backfill's hour: the live Schedule fires every minute meanwhile.
    const inWindow = (await executions("minutely")).filter((e) => {
      const date = Date.parse(e.trigger.variables.date as string);
      return date >= start.getTime() && date < end.getTime();
    });
    const minutes = Array.from({ length: 60 }, (_, i) =>
      new Date(start.getTime() + i * 60_000).toISOString(),
    );
    expect(inWindow.map((e) => e.trigger.variables.date)).toEqual(minutes);
    expect(inWindow.map((e) => e.trigger.variables.next)).toEqual(
      minutes.map((m) => new Date(Date.parse(m) + 60_000).toISOString()),
    );
    expect(inWindow[0]?.trigger.variables.previous).toBe(new Date(start.getTime() - 60_000).toISOString());
    expect(inWindow.every((e) => JSON.stringify(e.labels).includes('"origin"'))).toBe(true);
    // And they run as workflows on the execution workers, with the backfill's inputs (one is enough: the
    // other 59 only add load to the dev server).
    const first = await pollUntil(
      async () => (await executions("minutely")).find((e) => e.id === inWindow[0]?.id),
      (e) => e?.state === "SUCCESS",
      90_000,
      500,
    );
    expect(first?.state).toBe("SUCCESS");
    const logs = await h.query<{ message: string }>(
      "select message from log_entries where execution_id = $1 and task_id = 'log'",
      [inWindow[0]?.id],
    );
    expect(logs.map((l) => l.message)).toEqual([`backfill at ${minutes[0]}`]);
    await withTransaction(h.pool, (db) => deleteFlow(db, builtInRegistry(), TENANT, ns, "minutely"));
    await sync(ns, "minutely");
  }, 240_000);

  it("a seconds Schedule fires for real: its execution runs to SUCCESS; a false `when` creates none; stopAfter stops it", async () => {
    const ns = "io.cadenza.live";
    await h.deploy(`id: fires
namespace: ${ns}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "tick {{ trigger.date }}"
triggers:
  - id: every-2s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
`);
    await h.deploy(`id: never
namespace: ${ns}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: never
triggers:
  - id: every-2s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
    when: "{{ trigger.date | date('s') | number > 60 }}"
`);
    await h.deploy(`id: once
namespace: ${ns}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: once
triggers:
  - id: every-2s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
    stopAfter: [SUCCESS]
`);
    await Promise.all([sync(ns, "fires"), sync(ns, "never"), sync(ns, "once")]);
    const fired = await pollUntil(
      () => executions("fires"),
      (rows) => rows.some((e) => e.state === "SUCCESS"),
      30_000,
      250,
    );
    const done = fired.find((e) => e.state === "SUCCESS");
    expect(done).toBeDefined();
    expect(new Date(done?.trigger.variables.date as string).getUTCSeconds() % 2).toBe(0);
    // The `never` Schedule ran its scheduled runs (Temporal took actions) yet the engine's `when` held none.
    const never = await pollUntil(
      () => handle(ns, "never", "every-2s").describe(),
      (d) => d.info.numActionsTaken >= 2,
      20_000,
      250,
    );
    expect(never.info.numActionsTaken).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await executions("never")).toEqual([]);
    // stopAfter: the first execution's SUCCESS disables the trigger; the next run pauses the Schedule.
    const stopped = await pollUntil(
      () => handle(ns, "once", "every-2s").describe(),
      (d) => d.state.paused,
      20_000,
      250,
    );
    expect(stopped.state.paused).toBe(true);
    expect((await executions("once")).map((e) => e.state)).toEqual(["SUCCESS"]);
    for (const id of ["fires", "never", "once"]) {
      await withTransaction(h.pool, (db) => deleteFlow(db, builtInRegistry(), TENANT, ns, id));
      await sync(ns, id);
    }
  }, 60_000);

  it("the trigger lock holds the Schedule while its execution runs; unlock lets the next time run", async () => {
    const ns = "io.cadenza.lock";
    await h.deploy(`id: held
namespace: ${ns}
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
triggers:
  - id: every-2s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/2 * * * * *"
    withSeconds: true
`);
    await sync(ns, "held");
    const first = await pollUntil(
      () => executions("held"),
      (rows) => rows.some((e) => e.state === "PAUSED"),
      30_000,
      250,
    );
    expect(first.map((e) => e.state)).toEqual(["PAUSED"]);
    const [state] = await h.query<{ execution_id: string }>(
      "select execution_id from trigger_states where flow_id = 'held'",
    );
    expect(state?.execution_id).toBe(first[0]?.id);
    // Several times pass: the paused execution holds the trigger, nothing else starts.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await executions("held")).toHaveLength(1);
    await unlockTemporalTrigger(h.ctx, client, TENANT, {
      namespace: ns,
      flowId: "held",
      triggerId: "every-2s",
    });
    const next = await pollUntil(
      () => executions("held"),
      (rows) => rows.length >= 2,
      30_000,
      250,
    );
    expect(next.length).toBeGreaterThanOrEqual(2);
    expect(next[0]?.state).toBe("PAUSED"); // an unlock frees the trigger, not the execution
    await withTransaction(h.pool, (db) => deleteFlow(db, builtInRegistry(), TENANT, ns, "held"));
    await sync(ns, "held");
  }, 90_000);

  it("a backfill pauses, resumes and is cancelled; its progress is counted as its runs go", async () => {
    const ns = "io.cadenza.control";
    // `when` false: the runs count as done without creating executions (cheap, and only the control is tested).
    await h.deploy(`id: controlled
namespace: ${ns}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: minutely
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
    when: false
`);
    await sync(ns, "controlled");
    const ref = { namespace: ns, flowId: "controlled", triggerId: "minutely" };
    const start = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
    await startTemporalBackfill(h.ctx, client, TENANT, ref, {
      start,
      end: new Date(start.getTime() + 3 * 3_600_000),
    });
    await controlTemporalBackfill(h.ctx, client, TENANT, ref, "pause");
    const paused = (await temporalBackfill(h.ctx, TENANT, ref))?.done ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const still = await temporalBackfill(h.ctx, TENANT, ref);
    expect(still).toMatchObject({ paused: true, total: 180 });
    expect(still?.done).toBeLessThanOrEqual(paused + 1); // one run may have been past its check already
    expect(still?.done).toBeLessThan(180);
    await controlTemporalBackfill(h.ctx, client, TENANT, ref, "resume");
    const resumed = await pollUntil(
      () => temporalBackfill(h.ctx, TENANT, ref),
      (b) => (b?.done ?? 0) > (still?.done ?? 0) + 5 || Boolean(b?.finishedAt),
      30_000,
      100,
    );
    expect(resumed?.done).toBeGreaterThan(still?.done ?? 0);
    if (!resumed?.finishedAt) {
      await controlTemporalBackfill(h.ctx, client, TENANT, ref, "cancel");
      const cancelled = (await temporalBackfill(h.ctx, TENANT, ref))?.done ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const after = await temporalBackfill(h.ctx, TENANT, ref);
      expect(after?.cancelledAt).toBeDefined();
      expect(after?.finishedAt).toBeUndefined();
      expect(after?.done).toBeLessThanOrEqual(cancelled + 1);
    }
    expect(await executions("controlled")).toEqual([]);
    await withTransaction(h.pool, (db) => deleteFlow(db, builtInRegistry(), TENANT, ns, "controlled"));
    await sync(ns, "controlled");
  }, 60_000);
});
