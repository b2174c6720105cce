import { describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "../../embedded/test/harness";
import { createTemporalActivities } from "./index";
import { createStoredExecution } from "./store";

/**
 * A workflow task that times out after its local activities ran is attempted again from the workflow's
 * start: its `loadExecution` must give what the first attempt read, not the state that attempt's persists
 * wrote since (CI saw a child execution that had ended during the first attempt wait for ever in the
 * second). A new run of the workflow (continueAsNew) reads the row.
 */
const h = setUpEmbeddedEngine();

describe("loadExecution of a workflow run", () => {
  it("reads the execution once per run: a later attempt of the run gets the first read", async () => {
    await h.deploy(
      "id: one\nnamespace: run.start\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }\n",
    );
    const flow = await h.ctx.flows.current(h.pool, TENANT, "run.start", "one");
    if (!flow) throw new Error("flow not deployed");
    const { execution } = await createStoredExecution(h.ctx, TENANT, flow, {});
    const activities = createTemporalActivities(h.ctx, () => {
      throw new Error("no client in this test");
    });

    const first = await activities.loadExecution({
      tenantId: TENANT,
      executionId: execution.id,
      runId: "run-1",
    });
    expect(first.execution.state.current).toBe("CREATED");

    // What the first attempt's persists would leave behind.
    await h.pool.query(
      `update executions set document = jsonb_set(document, '{state,current}', '"SUCCESS"') where id = $1`,
      [execution.id],
    );

    const retried = await activities.loadExecution({
      tenantId: TENANT,
      executionId: execution.id,
      runId: "run-1",
    });
    expect(retried.execution).toEqual(first.execution);

    const next = await activities.loadExecution({
      tenantId: TENANT,
      executionId: execution.id,
      runId: "run-2",
    });
    expect(next.execution.state.current).toBe("SUCCESS");

    // Without a run (histories recorded before): the row, as before.
    const plain = await activities.loadExecution({ tenantId: TENANT, executionId: execution.id });
    expect(plain.execution.state.current).toBe("SUCCESS");
  });

  it("says so when the execution does not exist", async () => {
    const activities = createTemporalActivities(h.ctx, () => {
      throw new Error("no client in this test");
    });
    await expect(
      activities.loadExecution({ tenantId: TENANT, executionId: "missing", runId: "run-1" }),
    ).rejects.toThrow("execution missing not found");
  });
});
