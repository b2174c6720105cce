import { describe, expect, it } from "vitest";
import { runBackfills } from "../scheduler";
import { setUpEmbeddedEngine, TENANT } from "./harness";

/** Kestra 2.0's `when` on every trigger, on the embedded engine's scheduler. */
const h = setUpEmbeddedEngine();

describe("trigger when", () => {
  it("a Schedule skips the dates whose when is false", async () => {
    await h.deploy(`id: when-even
namespace: io.cadenza.when
triggers:
  - id: even-minutes
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
    when: "{{ (trigger.date | date('m') | number) % 2 == 0 }}"
  - id: never
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/10 * * * *"
    when: false
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ trigger.date }}" }
`);
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const start = new Date(end.getTime() - 3_600_000);
    const ref = (triggerId: string) => ({ namespace: "io.cadenza.when", flowId: "when-even", triggerId });
    await h.client.startBackfill(TENANT, ref("even-minutes"), { start, end });
    await h.client.startBackfill(TENANT, ref("never"), { start, end });
    while ((await runBackfills(h.ctx)) > 0);
    const rows = await h.query<{ trigger_id: string; date: string }>(
      `select trigger->>'id' as trigger_id, trigger->'variables'->>'date' as date from executions
       where flow_id = 'when-even' order by schedule_date`,
    );
    expect(rows.filter((r) => r.trigger_id === "never")).toEqual([]);
    expect(rows.map((r) => r.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => new Date(start.getTime() + i * 120_000).toISOString()),
    );
  });
});
