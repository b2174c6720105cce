/**
 * Workload 3's load: POSTs to one start URL at a fixed rate (open loop: a request is sent when its time
 * comes, whether or not earlier ones have answered), each answering when its run has ended. Latency is
 * counted from the request's scheduled time, so a system that falls behind is not excused by the wait
 * (no coordinated omission). A rate passes when every run succeeded and the p99 is under the limit.
 */
import { percentile } from "./stats";

export interface RateStep {
  perMinute: number;
  sent: number;
  failed: number;
  p99: number;
  passed: boolean;
}

export async function atRate(
  url: string,
  perMinute: number,
  seconds: number,
  limitMs: number,
): Promise<RateStep> {
  const count = Math.max(1, Math.round((perMinute / 60) * seconds));
  const interval = 60_000 / perMinute;
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const begin = performance.now();
  for (let i = 0; i < count; i++) {
    const due = begin + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
        // A run still going after 10 s has failed the step anyway; do not let it hold the next one.
        signal: AbortSignal.timeout(Math.max(10_000, limitMs * 10)),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.ok) latencies.push(performance.now() - due);
          else failed++;
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const p99 = latencies.length ? percentile(latencies, 0.99) : Number.POSITIVE_INFINITY;
  return { perMinute, sent: count, failed, p99, passed: failed === 0 && p99 < limitMs };
}

/** Steps through `rates` (per minute, ascending) until one fails: the highest that passed, and each step. */
export async function highestRate(
  url: string,
  rates: number[],
  seconds: number,
  limitMs: number,
  report: (step: RateStep) => void,
): Promise<{ best?: RateStep; steps: RateStep[] }> {
  const steps: RateStep[] = [];
  let best: RateStep | undefined;
  for (const perMinute of rates) {
    const step = await atRate(url, perMinute, seconds, limitMs);
    steps.push(step);
    report(step);
    if (!step.passed) break;
    best = step;
  }
  return { ...(best ? { best } : {}), steps };
}
