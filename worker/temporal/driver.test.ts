import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { flowPath } from "@/test/conformance/corpus";
import { temporalAvailable } from "@/test/temporal";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import { setUpTemporalDriver } from "./test/driver-harness";

/**
 * The Temporal driver as the third user of the shared driver core (worker/core), on a real Temporal dev
 * server: what happens when an execution ends (Flow triggers, concurrency release), flow-level retries
 * as new executions, and secret masking in the read model it writes.
 */
const SECRET = "hunter2-correct-horse";
const h = setUpEmbeddedEngine({
  secret: async (_tenant, _namespace, name) => (name === "DB_PASSWORD" ? SECRET : undefined),
  secretValues: async () => [SECRET],
});
const corpus = (name: string) => readFileSync(flowPath(name), "utf8");
const histories = (e: Execution) => e.state.histories.map((s) => s.state);

const driver = setUpTemporalDriver(h, "Temporal driver tests");

const temporalClient = () => driver.client();
const start = async (namespace: string, flowId: string, inputs: Record<string, unknown> = {}) => {
  const flow = await h.ctx.flows.current(h.pool, TENANT, namespace, flowId);
  if (!flow) throw new Error(`flow ${namespace}.${flowId} not deployed`);
  return temporalClient().start(TENANT, flow, { inputs });
};

describe.skipIf(!temporalAvailable)("the Temporal driver on the shared driver core", () => {
  it("fires a Flow trigger when the upstream execution ends (the listener gets its outputs)", async () => {
    await h.deploy(corpus("trigger-flow-listener.yaml"));
    await h.deploy(corpus("trigger-flow.yaml"));
    const upstream = await start("io.kestra.tests.trigger", "trigger-flow");
    const ended = await temporalClient().waitForEnd(TENANT, upstream.id, 30_000);
    expect(ended.state.current).toBe("SUCCESS");
    const rows = await pollUntil(
      () =>
        h.query<{ id: string; state: string }>(
          "select id, state from executions where flow_id = 'trigger-flow-listener'",
        ),
      (r) => r[0]?.state === "SUCCESS",
      30_000,
    );
    expect(rows).toHaveLength(1);
    const listener = await temporalClient().waitForEnd(TENANT, rows[0]?.id ?? "", 1_000);
    expect(listener.inputs).toEqual({ "from-parent": `from parents: ${upstream.id}` });
    expect(listener.trigger?.id).toBe("listen-flow");
  }, 60_000);

  it("concurrency limit 1 with QUEUE: the second execution waits QUEUED and runs once the first ends", async () => {
    await h.deploy(corpus("flow-concurrency-queue.yml"));
    const first = await start("io.kestra.tests", "flow-concurrency-queue");
    await pollUntil(
      () => h.query<{ state: string }>("select state from executions where id = $1", [first.id]),
      (r) => r[0]?.state === "RUNNING",
      15_000,
    );
    const second = await start("io.kestra.tests", "flow-concurrency-queue");
    const queued = await pollUntil(
      () => h.query<{ state: string }>("select state from executions where id = $1", [second.id]),
      (r) => r[0]?.state === "QUEUED",
      15_000,
    );
    expect(queued[0]?.state).toBe("QUEUED");
    const a = await temporalClient().waitForEnd(TENANT, first.id, 30_000);
    const b = await temporalClient().waitForEnd(TENANT, second.id, 30_000);
    expect(histories(a)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
    expect(histories(b)).toEqual(["CREATED", "QUEUED", "RUNNING", "SUCCESS"]);
    // The queued one started only once the first had ended.
    const running = b.state.histories.find((s) => s.state === "RUNNING")?.date ?? "";
    expect(Date.parse(running)).toBeGreaterThanOrEqual(Date.parse(a.state.endDate ?? ""));
  }, 60_000);

  it("a flow-level retry CREATE_NEW_EXECUTION creates the next attempt as a new execution", async () => {
    await h.deploy(`id: retried
namespace: temporal.core
retry:
  type: constant
  interval: PT1S
  maxAttempts: 2
  behavior: CREATE_NEW_EXECUTION
tasks:
  - { id: fail, type: core.execution.Fail, errorMessage: always }
`);
    const first = await start("temporal.core", "retried");
    const ended = await temporalClient().waitForEnd(TENANT, first.id, 30_000);
    expect(ended.state.current).toBe("RETRIED");
    const rows = await pollUntil(
      () =>
        h.query<{ id: string; state: string }>(
          "select id, state from executions where flow_id = 'retried' and id <> $1",
          [first.id],
        ),
      (r) => r[0]?.state === "FAILED",
      30_000,
    );
    expect(rows).toHaveLength(1);
    const second = await temporalClient().waitForEnd(TENANT, rows[0]?.id ?? "", 1_000);
    expect(second.metadata.attemptNumber).toBe(2);
    expect(second.originalId).toBe(first.originalId ?? first.id);
  }, 60_000);

  it("KillTest.shouldKillTheExecutionWithPropagation: the Kill task kills the child started with wait: false", async () => {
    await h.deploy(corpus("child-flow.yaml"));
    await h.deploy(corpus("kill-with-propagation.yaml"));
    const parent = await start("io.kestra.tests", "kill-with-propagation");
    const ended = await temporalClient().waitForEnd(TENANT, parent.id, 30_000);
    expect(ended.state.current).toBe("KILLED");
    const childId = String(ended.taskRunList.find((r) => r.taskId === "subflow")?.outputs?.executionId);
    await pollUntil(
      () => h.query<{ id: string }>("select id from executions where id = $1", [childId]),
      (r) => r.length > 0,
      30_000,
    );
    const child = await temporalClient().waitForEnd(TENANT, childId, 30_000);
    expect(child.state.current).toBe("KILLED");
  }, 60_000);

  it("never writes a secret value to the executions, task runs or logs it stores", async () => {
    await h.deploy(`id: leaky
namespace: mask
tasks:
  - { id: lbl, type: core.execution.Labels, labels: { pw: "{{ secret('DB_PASSWORD') }}" } }
  - { id: log, type: core.log.Log, message: "password is {{ secret('DB_PASSWORD') }}" }
  - { id: out, type: core.output.OutputValues, values: { pw: "{{ secret('DB_PASSWORD') }}" } }
  - { id: vars, type: core.execution.SetVariables, variables: { pw: "{{ secret('DB_PASSWORD') }}" } }
  - { id: fail, type: core.execution.Fail, errorMessage: "bad {{ secret('DB_PASSWORD') }}", allowFailure: true }
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    env: { PW: "{{ secret('DB_PASSWORD') }}" }
    commands: ['echo "from a script: $PW"', 'echo "encoded: $(printf %s "$PW" | base64)"']
outputs:
  - { id: pw, type: STRING, value: "{{ outputs.out.values.pw }}" }
`);
    const started = await start("mask", "leaky");
    const done = await temporalClient().waitForEnd(TENANT, started.id, 60_000);
    expect(done.state.current).toBe("WARNING");
    const dump = JSON.stringify(
      await h.query(
        `select (select json_agg(e) from executions e where e.id = $1) as e,
           (select json_agg(t) from task_runs t where t.execution_id = $1) as t,
           (select json_agg(l) from log_entries l where l.execution_id = $1) as l`,
        [started.id],
      ),
    );
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain(Buffer.from(SECRET).toString("base64"));
    // Masked, not missing: the rows say where the secret was.
    const logs = await h.client.logs(TENANT, done.id);
    expect(logs.find((l) => l.taskId === "log")?.message).toBe("password is ******");
    expect(logs.some((l) => l.message.includes("from a script: ******"))).toBe(true);
    expect(done.taskRunList.find((r) => r.taskId === "out")?.outputs).toEqual({ values: { pw: "******" } });
    expect(done.outputs).toEqual({ pw: "******" });
  }, 90_000);

  it("runs light tasks and the end's bookkeeping as local activities, a script as an activity", async () => {
    await h.deploy(`id: light
namespace: temporal.core
tasks:
  - { id: log, type: core.log.Log, message: hello }
  - { id: ret, type: core.debug.Return, format: ret }
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["echo script"]
  - { id: after, type: core.debug.Return, format: "after {{ outputs.shell.exitCode }}" }
`);
    const started = await start("temporal.core", "light");
    const done = await temporalClient().waitForEnd(TENANT, started.id, 60_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList.find((r) => r.taskId === "after")?.outputs).toEqual({ value: "after 0" });
    const history = await temporalClient()
      .client.workflow.getHandle(`cadenza/${TENANT}/${started.id}`)
      .fetchHistory();
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(scheduled).toEqual(["runTask"]);
  }, 60_000);
});
