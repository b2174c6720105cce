import { describe, expect, it } from "vitest";
import { InputValidationError } from "@/engine/executor";
import { type Flow, loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { MemoryEngine, VirtualClock } from "./memory";

const load = (yaml: string): Flow => {
  const { flow, errors } = loadFlow(yaml, { registry: builtInRegistry() });
  expect(errors).toEqual([]);
  return flow as Flow;
};

const regions = load(`id: regions
namespace: company.team
inputs:
  - id: prefix
    type: STRING
    defaults: us
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: listing {{ inputs.prefix }}
outputs:
  - id: first
    type: STRING
    value: "{{ inputs.prefix }}-west"
`);

const failing = load(`id: failing
namespace: company.team
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
`);

function setup(...flows: Flow[]) {
  const engine = new MemoryEngine({ registry: builtInRegistry(), clock: new VirtualClock(), flows });
  const start = async (yaml: string, inputs: Record<string, unknown> = {}) => {
    const started = await engine.start(load(yaml), { inputs });
    const done = await engine.wait(started.id);
    expect(engine.takeFailures()).toEqual([]);
    return done;
  };
  const errorsOf = async (yaml: string, inputs: Record<string, unknown> = { region: "x" }) => {
    const error = await engine.start(load(yaml), { inputs }).catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).errors.map((e) => e.message).join("\n");
  };
  return { engine, start, errorsOf };
}

const selectFrom = (expression: string) => `id: form
namespace: company.team
inputs:
  - id: region
    type: SELECT
    expression: "${expression}"
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.region }}"
`;

describe("subflow() (Kestra 2.0's SubflowFunction)", () => {
  it("runs a flow to its end where inputs are rendered and answers its id, state, outputs and labels", async () => {
    const { engine, start } = setup(regions);
    const done = await start(
      selectFrom(
        "{{ [subflow('company.team', 'regions', {'prefix': 'eu'}, labels={'team': 'ops'}).outputs.first, 'other'] }}",
      ),
      { region: "eu-west" },
    );
    expect(done.state.current).toBe("SUCCESS");
    expect(done.inputs).toEqual({ region: "eu-west" });
    const child = [...engine.executions.values()].find((e) => e.flowId === "regions");
    expect(child?.state.current).toBe("SUCCESS");
    expect(child?.inputs).toEqual({ prefix: "eu" });
    expect(child?.labels).toContainEqual({ key: "team", value: "ops" });

    const result = await start(`id: whole
namespace: company.team
inputs:
  - id: result
    type: JSON
    defaults: "{{ subflow(namespace='company.team', id='regions') }}"
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.result.state }}"
`);
    const answer = result.inputs.result as Record<string, unknown>;
    expect(answer).toMatchObject({ state: "SUCCESS", outputs: { first: "us-west" } });
    expect(engine.executions.get(answer.id as string)?.flowId).toBe("regions");
  });

  it("fails the input when the flow is unknown, fails, or is called from a task", async () => {
    const { engine, errorsOf } = setup(regions, failing);
    expect(await errorsOf(selectFrom("{{ subflow('company.team', 'nope').outputs.x }}"))).toContain(
      "subflow(): failed to run subflow 'company.team'.'nope': Unable to find flow 'company.team'.'nope'",
    );
    expect(await errorsOf(selectFrom("{{ subflow('company.team', 'regions', revision=7) }}"))).toContain(
      "Unable to find flow 'company.team'.'regions' with revision 7",
    );
    expect(await errorsOf(selectFrom("{{ subflow('company.team', 'failing') }}"))).toMatch(
      /subflow 'company.team'.'failing' ended in state FAILED \(execution \w+\)/,
    );
    expect(await errorsOf(selectFrom("{{ subflow('company.team', 'regions', timeout='PT6M') }}"))).toContain(
      "'timeout' (PT6M) exceeds the maximum allowed (PT5M)",
    );
    expect(
      await errorsOf(selectFrom("{{ subflow('company.team', 'regions', labels={'system.app': 'x'}) }}")),
    ).toContain("cannot set the system label 'system.app'");
    // Another namespace the caller's may not reach (the memory engine: itself and its children only).
    expect(await errorsOf(selectFrom("{{ subflow('other', 'regions') }}"))).toContain(
      "namespace 'company.team' may not reach 'other'",
    );

    const inTask = await engine.start(
      load(`id: task
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ subflow('company.team', 'regions') }}"
`),
    );
    const ended = await engine.wait(inTask.id);
    expect(ended.state.current).toBe("FAILED");
    expect(ended.taskRunList[0]?.attempts.at(-1)?.error?.message).toContain(
      "can only be used at flow-input render time",
    );
    expect([...engine.executions.values()].filter((e) => e.flowId === "regions")).toHaveLength(0);
  });

  it("gives up on a flow that has not ended within the timeout", async () => {
    const slow = load(`id: slow
namespace: company.team
tasks:
  - id: sleep
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT10M
`);
    const { errorsOf } = setup(slow);
    expect(await errorsOf(selectFrom("{{ subflow('company.team', 'slow', timeout='PT30S') }}"))).toMatch(
      /failed to run subflow 'company.team'.'slow': execution \w+ did not end within 30000 ms/,
    );
  });

  it("stops a flow whose inputs call subflow() on itself at depth 3", async () => {
    const looping = load(`id: looping
namespace: company.team
inputs:
  - id: again
    type: JSON
    defaults: "{{ subflow('company.team', 'looping') }}"
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: never
`);
    const { engine } = setup(looping);
    const error = await engine.start(looping).catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(String((error as InputValidationError).errors[0]?.message)).toContain(
      "exceeded the maximum nesting depth of 3",
    );
  });
});
