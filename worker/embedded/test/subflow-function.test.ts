import { beforeAll, describe, expect, it } from "vitest";
import { type Execution, InputValidationError } from "@/engine/executor";
import { setUpEmbeddedEngine, TENANT } from "./harness";

/**
 * subflow() (Kestra 2.0's SubflowFunction) on the embedded engine: the child is created in a transaction
 * of its own, committed, and waited for outside any transaction; where the engine renders inside its
 * transaction, the call is refused with a reason instead of waiting there.
 */
const h = setUpEmbeddedEngine();

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
  h.client.start(TENANT, "company.team", flowId, { inputs });

/** The reasons the inputs were refused (InputValidationError), or fails the test. */
async function refusal(flowId: string, inputs: Record<string, unknown> = { region: "x" }): Promise<string> {
  const error = await start(flowId, inputs).catch((e) => e);
  expect(error).toBeInstanceOf(InputValidationError);
  return (error as InputValidationError).errors.map((e) => e.message).join("\n");
}

const executionsOf = (flowId: string) =>
  h.query<{ id: string; state: string }>("select id, state from executions where flow_id = $1", [flowId]);

beforeAll(async () => {
  await h.startRuntime();
  await h.deploy(`id: regions
namespace: company.team
inputs:
  - { id: prefix, type: STRING, defaults: us }
tasks:
  - { id: log, type: core.log.Log, message: "listing {{ inputs.prefix }}" }
outputs:
  - { id: first, type: STRING, value: "{{ inputs.prefix }}-west" }
`);
  await h.deploy(`id: failing
namespace: company.team
tasks:
  - { id: fail, type: core.execution.Fail }
`);
}, 60_000);

describe("subflow() on the embedded engine", () => {
  it("runs the flow to its end where inputs are rendered: the child's outputs, state and labels are read", async () => {
    await h.deploy(
      selectFrom(
        "form",
        "{{ [subflow('company.team', 'regions', {'prefix': 'eu'}, labels={'team': 'ops'}).outputs.first, 'other'] }}",
      ),
    );
    const started = await start("form", { region: "eu-west" });
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.inputs).toEqual({ region: "eu-west" });
    const [child] = await executionsOf("regions");
    const stored = (await h.client.get(TENANT, child?.id ?? "")) as Execution;
    expect(stored.state.current).toBe("SUCCESS");
    expect(stored.inputs).toEqual({ prefix: "eu" });
    expect(stored.labels).toContainEqual({ key: "team", value: "ops" });

    await h.deploy(`id: whole
namespace: company.team
inputs:
  - id: result
    type: JSON
    defaults: "{{ subflow(namespace='company.team', id='regions') }}"
tasks:
  - { id: log, type: core.log.Log, message: "{{ inputs.result.state }}" }
`);
    const whole = await h.client.waitForEnd(TENANT, (await start("whole")).id, 20_000);
    const answer = whole.inputs.result as Record<string, unknown>;
    expect(answer).toMatchObject({ state: "SUCCESS", outputs: { first: "us-west" } });
    expect((await h.client.get(TENANT, answer.id as string))?.flowId).toBe("regions");
  }, 60_000);

  it("validates inputs as the execute dialog does (nothing of the caller is created)", async () => {
    const before = (await executionsOf("regions")).length;
    const { inputs } = await h.client.validateInputs(TENANT, "company.team", "form", {
      inputs: { region: "eu-west" },
    });
    expect(inputs.find((i) => i.id === "region")).toMatchObject({ value: "eu-west", errors: [] });
    expect(await executionsOf("regions")).toHaveLength(before + 1);
    expect(await executionsOf("form")).toHaveLength(1);
  }, 60_000);

  it("refuses the inputs when the child fails, is unknown (in this tenant), or is out of the namespace's reach", async () => {
    await h.deploy(selectFrom("on-failing", "{{ subflow('company.team', 'failing') }}"));
    expect(await refusal("on-failing")).toMatch(
      /subflow 'company.team'.'failing' ended in state FAILED \(execution \w+\)/,
    );
    const [failed] = await executionsOf("failing");
    expect(failed?.state).toBe("FAILED");
    expect(await executionsOf("on-failing")).toHaveLength(0);

    await h.deploy(
      `id: elsewhere\nnamespace: company.team\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`,
      "tenant-other",
    );
    await h.deploy(selectFrom("other-tenant", "{{ subflow('company.team', 'elsewhere') }}"));
    expect(await refusal("other-tenant")).toContain(
      "failed to run subflow 'company.team'.'elsewhere': Unable to find flow 'company.team'.'elsewhere'",
    );
    expect(await executionsOf("elsewhere")).toHaveLength(0);

    await h.deploy(`id: regions\nnamespace: other\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`);
    await h.deploy(selectFrom("cross", "{{ subflow('other', 'regions') }}"));
    expect(await refusal("cross")).toContain("namespace 'company.team' may not reach 'other'");
    expect(
      await h.query("select id from executions where namespace = 'other' and flow_id = 'regions'"),
    ).toHaveLength(0);
  }, 60_000);

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
    expect(Date.now() - began).toBeLessThan(10_000);
    expect((await executionsOf("slow")).map((e) => e.state)).toEqual(["RUNNING"]);
  }, 60_000);

  it("stops a flow whose inputs call subflow() on itself at depth 3, creating nothing", async () => {
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
  }, 60_000);

  it("refuses, with its reason, a call the engine renders inside its transaction or in a task's properties", async () => {
    await h.deploy(`id: in-outputs
namespace: company.team
tasks:
  - { id: log, type: core.log.Log, message: hi }
outputs:
  - { id: result, type: JSON, value: "{{ subflow('company.team', 'regions') }}" }
`);
    const before = (await executionsOf("regions")).length;
    const outputs = await h.client.waitForEnd(TENANT, (await start("in-outputs")).id, 20_000);
    expect(outputs.state.current).toBe("FAILED");
    const logs = await h.client.logs(TENANT, outputs.id);
    expect(logs.map((l) => l.message).join("\n")).toContain(
      "it cannot wait for a flow where the engine renders this expression (inside its transaction",
    );

    await h.deploy(`id: in-task
namespace: company.team
tasks:
  - { id: log, type: core.log.Log, message: "{{ subflow('company.team', 'regions') }}" }
`);
    const task = await h.client.waitForEnd(TENANT, (await start("in-task")).id, 20_000);
    expect(task.state.current).toBe("FAILED");
    expect(task.taskRunList[0]?.attempts.at(-1)?.error?.message).toContain(
      "can only be used at flow-input render time",
    );
    expect(await executionsOf("regions")).toHaveLength(before);
  }, 60_000);
});
