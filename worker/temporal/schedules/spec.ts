import type { ScheduleOverlapPolicy, ScheduleSpec } from "@temporalio/client";
import type { Trigger } from "@/engine/flow";
import { parseDuration } from "@/engine/util/duration";
import { MISSED_AFTER_MS } from "../../embedded/scheduler";

/** Kestra's cron nicknames, as the 5 fields Temporal's own shorthands might read differently. */
const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const restricted = (field: string) => field !== "*" && field !== "?";
/** Quartz-style day fields (last day, nearest weekday, nth weekday) that Temporal's calendars lack. */
const quartz = (field: string) => /[LW#]/i.test(field);

/**
 * The Temporal cron expression of a Kestra cron (5 fields, 6 with `withSeconds`, or a nickname). Temporal
 * reads 5 fields as minute..weekday and 7 as second..year (6 would be minute..year), so a seconds cron
 * gets a year field. Where Temporal's calendar cannot say what Kestra means it gets a superset: day of
 * month and day of week both restricted (Kestra/croner: either; Temporal: both), or L/W/#, become every
 * day at the cron's times. The scheduled run then keeps only the times Cadenza's own cron (croner, as the
 * embedded engine) calls ticks, so the Schedule may fire more often but never runs a wrong time.
 */
export function temporalCron(cron: string, withSeconds: boolean): string {
  const text = cron.trim();
  const fields = (NICKNAMES[text.toLowerCase()] ?? text).split(/\s+/);
  if (withSeconds && fields.length === 5) fields.unshift("0");
  const seconds = withSeconds ? (fields.shift() as string) : "0";
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const superset =
    (restricted(dayOfMonth) && restricted(dayOfWeek)) || quartz(dayOfMonth) || quartz(dayOfWeek);
  const days = superset
    ? ["*", "*"]
    : [dayOfMonth.replace("?", "*"), dayOfWeek.replace("?", "*").replace(/\b7\b/g, "0")];
  return [seconds, minute, hour, days[0], month, days[1], "*"].join(" ");
}

/** The Temporal Schedule's spec of a Schedule trigger: its cron in its time zone (UTC by default). */
export function scheduleSpec(trigger: Trigger): ScheduleSpec {
  return {
    cronExpressions: [temporalCron(String(trigger.cron), trigger.withSeconds === true)],
    timezone: (trigger.timezone as string | undefined) ?? "UTC",
  };
}

const YEAR_MS = 365 * 86_400_000;
/** Temporal refuses a catch-up window under 10 s. */
const MIN_CATCHUP_MS = 10_000;

/**
 * How far back Temporal takes schedule times it missed (its server was down): `recoverMissedSchedules`
 * ALL and LAST take a year (LAST's "only the last" is decided by the scheduled run, as the embedded
 * scheduler's ticksToRun does), NONE only the times that are not yet missed (MISSED_AFTER_MS);
 * `lateMaximumDelay` narrows it. The scheduled run still applies the exact rule.
 */
export function catchupWindowMs(trigger: Trigger): number {
  const late = trigger.lateMaximumDelay ? parseDuration(String(trigger.lateMaximumDelay)) : undefined;
  const byRecover = trigger.recoverMissedSchedules === "NONE" ? MISSED_AFTER_MS : YEAR_MS;
  return Math.max(MIN_CATCHUP_MS, Math.min(byRecover, late ?? YEAR_MS));
}

/**
 * Kestra's trigger lock: a Schedule does not fire again while the execution it started runs, and the times
 * that come meanwhile wait their turn (the scheduled run holds the Schedule until its execution ends, and
 * decides, by recoverMissedSchedules and lateMaximumDelay, whether a waited-for time still runs).
 * `allowConcurrent: true` lifts the lock.
 */
export function overlapPolicy(trigger: Trigger): ScheduleOverlapPolicy {
  return trigger.allowConcurrent === true ? "ALLOW_ALL" : "BUFFER_ALL";
}
