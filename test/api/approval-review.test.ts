// Kestra 2.0's review of an Approval: POST /executions/{id}/actions/review and tRPC executions.review.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const REVIEWED = `id: reviewed
namespace: company.ops
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    commentRequired: ON_DENY
    onApprove:
      - { id: approved, type: core.log.Log, message: "approved by {{ outputs.approval.by }}" }
  - { id: after, type: core.log.Log, message: after }
`;
const QUICK = `id: quick
namespace: company.ops
tasks:
  - { id: hi, type: core.log.Log, message: hi }
`;

type Json = {
  id: string;
  state: { current: string };
  taskRunList: {
    id: string;
    taskId: string;
    state: { current: string };
    outputs?: Record<string, unknown>;
  }[];
};

describe("review of an Approval", () => {
  let admin = "";
  let viewer = "";
  const call = (method: string, path: string, body?: unknown, token = admin) =>
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
  const paused = async () => {
    const started = (await call("POST", "executions/company.ops/reviewed")).json as Json;
    return until(started.id, (e) => e.state.current === "PAUSED");
  };

  it("a Viewer is refused (EXECUTION:UPDATE), a denial needs its comment, an approval goes on and is audited", async () => {
    admin = (await api.admin("ops", "admin@ops.test")).token;
    for (const flow of [REVIEWED, QUICK]) await api.deploy("ops", admin, flow);
    const account = (await call("POST", "service-accounts", { name: "watcher" })).json as { id: string };
    await call("POST", "bindings", { subjectType: "SERVICE_ACCOUNT", subjectId: account.id, role: "Viewer" });
    viewer = (
      (await call("POST", `service-accounts/${account.id}/api-tokens`, { name: "ci" })).json as {
        token: string;
      }
    ).token;

    const execution = await paused();
    expect(execution.state.current).toBe("PAUSED");
    const refused = await call(
      "POST",
      `executions/${execution.id}/actions/review`,
      { decision: "APPROVED" },
      viewer,
    );
    expect(refused.status).toBe(403);
    expect((refused.json as { message: string }).message).toMatch(/EXECUTION:UPDATE/);

    const noComment = await call("POST", `executions/${execution.id}/actions/review`, { decision: "DENIED" });
    expect(noComment.status).toBe(422);
    expect((noComment.json as { message: string }).message).toMatch(
      /A comment is required to deny 'approval' \(commentRequired: ON_DENY\)/,
    );
    expect((await get(execution.id)).state.current).toBe("PAUSED");

    const approved = await call("POST", `executions/${execution.id}/actions/review`, {
      decision: "APPROVED",
      comment: "ship it",
    });
    expect(approved.status, approved.text).toBe(200);
    const done = await until(execution.id, (e) => e.state.current === "SUCCESS");
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["approval", "approved", "after"]);
    expect(done.taskRunList[0]?.outputs).toMatchObject({
      decision: "APPROVED",
      auto: false,
      by: "admin@ops.test",
      comment: "ship it",
    });

    const audit = await api.query<{ action: string; after: Record<string, unknown> }>(
      "select action, after from audit_logs where resource_id = $1 and action in ('APPROVE', 'DENY')",
      [execution.id],
    );
    expect(audit).toEqual([
      {
        action: "APPROVE",
        after: expect.objectContaining({ taskId: "approval", comment: "ship it" }),
      },
    ]);

    const again = await call("POST", `executions/${execution.id}/actions/review`, {
      decision: "DENIED",
      comment: "x",
    });
    expect(again.status).toBe(409);
  });

  it("an execution not waiting on an Approval is refused with 409; a denial through tRPC cancels", async () => {
    const quick = (await call("POST", "executions/company.ops/quick?wait=true")).json as Json;
    const ended = await call("POST", `executions/${quick.id}/actions/review`, { decision: "APPROVED" });
    expect(ended.status).toBe(409);
    expect((ended.json as { message: string }).message).toMatch(/not waiting on an Approval|has ended/);
    const bad = await call("POST", `executions/${quick.id}/actions/review`, { decision: "MAYBE" });
    expect(bad.status).toBe(400);

    const execution = await paused();
    const trpc = await api.trpc({ token: admin });
    await trpc.executions.review({
      tenant: "ops",
      executionId: execution.id,
      decision: "DENIED",
      comment: "no",
    });
    const done = await until(execution.id, (e) => e.state.current === "CANCELLED");
    expect(done.state.current).toBe("CANCELLED");
    expect(done.taskRunList[0]?.outputs).toMatchObject({ decision: "DENIED", comment: "no" });
  });
});
