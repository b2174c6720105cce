// The benches' baselines (bench/temporal.ts, bench/peers): plain hand-written Temporal workflows doing
// trivial activities in sequence, what Cadenza is compared to.
import { proxyActivities } from "@temporalio/workflow";

export interface PlainActivities {
  noop(index: number): Promise<string>;
}

const { noop } = proxyActivities<PlainActivities>({ startToCloseTimeout: "1 minute" });

export async function plainChain(n: number): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < n; i++) results.push(await noop(i));
  return results;
}

/** Kestra's benchmark01: one step gives a value, the next logs it. */
export async function kestraTwo(name: string): Promise<string> {
  const message = await noop(0);
  return noop(message.length + name.length);
}

/** Kestra's 5 If tasks: the condition is code, each true branch one step. */
export async function kestraIfs(): Promise<void> {
  for (let i = 0; i < 5; i++) if (i < 10) await noop(i);
}
