import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Execution, InputValidationError } from "@/engine/executor";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { EngineClient } from "../embedded/api";
import { setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import { TemporalEngineClient } from "./client";
import { waitForTemporal } from "./connection";
import { temporalRunner } from "./runner";
import { type RunningTemporalWorker, startTemporalWorker } from "./worker";

/**
 * subflow() (Kestra 2.0's SubflowFunction) in Temporal mode, on a real Temporal dev server: where inputs
 * are rendered (the client creating an execution, outside any workflow) the child runs as a workflow of
 * its own and is waited for; inside workflow code (a flowable's properties, the flow's outputs) the call
 * is refused with its reason.
 */
const h = setUpEmbeddedEngine();

if (!temporalAvailable) console.warn(`Temporal subflow() tests skipped: ${TEMPORAL_SKIP_REASON}`);

let temporal: TestTemporal | undefined;
let worker: RunningTemporalWorker | undefined;
let connection: TemporalEngineClient | undefined;
/** The server's client in Temporal mode: starts go through the Temporal runner. */
let engine: EngineClient | undefined;

beforeAll(async () => {
  if (!temporalAvailable) return;
  temporal = await startTestTemporal();
  const options = { address: temporal.address, namespace: temporal.namespace };
  await waitForTemporal(options, 30_000);
  worker = await startTemporalWorker({ ctx: h.ctx, ...options, tenantIds: [TENANT] });
  connection = await TemporalEngineClient.connect(h.ctx, options);
  engine = new EngineClient(h.ctx, temporalRunner(h.ctx, connection.client));
  await h.deploy(`id: regions
namespace: company.team
inputs:
  - { id: prefix, type: STRING, defaults: us }
tasks:
  - { id: log, type: core.log.Log, message: "listing {{ inputs.prefix }}" }
outputs:
  - { id: first, type: STRING, value: "{{ inputs.prefix }}-west" }
`);
}, 90_000);
afterAll(async () => {
  await engine?.close();
  await worker?.shutdown();
  await connection?.close();
  await temporal?.stop();
}, 60_000);

const client = () => engine as EngineClient;

const selectFrom = (id: string, expression: string) => `id: ${id}
namespace: company.team
inputs:
  - id: region
    type: SELECT
    expression: "${expression}"
tasks:
  - { id: log, type: core.log.Log, message: "{{ inputs.region }}" }
`;

const start = (flowId: string, inputs: Record<string, unknown> = {}) =>
  client().start(TENANT, "company.team", flowId, { inputs });

async function refusal(flowId: string, inputs: Record<string, unknown> = { region: "x" }): Promise<string> {
  const error = await start(flowId, inputs).catch((e) => e);
  expect(error).toBeInstanceOf(InputValidationError);
  return (error as InputValidationError).errors.map((e) => e.message).join("\n");
}

const executionsOf = (flowId: string) =>
  h.query<{ id: string; state: string }>("select id, state from executions where flow_id = $1", [flowId]);

describe.skipIf(!temporalAvailable)("subflow() in Temporal mode", () => {
  it("runs the child as a workflow where inputs are rendered: its outputs, state and labels are read", async () => {
    await h.deploy(
      selectFrom(
        "form",
        "{{ [subflow('company.team', 'regions', {'prefix': 'eu'}, labels={'team': 'ops'}).outputs.first, 'other'] }}",
      ),
    );
    const started = await start("form", { region: "eu-west" });
    const done = await client().waitForEnd(TENANT, started.id, 30_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.inputs).toEqual({ region: "eu-west" });
    const [child] = await executionsOf("regions");
    const stored = (await client().get(TENANT, child?.id ?? "")) as Execution;
    expect(stored.state.current).toBe("SUCCESS");
    expect(stored.inputs).toEqual({ prefix: "eu" });
    expect(stored.outputs).toEqual({ first: "eu-west" });
    expect(stored.labels).toContainEqual({ key: "team", value: "ops" });

    // The execute dialog's validation renders the same way.
    const { inputs } = await client().validateInputs(TENANT, "company.team", "form", {
      inputs: { region: "eu-west" },
    });
    expect(inputs.find((i) => i.id === "region")).toMatchObject({ value: "eu-west", errors: [] });
    expect(await executionsOf("regions")).toHaveLength(2);
  }, 90_000);

  it("refuses the inputs when the child fails, or is out of the caller namespace's reach", async () => {
    await h.deploy(`id: failing
namespace: company.team
tasks:
  - { id: fail, type: core.execution.Fail }
`);
    await h.deploy(selectFrom("on-failing", "{{ subflow('company.team', 'failing') }}"));
    expect(await refusal("on-failing")).toMatch(
      /subflow 'company.team'.'failing' ended in state FAILED \(execution \w+\)/,
    );
    expect((await executionsOf("failing")).map((e) => e.state)).toEqual(["FAILED"]);
    expect(await executionsOf("on-failing")).toHaveLength(0);

    await h.deploy(`id: regions\nnamespace: other\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`);
    await h.deploy(selectFrom("cross", "{{ subflow('other', 'regions') }}"));
    expect(await refusal("cross")).toContain("namespace 'company.team' may not reach 'other'");
    expect(
      await h.query("select id from executions where namespace = 'other' and flow_id = 'regions'"),
    ).toHaveLength(0);
  }, 90_000);

  it("gives up on a child that has not ended within the timeout", async () => {
    await h.deploy(`id: slow
namespace: company.team
tasks:
  - { id: sleep, type: core.flow.Sleep, duration: PT10M }
`);
    await h.deploy(selectFrom("impatient", "{{ subflow('company.team', 'slow', timeout='PT1S') }}"));
    const began = Date.now();
    expect(await refusal("impatient")).toMatch(
      /failed to run subflow 'company.team'.'slow': execution \w+ did not end within 1000 ms/,
    );
    expect(Date.now() - began).toBeLessThan(15_000);
    const [slow] = await executionsOf("slow");
    expect(slow?.state).toBe("RUNNING");
    await client().operate(TENANT, slow?.id ?? "", { type: "kill" });
  }, 90_000);

  it("stops a flow whose inputs call subflow() on itself at depth 3, starting nothing", async () => {
    await h.deploy(`id: looping
namespace: company.team
inputs:
  - id: again
    type: JSON
    defaults: "{{ subflow('company.team', 'looping') }}"
tasks:
  - { id: log, type: core.log.Log, message: never }
`);
    expect(await refusal("looping", {})).toContain("exceeded the maximum nesting depth of 3");
    expect(await executionsOf("looping")).toHaveLength(0);
  }, 90_000);

  it("refuses a call the workflow renders (a flowable's properties), with its reason, starting nothing", async () => {
    await h.deploy(`id: in-workflow
namespace: company.team
tasks:
  - id: check
    type: core.flow.If
    condition: "{{ subflow('company.team', 'regions').state == 'SUCCESS' }}"
    then:
      - { id: log, type: core.log.Log, message: hi }
`);
    const before = (await executionsOf("regions")).length;
    const ended = await client().waitForEnd(TENANT, (await start("in-workflow")).id, 30_000);
    expect(ended.state.current).toBe("FAILED");
    const check = ended.taskRunList.find((r) => r.taskId === "check");
    const logs = await client().logs(TENANT, ended.id);
    expect(
      [check?.attempts.at(-1)?.error?.message ?? "", ...logs.map((l) => l.message)].join("\n"),
    ).toContain("subflow(): can only be used at flow-input render time");
    expect(await executionsOf("regions")).toHaveLength(before);
  }, 90_000);
});
