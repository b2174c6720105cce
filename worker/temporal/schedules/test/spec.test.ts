import { describe, expect, it } from "vitest";
import type { Trigger } from "@/engine/flow";
import { catchupWindowMs, overlapPolicy, scheduleSpec, temporalCron } from "../spec";

const trigger = (fields: Record<string, unknown>): Trigger =>
  ({ id: "t", type: "io.kestra.plugin.core.trigger.Schedule", disabled: false, ...fields }) as Trigger;

describe("a Schedule trigger as a Temporal Schedule spec", () => {
  it("reads Kestra's 5 fields, nicknames and withSeconds as Temporal's 7 (second .. year)", () => {
    expect(temporalCron("*/5 * * * *", false)).toBe("0 */5 * * * * *");
    expect(temporalCron("@hourly", false)).toBe("0 0 * * * * *");
    expect(temporalCron("@midnight", false)).toBe("0 0 0 * * * *");
    expect(temporalCron("@annually", false)).toBe("0 0 0 1 1 * *");
    expect(temporalCron("@weekly", false)).toBe("0 0 0 * * 0 *");
    expect(temporalCron("*/10 * * * * *", true)).toBe("*/10 * * * * * *");
    expect(temporalCron("0 9 * * MON-FRI", false)).toBe("0 0 9 * * MON-FRI *");
    expect(temporalCron("0 9 ? * 7", false)).toBe("0 0 9 * * 0 *");
  });

  it("asks Temporal for every day where its calendar cannot say Kestra's days (the run filters)", () => {
    // Kestra (as croner) reads a restricted day of month and day of week as either; Temporal as both.
    expect(temporalCron("0 9 1 * MON", false)).toBe("0 0 9 * * * *");
    expect(temporalCron("0 9 L * *", false)).toBe("0 0 9 * * * *");
    expect(temporalCron("0 9 * * 5#2", false)).toBe("0 0 9 * * * *");
  });

  it("keeps the time zone (UTC by default)", () => {
    expect(scheduleSpec(trigger({ cron: "0 9 * * *", timezone: "Europe/Paris" }))).toEqual({
      cronExpressions: ["0 0 9 * * * *"],
      timezone: "Europe/Paris",
    });
    expect(scheduleSpec(trigger({ cron: "0 9 * * *" })).timezone).toBe("UTC");
  });

  it("takes missed times back by recoverMissedSchedules and lateMaximumDelay", () => {
    expect(catchupWindowMs(trigger({ cron: "* * * * *" }))).toBe(365 * 86_400_000);
    expect(catchupWindowMs(trigger({ cron: "* * * * *", recoverMissedSchedules: "LAST" }))).toBe(
      365 * 86_400_000,
    );
    expect(catchupWindowMs(trigger({ cron: "* * * * *", recoverMissedSchedules: "NONE" }))).toBe(60_000);
    expect(catchupWindowMs(trigger({ cron: "* * * * *", lateMaximumDelay: "PT5M" }))).toBe(300_000);
    expect(catchupWindowMs(trigger({ cron: "* * * * *", lateMaximumDelay: "PT1S" }))).toBe(10_000);
  });

  it("holds the Schedule while its execution runs unless allowConcurrent", () => {
    expect(overlapPolicy(trigger({ cron: "* * * * *" }))).toBe("BUFFER_ALL");
    expect(overlapPolicy(trigger({ cron: "* * * * *", allowConcurrent: true }))).toBe("ALLOW_ALL");
  });
});
