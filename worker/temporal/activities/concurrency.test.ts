import { describe, expect, it } from "vitest";
import { lockFlowConcurrency, requeueGiven, takeQueued } from "../../embedded/concurrency";
import { withTransaction } from "../../embedded/db";
import { setUpEmbeddedEngine, TENANT } from "../../embedded/test/harness";
import { claimConcurrencySlot } from "./concurrency";
import { createStoredExecution } from "./store";

/**
 * The claim of a concurrency slot (the `runningCount` activity) and its release, on PostgreSQL without a
 * Temporal server: counts taken at once see each other's claims, a retried claim claims the same, and a
 * release gives each freed slot to another queued execution.
 */
const h = setUpEmbeddedEngine();
const NS = "claim.concurrency";

async function stored(flowId: string, n: number): Promise<string[]> {
  await h.deploy(`id: ${flowId}
namespace: ${NS}
concurrency: { limit: 1, behavior: QUEUE }
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }
`);
  const flow = await h.ctx.flows.current(h.pool, TENANT, NS, flowId);
  if (!flow) throw new Error("flow not deployed");
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await createStoredExecution(h.ctx, TENANT, flow, {})).execution.id);
  return ids;
}

const states = async (ids: string[]) =>
  (
    await h.query<{ id: string; state: string }>("select id, state from executions where id = any($1)", [ids])
  ).reduce<Record<string, string>>((all, r) => Object.assign(all, { [r.id]: r.state }), {});

const claim = (flowId: string, executionId: string, limit?: number) =>
  claimConcurrencySlot(h.pool, {
    tenantId: TENANT,
    namespace: NS,
    flowId,
    executionId,
    ...(limit === undefined ? {} : { limit, behavior: "QUEUE" as const }),
  });

describe("claimConcurrencySlot", () => {
  it("of six counted at once, one sees 0 and is marked RUNNING, the five others are QUEUED", async () => {
    const ids = await stored("at-once", 6);
    const counts = await Promise.all(ids.map((id) => claim("at-once", id, 1)));
    expect(counts.filter((c) => c === 0)).toHaveLength(1);
    const after = await states(ids);
    const running = ids.filter((id) => after[id] === "RUNNING");
    expect(running).toHaveLength(1);
    expect(ids.filter((id) => after[id] === "QUEUED")).toHaveLength(5);
    // The one that ran is the one that counted 0; its claim retried claims the same.
    expect(counts[ids.indexOf(running[0] as string)]).toBe(0);
    expect(await claim("at-once", running[0] as string, 1)).toBe(0);
    expect((await states(ids))[running[0] as string]).toBe("RUNNING");
  });

  it("without a limit (a workflow of older code) it only counts", async () => {
    const [id] = await stored("count-only", 1);
    expect(await claim("count-only", id as string)).toBe(0);
    expect((await states([id as string]))[id as string]).toBe("CREATED");
  });

  it("a release gives the freed slot to the oldest QUEUED one, a second release to the next", async () => {
    const ids = await stored("release", 3);
    await Promise.all(ids.map((id) => claim("release", id, 1)));
    const before = await states(ids);
    const first = ids.find((id) => before[id] === "RUNNING") as string;
    expect(first).toBeDefined();
    // The documents as their persists write them: the running one ends, the others QUEUED.
    await h.pool.query(`update executions set state = 'SUCCESS' where id = $1`, [first]);
    await h.pool.query(
      `update executions set document = jsonb_set(document, '{state,current}', '"QUEUED"') where state = 'QUEUED' and id = any($1)`,
      [ids],
    );
    const queued = (
      await h.query<{ id: string }>(
        "select id from executions where id = any($1) and id <> $2 order by created_at, id",
        [ids, first],
      )
    ).map((r) => r.id);
    const release = () =>
      withTransaction(h.pool, async (c) => {
        const key = { tenantId: TENANT, namespace: NS, flowId: "release" };
        await lockFlowConcurrency(c, key);
        return takeQueued(c, key, 1);
      });
    const oldest = queued[0] as string;
    expect(await release()).toEqual([oldest]);
    expect((await states([oldest]))[oldest]).toBe("RUNNING");
    // Its start not applied yet (a release that failed before sending it, retried): sent again, and no
    // second slot is given while it holds the only one.
    expect(await release()).toEqual([oldest]);
    expect((await states(queued))[queued[1] as string]).toBe("QUEUED");
    // A second execution counting now sees the slot taken.
    expect(await claim("release", queued[1] as string, 1)).toBe(1);
    // Its start refused (its workflow gone): the slot is given back, to the next release's oldest.
    await requeueGiven(h.pool, oldest);
    expect((await states([oldest]))[oldest]).toBe("QUEUED");
    expect(await claim("release", queued[1] as string, 1)).toBe(0);
  });
});
