import { maxAttemptsOf, type Retry } from "../flow/retry";
import { parseDuration } from "../util/duration";

/** Failsafe's default when a policy names neither maxAttempt(s) nor maxDuration: two retries. */
const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * When the next attempt should start, or undefined when the policy allows no more attempts.
 * `failedAttempts` counts the attempts that have failed so far (>= 1); `firstStart` is when the first began.
 */
export function nextRetryAt(
  retry: Retry,
  failedAttempts: number,
  firstStart: number,
  now: number,
  random: () => number,
): number | undefined {
  const max = maxAttemptsOf(retry) ?? (retry.maxDuration ? Number.POSITIVE_INFINITY : DEFAULT_MAX_ATTEMPTS);
  if (failedAttempts >= max) return undefined;
  let delay: number;
  switch (retry.type) {
    case "constant":
      delay = parseDuration(retry.interval) ?? 0;
      break;
    case "exponential": {
      const base = parseDuration(retry.interval) ?? 0;
      const cap = parseDuration(retry.maxInterval) ?? Number.POSITIVE_INFINITY;
      delay = Math.min(cap, base * (retry.delayFactor ?? 2) ** (failedAttempts - 1));
      break;
    }
    case "random": {
      const min = parseDuration(retry.minInterval) ?? 0;
      const maxInterval = parseDuration(retry.maxInterval) ?? min;
      delay = min + Math.floor(random() * Math.max(0, maxInterval - min));
      break;
    }
  }
  const at = now + Math.max(0, delay);
  if (retry.maxDuration) {
    const limit = firstStart + (parseDuration(retry.maxDuration) ?? Number.POSITIVE_INFINITY);
    if (at > limit) return undefined;
  }
  return at;
}
