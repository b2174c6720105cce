// Counters in PostgreSQL (table rate_limits), so that a limit holds across every web process:
//   hit()     — fixed windows: count, then compare (one statement, so parallel requests cannot all slip in);
//   attempt() — progressive delays: a few free attempts, then each one must wait twice as long as the last
//               since the previous allowed one. Counting and deciding are one statement too.
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

export interface BackoffPolicy {
  /** Attempts allowed without any delay. */
  free: number;
  /** Delay before the first attempt beyond `free`; each further one doubles it... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
  /** The count starts over when the last allowed attempt is older than this. */
  forgetAfterMs: number;
}

export type AttemptResult = { allowed: true; count: number } | { allowed: false; retryAfterSeconds: number };

/** The delay (ms) an attempt must wait after the previous one when `count` attempts were made already. */
export function backoffDelayMs(policy: BackoffPolicy, count: number): number {
  if (count < policy.free) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, count - policy.free));
}

/**
 * Counts an attempt on `key` if it is allowed now, in one statement: the row's window_start is the time of
 * the last allowed attempt and count the attempts so far; the conditional upsert returns no row when the
 * delay owed has not passed, so N parallel attempts make at most the allowed number of checks.
 */
export async function attempt(
  db: PrismaClient,
  key: string,
  policy: BackoffPolicy,
  now = new Date(),
): Promise<AttemptResult> {
  const forgotten = new Date(now.getTime() - policy.forgetAfterMs);
  // Parallel attempts carry clocks a little apart: free attempts are decided by the count alone, and the
  // time of the last attempt never goes backwards.
  const rows = await db.$queryRaw<{ count: number }[]>`
    insert into rate_limits as r (key, window_start, count) values (${key}, ${now}, 1)
    on conflict (key) do update set
      count = case when r.window_start <= ${forgotten} then 1 else r.count + 1 end,
      window_start = greatest(r.window_start, ${now})
    where r.window_start <= ${forgotten}
       or r.count < ${policy.free}
       or r.window_start + make_interval(secs => least(${policy.maxDelayMs}::float8,
            ${policy.baseDelayMs}::float8 * power(2, least(30, r.count - ${policy.free}))) / 1000.0)
          <= ${now}
    returning count`;
  const row = rows[0];
  if (row) return { allowed: true, count: Number(row.count) };
  const current = await db.rateLimit.findUnique({ where: { key } });
  const waitMs = current
    ? current.windowStart.getTime() + backoffDelayMs(policy, current.count) - now.getTime()
    : 0;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** Takes one attempt back (a success that should not count against later ones). */
export async function refund(db: PrismaClient, key: string): Promise<void> {
  await db.$executeRaw`update rate_limits set count = greatest(count - 1, 0) where key = ${key}`;
}
