// The REST journey with CADENZA_ENGINE=temporal: the same API, its executions run as Temporal workflows
// on a real Temporal dev server (test/temporal.ts), their read model in PostgreSQL. Skipped (reported
// skipped, never passed) when no Temporal binary or TEMPORAL_ADDRESS exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporalConnectionFrom } from "@/server/engine";
import { parseEnv } from "@/server/env";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { waitForTemporal } from "@/worker/temporal/connection";
import { setUpApi } from "./harness";

if (!temporalAvailable) console.warn(`REST journey on Temporal skipped: ${TEMPORAL_SKIP_REASON}`);

let temporal: TestTemporal | undefined;
beforeAll(async () => {
  if (!temporalAvailable) return;
  temporal = await startTestTemporal();
  await waitForTemporal({ address: temporal.address, namespace: temporal.namespace }, 30_000);
}, 60_000);

// Registered after the server's start: the harness reads the mode once Temporal listens. The mode comes
// from the environment the way a server process gets it (CADENZA_ENGINE, TEMPORAL_ADDRESS).
const api = setUpApi({
  mode: () =>
    temporal
      ? {
          kind: "temporal",
          temporal: temporalConnectionFrom(
            parseEnv({
              CADENZA_ENGINE: "temporal",
              TEMPORAL_ADDRESS: temporal.address,
              TEMPORAL_NAMESPACE: temporal.namespace,
            }),
          ),
        }
      : { kind: "embedded" },
});

afterAll(async () => {
  // After the harness's afterAll (which stops the engine's workers): registered later, run later.
  await temporal?.stop();
}, 60_000);

const HELLO = `id: hello
namespace: company.team
inputs:
  - { id: who, type: STRING, defaults: world }
tasks:
  - { id: say, type: io.kestra.plugin.core.log.Log, message: "hello {{ inputs.who }}" }
  - { id: out, type: core.output.OutputValues, values: { greeting: "hello {{ inputs.who }}" } }
outputs:
  - { id: greeting, type: STRING, value: "{{ outputs.out.values.greeting }}" }
`;
const FLAKY = `id: flaky
namespace: company.team
tasks:
  - { id: check, type: io.kestra.plugin.core.execution.Fail, condition: "{{ kv('fixed', errorOnMissing=false) == null }}" }
`;
const PAUSING = `id: pausing
namespace: company.team
tasks:
  - { id: wait, type: io.kestra.plugin.core.flow.Pause }
  - { id: after, type: io.kestra.plugin.core.log.Log, message: "resumed" }
`;
const APPROVING = `id: approving
namespace: company.team
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    commentRequired: ON_DENY
    onApprove: [{ id: approved, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.approval.by }}" }]
`;
const SLOW = `id: slow
namespace: company.team
tasks:
  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT5M }
`;

interface Exec {
  id: string;
  state: { current: string };
  outputs?: unknown;
}

describe.skipIf(!temporalAvailable)("REST journey with CADENZA_ENGINE=temporal", () => {
  let token = "";
  const poll = async (id: string, done: (state: string) => boolean, timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const response = await api.call("GET", `acme/executions/${id}`, { token });
      const execution = response.json as Exec;
      if (done(execution.state.current) || Date.now() > until) return execution;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it("creates a flow, executes it, polls it to SUCCESS and reads its logs", async () => {
    token = (await api.admin("acme", "admin@acme.test")).token;
    // The engine's Temporal workers poll every tenant's task queue: started once the tenant exists.
    await api.engine.startRuntime({ version: "test", retentionDays: 0, heartbeatMs: 500 });
    expect(api.engine.mode.kind).toBe("temporal");
    const created = await api.call("POST", "acme/flows", { token, body: HELLO });
    expect(created.status).toBe(200);
    const started = await api.call("POST", "acme/executions/company.team/hello", {
      token,
      body: { who: "Ada" },
    });
    expect(started.status).toBe(200);
    const id = (started.json as Exec).id;
    const done = await poll(id, (state) => state === "SUCCESS" || state === "FAILED");
    expect(done.state.current).toBe("SUCCESS");
    expect(done.outputs).toEqual({ greeting: "hello Ada" });
    const logs = await api.call("GET", `acme/logs/${id}`, { token });
    expect((logs.json as { message: string }[]).map((l) => l.message)).toContain("hello Ada");
    // It ran as a workflow: Temporal knows it, under the tenant's workflow id.
    const rows = await api.query<{ tenant_id: string }>("select tenant_id from executions where id = $1", [
      id,
    ]);
    const { Connection, Client } = await import("@temporalio/client");
    const connection = await Connection.connect({ address: temporal?.address ?? "" });
    try {
      const client = new Client({ connection, namespace: temporal?.namespace ?? "default" });
      // The workflow finishes once its "ended" activity (Flow triggers, queued executions) is done.
      const handle = client.workflow.getHandle(`cadenza/${rows[0]?.tenant_id}/${id}`);
      expect(await handle.result()).toMatchObject({ state: "SUCCESS" });
      expect((await handle.describe()).status.name).toBe("COMPLETED");
    } finally {
      await connection.close();
    }
  }, 90_000);

  it("kills a running execution; a second kill is refused with 409", async () => {
    await api.deploy("acme", token, SLOW);
    const started = await api.call("POST", "acme/executions/company.team/slow", { token, body: {} });
    const id = (started.json as Exec).id;
    await poll(id, (state) => state === "RUNNING");
    const killed = await api.call("DELETE", `acme/executions/${id}/kill`, { token });
    expect(killed.status).toBe(200);
    const done = await poll(id, (state) => state === "KILLED");
    expect(done.state.current).toBe("KILLED");
    const again = await api.call("DELETE", `acme/executions/${id}/kill`, { token });
    expect(again.status, again.text).toBe(409);
  }, 90_000);

  it("resumes a paused execution, and restarts a failed one in a new run of its workflow", async () => {
    await api.deploy("acme", token, PAUSING);
    const paused = await api.call("POST", "acme/executions/company.team/pausing", { token, body: {} });
    const pausedId = (paused.json as Exec).id;
    await poll(pausedId, (state) => state === "PAUSED");
    expect((await api.call("POST", `acme/executions/${pausedId}/resume`, { token })).status).toBe(200);
    expect((await poll(pausedId, (state) => state === "SUCCESS")).state.current).toBe("SUCCESS");

    await api.deploy("acme", token, FLAKY);
    const failed = await api.call("POST", "acme/executions/company.team/flaky", { token, body: {} });
    const failedId = (failed.json as Exec).id;
    expect((await poll(failedId, (state) => state === "FAILED")).state.current).toBe("FAILED");
    const kv = await api.call("PUT", "acme/namespaces/company.team/kv/fixed", {
      token,
      body: '"yes"',
      contentType: "application/json",
    });
    expect(kv.status, kv.text).toBeLessThan(300);
    const restarted = await api.call("POST", `acme/executions/${failedId}/restart`, { token });
    expect(restarted.status, restarted.text).toBe(200);
    const done = (await poll(failedId, (state) => state === "SUCCESS")) as Exec & {
      state: { histories: { state: string }[] };
    };
    expect(done.state.current).toBe("SUCCESS");
    expect(done.state.histories.map((h) => h.state)).toContain("RESTARTED");
    // Its workflow has ended: a restart that cannot apply is refused with the reason, as on the embedded
    // engine, rather than accepted and failed in a new run nobody hears of.
    const again = await api.call("POST", `acme/executions/${failedId}/restart`, { token });
    expect(again.status, again.text).toBe(409);
    expect(again.text).toMatch(/cannot restart an execution that is SUCCESS/i);
  }, 90_000);

  it("decides a waiting Approval through the workflow's operate update; a denial without its comment is refused", async () => {
    await api.deploy("acme", token, APPROVING);
    const started = await api.call("POST", "acme/executions/company.team/approving", { token, body: {} });
    const id = (started.json as Exec).id;
    await poll(id, (state) => state === "PAUSED");
    const review = (body: object) =>
      api.call("POST", `acme/executions/${id}/actions/review`, { token, body });
    const refused = await review({ decision: "DENIED" });
    expect(refused.status, refused.text).toBe(422);
    expect((refused.json as { message: string }).message).toMatch(/comment is required to deny/);
    const approved = await review({ decision: "APPROVED", comment: "ok" });
    expect(approved.status, approved.text).toBe(200);
    const done = (await poll(id, (state) => state === "SUCCESS")) as Exec & {
      taskRunList: { taskId: string; outputs?: Record<string, unknown> }[];
    };
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.map((r) => r.taskId)).toEqual(["approval", "approved"]);
    expect(done.taskRunList[0]?.outputs).toMatchObject({
      decision: "APPROVED",
      by: "admin@acme.test",
      comment: "ok",
    });
  }, 90_000);

  it("runs a Schedule trigger as a Temporal Schedule kept in sync by the server: fires, then stops when disabled", async () => {
    await api.deploy(
      "acme",
      token,
      `id: ticking
namespace: company.team
tasks:
  - { id: say, type: io.kestra.plugin.core.log.Log, message: "tick {{ trigger.date }}" }
triggers:
  - { id: every2s, type: io.kestra.plugin.core.trigger.Schedule, cron: "*/2 * * * * *", withSeconds: true }
`,
    );
    const ticks = () =>
      api.query<{ id: string; state: string; trigger: { id?: string; variables?: { date?: string } } }>(
        "select id, state, document->'trigger' as trigger from executions where flow_id = 'ticking'",
      );
    const until = Date.now() + 30_000;
    let rows = await ticks();
    while (!rows.some((r) => r.state === "SUCCESS") && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows = await ticks();
    }
    const done = rows.find((r) => r.state === "SUCCESS");
    expect(done?.trigger).toMatchObject({ id: "every2s", variables: { date: expect.any(String) } });

    const disabled = await api.call("PUT", "acme/triggers/company.team/ticking/every2s", {
      token,
      body: { disabled: true },
    });
    expect(disabled.status, disabled.text).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a run already started may still land
    const settled = (await ticks()).length;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await ticks()).length).toBe(settled);
  }, 60_000);
});
