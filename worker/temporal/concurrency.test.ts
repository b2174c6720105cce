import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { temporalAvailable } from "@/test/temporal";
import { setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import { setUpTemporalDriver } from "./test/driver-harness";

/**
 * A flow's `concurrency` limit on a real Temporal dev server when its executions start at the same
 * instant: each workflow counts the running ones in an activity, so the count and the claim of a slot
 * must be one step (activities/concurrency.ts), or all of them count 0 and run.
 */
const h = setUpEmbeddedEngine();
const N = 6;

const driver = setUpTemporalDriver(h, "Temporal concurrency tests");

const flowYaml = (id: string, behavior: string, limit = 1) => `id: ${id}
namespace: temporal.concurrency
concurrency:
  limit: ${limit}
  behavior: ${behavior}
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
`;

/** N executions of the flow started at once: every start in flight together. */
async function startAtOnce(flowId: string): Promise<Execution[]> {
  const temporalClient = driver.client();
  const flow = await h.ctx.flows.current(h.pool, TENANT, "temporal.concurrency", flowId);
  if (!flow) throw new Error(`flow ${flowId} not deployed`);
  const started = await Promise.all(Array.from({ length: N }, () => temporalClient.start(TENANT, flow)));
  return Promise.all(started.map((e) => temporalClient.waitForEnd(TENANT, e.id, 60_000)));
}

const states = (e: Execution) => e.state.histories.map((s) => s.state);

/** When the execution was RUNNING: from that state to the next one. */
function runningInterval(e: Execution): { id: string; from: number; to: number } | undefined {
  const at = e.state.histories.findIndex((s) => s.state === "RUNNING");
  if (at < 0) return undefined;
  const next = e.state.histories[at + 1];
  return {
    id: e.id,
    from: Date.parse(e.state.histories[at]?.date ?? ""),
    to: next ? Date.parse(next.date) : Number.POSITIVE_INFINITY,
  };
}

describe.skipIf(!temporalAvailable)(
  "a flow's concurrency limit, executions started at once (Temporal)",
  () => {
    it("limit 1 with QUEUE: one runs at a time, the others QUEUED first, all SUCCESS", async () => {
      await h.deploy(flowYaml("race-queue", "QUEUE"));
      const ended = await startAtOnce("race-queue");
      expect(ended.map((e) => e.state.current)).toEqual(Array(N).fill("SUCCESS"));
      const intervals = ended
        .map(runningInterval)
        .filter((i) => i !== undefined)
        .sort((a, b) => a.from - b.from);
      expect(intervals).toHaveLength(N);
      // No two RUNNING at once: each starts once the one before it has ended.
      for (let i = 1; i < intervals.length; i++)
        expect(
          intervals[i]?.from,
          `${intervals[i]?.id} ran beside ${intervals[i - 1]?.id}`,
        ).toBeGreaterThanOrEqual(intervals[i - 1]?.to ?? 0);
      const direct = ended.filter((e) => !states(e).includes("QUEUED"));
      expect(direct).toHaveLength(1);
      for (const e of ended.filter((x) => states(x).includes("QUEUED")))
        expect(states(e)).toEqual(["CREATED", "QUEUED", "RUNNING", "SUCCESS"]);
      expect(states(direct[0] as Execution)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
      // Every slot was given back: nothing of the flow is left counted as running.
      const left = await h.query<{ count: number }>(
        `select count(*)::int as count from executions where flow_id = 'race-queue' and state <> 'SUCCESS'`,
      );
      expect(left[0]?.count).toBe(0);
    }, 120_000);

    it("limit 1 with CANCEL: exactly one runs, the others end CANCELLED without running", async () => {
      await h.deploy(flowYaml("race-cancel", "CANCEL"));
      const ended = await startAtOnce("race-cancel");
      const success = ended.filter((e) => e.state.current === "SUCCESS");
      expect(success).toHaveLength(1);
      expect(states(success[0] as Execution)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
      for (const e of ended.filter((x) => x.state.current !== "SUCCESS"))
        expect(states(e)).toEqual(["CREATED", "CANCELLED"]);
    }, 120_000);

    it("limit 1 with FAIL: exactly one runs, the others end FAILED without running", async () => {
      await h.deploy(flowYaml("race-fail", "FAIL"));
      const ended = await startAtOnce("race-fail");
      const success = ended.filter((e) => e.state.current === "SUCCESS");
      expect(success).toHaveLength(1);
      for (const e of ended.filter((x) => x.state.current !== "SUCCESS"))
        expect(states(e)).toEqual(["CREATED", "FAILED"]);
    }, 120_000);

    it("limit 2 with QUEUE: never more than two at once, and both slots are used again as they free", async () => {
      await h.deploy(flowYaml("race-queue-two", "QUEUE", 2));
      const ended = await startAtOnce("race-queue-two");
      expect(ended.map((e) => e.state.current)).toEqual(Array(N).fill("SUCCESS"));
      const intervals = ended.map(runningInterval).filter((i) => i !== undefined);
      const overlapAt = (t: number) => intervals.filter((i) => i.from <= t && t < i.to).length;
      expect(Math.max(...intervals.map((i) => overlapAt(i.from)))).toBe(2);
      // Two ending at once release two queued ones (each end takes the next), so they run two by two; were
      // both ends to wake the same oldest one, the four queued would run one at a time.
      expect(intervals.filter((i) => overlapAt(i.from) === 2).length).toBeGreaterThanOrEqual(3);
    }, 120_000);
  },
);
