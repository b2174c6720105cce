// Fixed-window counters in PostgreSQL (table rate_limits), so that a limit holds across every web process.
import type { PrismaClient } from "../db/client";

export interface RateWindow {
  /** Hits in the current window, this one included (for hit) or so far (for peek). */
  count: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/** Counts one hit on `key` in a window of `windowMs`; the window restarts when it has passed. */
export async function hit(
  db: PrismaClient,
  key: string,
  windowMs: number,
  now = new Date(),
): Promise<RateWindow> {
  const expired = new Date(now.getTime() - windowMs);
  const rows = await db.$queryRaw<{ count: number; window_start: Date }[]>`
    insert into rate_limits (key, window_start, count) values (${key}, ${now}, 1)
    on conflict (key) do update set
      count = case when rate_limits.window_start <= ${expired} then 1 else rate_limits.count + 1 end,
      window_start = case when rate_limits.window_start <= ${expired} then ${now} else rate_limits.window_start end
    returning count, window_start`;
  if (Math.random() < 0.01) {
    // Now and then, forget windows that ended long ago.
    await db.$executeRaw`delete from rate_limits where window_start < ${new Date(now.getTime() - 86_400_000)}`;
  }
  return toWindow(rows[0], windowMs, now);
}

/** The current count of `key` without counting a hit. */
export async function peek(
  db: PrismaClient,
  key: string,
  windowMs: number,
  now = new Date(),
): Promise<RateWindow> {
  const rows = await db.$queryRaw<{ count: number; window_start: Date }[]>`
    select count, window_start from rate_limits where key = ${key}
      and window_start > ${new Date(now.getTime() - windowMs)}`;
  return toWindow(rows[0], windowMs, now);
}

export async function reset(db: PrismaClient, key: string): Promise<void> {
  await db.$executeRaw`delete from rate_limits where key = ${key}`;
}

function toWindow(
  row: { count: number; window_start: Date } | undefined,
  windowMs: number,
  now: Date,
): RateWindow {
  if (!row) return { count: 0, retryAfterSeconds: 0 };
  const endsAt = row.window_start.getTime() + windowMs;
  return {
    count: Number(row.count),
    retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)),
  };
}
