import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { setUpEmbeddedEngine, TENANT } from "./harness";

/**
 * A flow's `concurrency` limit when its executions start at the same instant, on the embedded engine:
 * the count and the start's new state in one transaction under the flow's lock, and each ended
 * execution giving its slot to the next QUEUED one (worker/embedded/concurrency.ts).
 */
const h = setUpEmbeddedEngine();
const N = 6;

const flowYaml = (id: string, limit: number) => `id: ${id}
namespace: embedded.concurrency
concurrency:
  limit: ${limit}
  behavior: QUEUE
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
`;

/** When each execution was RUNNING: from that state to the next one. */
function runningIntervals(ended: Execution[]): { from: number; to: number }[] {
  return ended.map((e) => {
    const at = e.state.histories.findIndex((s) => s.state === "RUNNING");
    return {
      from: Date.parse(e.state.histories[at]?.date ?? ""),
      to: Date.parse(e.state.histories[at + 1]?.date ?? ""),
    };
  });
}

async function startAtOnce(flowId: string, limit: number): Promise<Execution[]> {
  await h.startRuntime({ scheduler: false });
  await h.deploy(flowYaml(flowId, limit));
  const started = await Promise.all(
    Array.from({ length: N }, () => h.client.start(TENANT, "embedded.concurrency", flowId)),
  );
  return Promise.all(started.map((e) => h.client.waitForEnd(TENANT, e.id, 30_000)));
}

describe("a flow's concurrency limit, executions started at once (embedded engine)", () => {
  it("limit 1: one runs at a time, all SUCCESS", async () => {
    const ended = await startAtOnce("at-once-one", 1);
    expect(ended.map((e) => e.state.current)).toEqual(Array(N).fill("SUCCESS"));
    const intervals = runningIntervals(ended).sort((a, b) => a.from - b.from);
    for (let i = 1; i < intervals.length; i++)
      expect(intervals[i]?.from).toBeGreaterThanOrEqual(intervals[i - 1]?.to ?? 0);
  }, 60_000);

  it("limit 2: never more than two at once, and two ending at once release two queued ones", async () => {
    const ended = await startAtOnce("at-once-two", 2);
    expect(ended.map((e) => e.state.current)).toEqual(Array(N).fill("SUCCESS"));
    const intervals = runningIntervals(ended);
    const overlapAt = (t: number) => intervals.filter((i) => i.from <= t && t < i.to).length;
    expect(Math.max(...intervals.map((i) => overlapAt(i.from)))).toBe(2);
    expect(intervals.filter((i) => overlapAt(i.from) === 2).length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
