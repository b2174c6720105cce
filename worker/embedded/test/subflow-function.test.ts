import { beforeAll, describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "./harness";
import { REGIONS, selectFrom, subflowFunctionCases, subflowFunctionHelpers } from "./subflow-function-cases";

/**
 * subflow() (Kestra 2.0's SubflowFunction) on the embedded engine: the child is created in a transaction
 * of its own, committed, and waited for outside any transaction; where the engine renders inside its
 * transaction, the call is refused with a reason instead of waiting there.
 */
const h = setUpEmbeddedEngine();
const setUp = { h, client: () => h.client, timeoutMs: 60_000 };
const { start, refusal, executionsOf } = subflowFunctionHelpers(setUp);

beforeAll(async () => {
  await h.startRuntime();
  await h.deploy(REGIONS);
}, 60_000);

describe("subflow() on the embedded engine", () => {
  subflowFunctionCases(setUp);

  it("answers the whole child as a JSON input: id, state, outputs", async () => {
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

  it("looks the flow up in the caller's tenant only", async () => {
    await h.deploy(
      `id: elsewhere\nnamespace: company.team\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`,
      "tenant-other",
    );
    await h.deploy(selectFrom("other-tenant", "{{ subflow('company.team', 'elsewhere') }}"));
    expect(await refusal("other-tenant")).toContain(
      "failed to run subflow 'company.team'.'elsewhere': Unable to find flow 'company.team'.'elsewhere'",
    );
    expect(await executionsOf("elsewhere")).toHaveLength(0);
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
