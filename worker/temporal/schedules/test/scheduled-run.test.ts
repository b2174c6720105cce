import { describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "../../../embedded/test/harness";
import { createScheduledRunActivities } from "../activities";

/**
 * The scheduled run's decision (no Temporal server needed: the activity is called as Temporal would):
 * recoverMissedSchedules, lateMaximumDelay, cron times, retries, by the embedded scheduler's own rules.
 */
describe("a Temporal Schedule's run, as Cadenza decides it", () => {
  const h = setUpEmbeddedEngine();
  const ns = "io.cadenza.decide";
  const flow = (id: string, extra = "") => `id: ${id}
namespace: ${ns}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: minutely
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
${extra}`;
  let n = 0;
  const run = (flowId: string, scheduledTime: Date, executionId = `exec-${flowId}-${++n}`) =>
    createScheduledRunActivities(h.ctx).prepareScheduledRun({
      tenantId: TENANT,
      namespace: ns,
      flowId,
      triggerId: "minutely",
      scheduledTime: scheduledTime.toISOString(),
      startedAt: new Date().toISOString(),
      executionId,
    });
  /** Cases whose times are "current" or "late" by seconds must not straddle a minute: start them early in one. */
  const earlyInMinute = async () => {
    const into = Date.now() % 60_000;
    if (into > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - into));
  };
  const minute = (back: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - back * 60_000);

  it("runs a current time once, with trigger.date/next/previous, and a retry creates nothing more", async () => {
    await h.deploy(flow("current"));
    await earlyInMinute();
    const time = minute(0);
    const first = await run("current", time, "exec-current-a");
    expect(first).toEqual({ status: "created", executionId: "exec-current-a", hold: true });
    expect(await run("current", time, "exec-current-a")).toEqual(first);
    expect(await run("current", time, "exec-current-b")).toEqual({
      status: "skipped",
      reason: "already created",
    });
    const rows = await h.query<{ trigger: { variables: Record<string, string> }; schedule_date: Date }>(
      "select trigger, schedule_date from executions where flow_id = 'current'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.trigger.variables).toEqual({
      date: time.toISOString(),
      next: new Date(time.getTime() + 60_000).toISOString(),
      previous: new Date(time.getTime() - 60_000).toISOString(),
    });
    const [state] = await h.query<{ execution_id: string; last_triggered_date: Date }>(
      "select execution_id, last_triggered_date from trigger_states where flow_id = 'current'",
    );
    expect(state).toEqual({ execution_id: "exec-current-a", last_triggered_date: time });
  });

  it("skips what is not a time of the cron", async () => {
    await h.deploy(flow("offbeat"));
    expect(await run("offbeat", new Date(minute(0).getTime() + 30_000))).toMatchObject({
      status: "skipped",
      reason: "not a time of the cron",
    });
  });

  it("recovers missed times by recoverMissedSchedules and skips late ones by lateMaximumDelay", async () => {
    await h.deploy(flow("all", "    recoverMissedSchedules: ALL\n"));
    await h.deploy(flow("none", "    recoverMissedSchedules: NONE\n"));
    await h.deploy(flow("last", "    recoverMissedSchedules: LAST\n"));
    await h.deploy(flow("late", "    lateMaximumDelay: PT2M\n    allowConcurrent: true\n"));
    await earlyInMinute();
    expect((await run("all", minute(5))).status).toBe("created");
    expect(await run("none", minute(5))).toMatchObject({ status: "skipped" });
    expect((await run("none", minute(0))).status).toBe("created");
    // LAST: of the missed times only the last one runs (the current one runs too).
    expect(await run("last", minute(5))).toMatchObject({ status: "skipped" });
    expect(await run("last", minute(2))).toMatchObject({ status: "skipped" });
    expect((await run("last", minute(1))).status).toBe("created");
    expect(await run("late", minute(5))).toMatchObject({ status: "skipped" });
    expect(await run("late", minute(1))).toMatchObject({ status: "created", hold: false });
  });

  it("a disabled trigger or flow runs nothing", async () => {
    await h.deploy(flow("off", "    disabled: false\n"));
    await h.query("update trigger_states set disabled = true where flow_id = 'off'");
    expect(await run("off", minute(0))).toEqual({ status: "skipped", reason: "trigger disabled" });
    await h.deploy(flow("off-flow").replace("tasks:", "disabled: true\ntasks:"));
    expect(await run("off-flow", minute(0))).toMatchObject({ status: "skipped" });
  });
});
