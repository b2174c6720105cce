// Kestra's force-run, unqueue, change-status and resume/validate, at the 1.x paths and under 2.0's actions/.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const QUICK = `id: quick
namespace: company.ops
tasks:
  - { id: hi, type: core.log.Log, message: hi }
`;
const FAILING = `id: failing
namespace: company.ops
tasks:
  - { id: boom, type: core.execution.Fail }
`;
const QUEUEING = `id: queueing
namespace: company.ops
concurrency: { limit: 1 }
tasks:
  - { id: wait, type: core.flow.Sleep, duration: PT1S }
`;
const ASKING = `id: asking
namespace: company.ops
tasks:
  - id: approve
    type: core.flow.Pause
    onResume:
      - { id: approved, type: BOOLEAN }
      - { id: reason, type: STRING, defaults: "none given" }
  - { id: after, type: core.log.Log, message: "{{ outputs.approve.onResume.approved }}" }
`;

type Json = { id: string; state: { current: string; histories: { state: string }[] } };

describe("execution actions: force-run, unqueue, change-status, resume/validate", () => {
  let token = "";
  const call = (method: string, path: string, body?: unknown) =>
    api.call(method, `ops/${path}`, { token, ...(body !== undefined ? { body } : {}) });
  const get = async (id: string) => (await call("GET", `executions/${id}`)).json as Json;
  const until = async (id: string, done: (e: Json) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const e = await get(id);
      if (done(e)) return e;
      await new Promise((r) => setTimeout(r, 50));
    }
    return get(id);
  };

  it("force-run starts a scheduled execution now; an ended one is refused", async () => {
    token = (await api.admin("ops", "admin@ops.test")).token;
    for (const flow of [QUICK, FAILING, QUEUEING, ASKING]) await api.deploy("ops", token, flow);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = (await call("POST", `executions/company.ops/quick?scheduleDate=${later}`)).json as Json;
    expect(scheduled.state.current).toBe("CREATED");
    const forced = await call("POST", `executions/${scheduled.id}/force-run`);
    expect(forced.status).toBe(200);
    const done = await until(scheduled.id, (e) => e.state.current === "SUCCESS");
    expect(done.state.current).toBe("SUCCESS");
    const again = await call("POST", `executions/${scheduled.id}/actions/force-run`);
    expect(again.status).toBe(409);
    expect((again.json as { message: string }).message).toMatch(/has ended \(SUCCESS\)/);
  });

  it("unqueue runs a QUEUED execution past the concurrency limit; anything else is refused", async () => {
    const first = (await call("POST", "executions/company.ops/queueing")).json as Json;
    const second = (await call("POST", "executions/company.ops/queueing")).json as Json;
    await until(second.id, (e) => e.state.current === "QUEUED");
    const unqueued = await call("POST", `executions/${second.id}/unqueue`);
    expect(unqueued.status).toBe(200);
    expect((unqueued.json as Json).state.current).toBe("RUNNING");
    const both = await Promise.all([
      until(first.id, (e) => e.state.current === "SUCCESS"),
      until(second.id, (e) => e.state.current === "SUCCESS"),
    ]);
    expect(both.map((e) => e.state.current)).toEqual(["SUCCESS", "SUCCESS"]);
    expect(both[1].state.histories.map((h) => h.state)).toEqual(["CREATED", "QUEUED", "RUNNING", "SUCCESS"]);
    const refused = await call("POST", `executions/${second.id}/actions/unqueue`);
    expect(refused.status).toBe(409);
    expect((refused.json as { message: string }).message).toMatch(/only a QUEUED execution can be unqueued/);
  });

  it("change-status gives an ended execution another end state, and only that", async () => {
    const failed = (await call("POST", "executions/company.ops/failing?wait=true")).json as Json;
    expect(failed.state.current).toBe("FAILED");
    const changed = await call("POST", `executions/${failed.id}/change-status?status=SUCCESS`);
    expect(changed.status).toBe(200);
    expect((changed.json as Json).state.current).toBe("SUCCESS");
    expect((await get(failed.id)).state.histories.map((h) => h.state).slice(-2)).toEqual([
      "FAILED",
      "SUCCESS",
    ]);
    const notEnd = await call("POST", `executions/${failed.id}/actions/change-status?status=RUNNING`);
    expect(notEnd.status).toBe(422);
    const paused = (await call("POST", "executions/company.ops/asking")).json as Json;
    await until(paused.id, (e) => e.state.current === "PAUSED");
    const running = await call("POST", `executions/${paused.id}/change-status?status=SUCCESS`);
    expect(running.status).toBe(409);
  });

  it("by-ids and by-query: each execution on its own, refusals counted with why", async () => {
    const failed = (await call("POST", "executions/company.ops/failing?wait=true")).json as Json;
    const ok = (await call("POST", "executions/company.ops/quick?wait=true")).json as Json;
    const changed = await call("POST", "executions/change-status/by-ids?newStatus=WARNING", [
      failed.id,
      ok.id,
    ]);
    expect(changed.json).toEqual({ count: 2, failed: 0, errors: [] });
    expect((await get(failed.id)).state.current).toBe("WARNING");
    expect((await call("POST", "executions/change-status/by-ids", [failed.id])).status).toBe(400);
    const unqueued = await call("POST", "executions/unqueue/by-ids", [ok.id]);
    expect(unqueued.json).toMatchObject({ count: 0, failed: 1, errors: [{ id: ok.id }] });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = (
      await call("POST", `executions/company.ops/quick?scheduleDate=${later}&labels=bulk:force`)
    ).json as Json;
    const forced = await call("POST", "executions/force-run/by-query?labels=bulk:force&state=CREATED");
    expect(forced.json).toMatchObject({ count: 1, failed: 0 });
    expect((await until(scheduled.id, (e) => e.state.current === "SUCCESS")).state.current).toBe("SUCCESS");
  });

  it("resume/validate reads the onResume inputs as the resume would, without resuming", async () => {
    const paused = (await call("POST", "executions/company.ops/asking")).json as Json;
    await until(paused.id, (e) => e.state.current === "PAUSED");
    const missing = await call("POST", `executions/${paused.id}/resume/validate`, {});
    expect(missing.status).toBe(200);
    expect(missing.json).toMatchObject({
      id: "asking",
      namespace: "company.ops",
      inputs: [
        { id: "approved", errors: [{ message: "missing required input" }] },
        { id: "reason", value: "none given", isDefault: true, errors: [] },
      ],
    });
    const given = await call("POST", `executions/${paused.id}/resume/validate`, { approved: "true" });
    expect(given.json).toMatchObject({
      inputs: [{ id: "approved", value: true, errors: [] }, { id: "reason" }],
    });
    expect((await get(paused.id)).state.current).toBe("PAUSED");
    const quick = (await call("POST", "executions/company.ops/quick?wait=true")).json as Json;
    expect((await call("POST", `executions/${quick.id}/resume/validate`, {})).status).toBe(409);
  });
});
