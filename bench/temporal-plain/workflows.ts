// The bench's baseline (bench/temporal.ts): a plain hand-written Temporal workflow doing `n` trivial
// activities in sequence, what Cadenza on Temporal is compared to.
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
