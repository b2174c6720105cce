import { Cron } from "croner";
import type { Trigger } from "@/engine/flow";

/** The cron of a Schedule trigger, in its time zone (UTC unless `timezone` says otherwise). */
export function cronOf(trigger: Trigger): Cron {
  return new Cron(String(trigger.cron), {
    paused: true,
    timezone: (trigger.timezone as string | undefined) ?? "UTC",
  });
}

/** The first tick strictly after `date`. */
export function nextTick(cron: Cron, date: Date): Date | undefined {
  return cron.nextRun(date) ?? undefined;
}

/** The last tick strictly before `date`. */
export function previousTick(cron: Cron, date: Date): Date | undefined {
  // croner has no reverse iteration: step back in widening windows and walk forward.
  for (const span of [3_600_000, 86_400_000, 31 * 86_400_000, 366 * 86_400_000, 5 * 366 * 86_400_000]) {
    let tick = cron.nextRun(new Date(date.getTime() - span - 1));
    let last: Date | undefined;
    while (tick && tick.getTime() < date.getTime()) {
      last = tick;
      tick = cron.nextRun(tick);
    }
    if (last) return last;
  }
  return undefined;
}

/** Ticks in [from, to), at most `limit`. `from` itself counts when it is a tick. */
export function ticksBetween(cron: Cron, from: Date, to: Date, limit = 100_000): Date[] {
  const ticks: Date[] = [];
  let tick = cron.nextRun(new Date(from.getTime() - 1));
  while (tick && tick.getTime() < to.getTime() && ticks.length < limit) {
    ticks.push(tick);
    tick = cron.nextRun(tick);
  }
  return ticks;
}

/** The variables a scheduled execution sees as `trigger.*` (Kestra's Schedule.Output). */
export function scheduleVariables(cron: Cron, date: Date): Record<string, string> {
  const next = nextTick(cron, date);
  const previous = previousTick(cron, date);
  return {
    date: date.toISOString(),
    ...(next ? { next: next.toISOString() } : {}),
    ...(previous ? { previous: previous.toISOString() } : {}),
  };
}
