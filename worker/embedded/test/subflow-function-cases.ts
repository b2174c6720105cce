// The cases of subflow() (Kestra 2.0's SubflowFunction) that hold on every engine the server can drive:
// the embedded engine's test file and the Temporal mode's run them against their own EngineClient, and
// each adds what only its engine does (where a call is refused: the transaction, the workflow).
import { expect, it } from "vitest";
import { type Execution, InputValidationError } from "@/engine/executor";
import type { EngineClient } from "../api";
import { type EmbeddedHarness, TENANT } from "./harness";

export const selectFrom = (id: string, expression: string) => `id: ${id}
namespace: company.team
inputs:
  - id: region
    type: SELECT
    expression: "${expression}"
tasks:
  - { id: log, type: core.log.Log, message: "{{ inputs.region }}" }
`;

/** The flow whose outputs the cases read, deployed by each file before its cases run. */
export const REGIONS = `id: regions
namespace: company.team
inputs:
  - { id: prefix, type: STRING, defaults: us }
tasks:
  - { id: log, type: core.log.Log, message: "listing {{ inputs.prefix }}" }
outputs:
  - { id: first, type: STRING, value: "{{ inputs.prefix }}-west" }
`;

/** What a test file's cases run with: its harness (the database), its client, and how long to wait. */
export interface SubflowFunctionSetUp {
  h: EmbeddedHarness;
  client: () => EngineClient;
  timeoutMs: number;
}

export function subflowFunctionHelpers({ h, client }: SubflowFunctionSetUp) {
  const start = (flowId: string, inputs: Record<string, unknown> = {}) =>
    client().start(TENANT, "company.team", flowId, { inputs });
  return {
    start,
    /** The reasons the inputs were refused (InputValidationError), or fails the test. */
    async refusal(flowId: string, inputs: Record<string, unknown> = { region: "x" }): Promise<string> {
      const error = await start(flowId, inputs).catch((e) => e);
      expect(error).toBeInstanceOf(InputValidationError);
      return (error as InputValidationError).errors.map((e) => e.message).join("\n");
    },
    executionsOf: (flowId: string) =>
      h.query<{ id: string; state: string }>("select id, state from executions where flow_id = $1", [flowId]),
  };
}

export function subflowFunctionCases(setUp: SubflowFunctionSetUp): void {
  const { h, client, timeoutMs } = setUp;
  const { start, refusal, executionsOf } = subflowFunctionHelpers(setUp);

  it(
    "runs the flow to its end where inputs are rendered: the child's outputs, state and labels are read; the execute dialog validates the same way",
    async () => {
      await h.deploy(
        selectFrom(
          "form",
          "{{ [subflow('company.team', 'regions', {'prefix': 'eu'}, labels={'team': 'ops'}).outputs.first, 'other'] }}",
        ),
      );
      const started = await start("form", { region: "eu-west" });
      const done = await client().waitForEnd(TENANT, started.id, timeoutMs / 2);
      expect(done.state.current).toBe("SUCCESS");
      expect(done.inputs).toEqual({ region: "eu-west" });
      const [child] = await executionsOf("regions");
      const stored = (await client().get(TENANT, child?.id ?? "")) as Execution;
      expect(stored.state.current).toBe("SUCCESS");
      expect(stored.inputs).toEqual({ prefix: "eu" });
      expect(stored.outputs).toEqual({ first: "eu-west" });
      expect(stored.labels).toContainEqual({ key: "team", value: "ops" });

      // Validation (the execute dialog) runs the child too, and creates nothing of the caller.
      const { inputs } = await client().validateInputs(TENANT, "company.team", "form", {
        inputs: { region: "eu-west" },
      });
      expect(inputs.find((i) => i.id === "region")).toMatchObject({ value: "eu-west", errors: [] });
      expect(await executionsOf("regions")).toHaveLength(2);
      expect(await executionsOf("form")).toHaveLength(1);
    },
    setUp.timeoutMs,
  );

  it(
    "refuses the inputs when the child fails, or is out of the caller namespace's reach",
    async () => {
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

      await h.deploy(
        `id: regions\nnamespace: other\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`,
      );
      await h.deploy(selectFrom("cross", "{{ subflow('other', 'regions') }}"));
      expect(await refusal("cross")).toContain("namespace 'company.team' may not reach 'other'");
      expect(
        await h.query("select id from executions where namespace = 'other' and flow_id = 'regions'"),
      ).toHaveLength(0);
    },
    setUp.timeoutMs,
  );

  it(
    "gives up on a child that has not ended within the timeout",
    async () => {
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
      // The child is left running, as Kestra leaves it; killed here so the file ends with nothing in flight.
      const [slow] = await executionsOf("slow");
      expect(slow?.state).toBe("RUNNING");
      await client().operate(TENANT, slow?.id ?? "", { type: "kill" });
    },
    setUp.timeoutMs,
  );

  it(
    "stops a flow whose inputs call subflow() on itself at depth 3, creating nothing",
    async () => {
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
    },
    setUp.timeoutMs,
  );
}
