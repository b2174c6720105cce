import { describe, expect, it } from "vitest";
import { matchFlowTriggers } from "@/engine/triggers";
import { createExecution, type StepEnv, step } from "../index";
import { harness } from "./harness";

/**
 * The executor takes time and randomness only from its env (test/architecture.test.ts forbids a fallback in
 * engine/): the same env gives the same execution, wherever a template may call randomInt() or now().
 */
describe("time and randomness come from the env", () => {
  const h = harness();
  const env = (random: number): StepEnv => {
    let n = 0;
    return {
      now: () => new Date("2024-01-01T00:00:00Z"),
      random: () => random,
      newId: () => `x${++n}`,
      registry: h.registry,
    };
  };

  it("input defaults are rendered with the env's randomness and clock", async () => {
    const flow = h.load(`id: seeded
namespace: t
inputs:
  - { id: pick, type: INT, defaults: "{{ randomInt(0, 1000) }}" }
  - { id: at, type: STRING, defaults: "{{ now() }}" }
tasks: [{ id: a, type: core.log.Log, message: "{{ inputs.pick }}" }]
`);
    const one = await createExecution(flow, {}, env(0.25));
    const two = await createExecution(flow, {}, env(0.25));
    expect(one.inputs).toEqual({ pick: 250, at: "2024-01-01T00:00:00.000000Z" });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect((await createExecution(flow, {}, env(0.75))).inputs?.pick).toBe(750);
  });

  it("a flowable's expression is decided by the env's randomness", async () => {
    const flow = h.load(`id: coin
namespace: t
tasks:
  - id: toss
    type: core.flow.Switch
    value: "{{ randomInt(0, 2) }}"
    cases:
      "0": [{ id: heads, type: core.log.Log, message: heads }]
      "1": [{ id: tails, type: core.log.Log, message: tails }]
`);
    const chosen = async (random: number) => {
      const created = await createExecution(flow, {}, env(random));
      let execution = (await step(flow, created, { type: "start" }, env(random))).execution;
      execution = (await step(flow, execution, { type: "start" }, env(random))).execution;
      return execution.taskRunList.map((r) => r.taskId).filter((id) => id !== "toss");
    };
    expect(await chosen(0.1)).toEqual(["heads"]);
    expect(await chosen(0.9)).toEqual(["tails"]);
  });

  it("a Flow trigger's `when` is rendered with the env's randomness", async () => {
    const upstream = h.load(`id: up
namespace: t
tasks: [{ id: a, type: core.log.Log, message: a }]
`);
    const downstream = h.load(`id: down
namespace: t
tasks: [{ id: b, type: core.log.Log, message: b }]
triggers:
  - id: on-up
    type: core.trigger.Flow
    when: "{{ randomInt(0, 10) == 4 }}"
    conditions: [{ type: core.condition.ExecutionFlow, namespace: t, flowId: up }]
`);
    const ended = await h.run(upstream);
    const fires = async (random: number) =>
      (
        await matchFlowTriggers(upstream, ended, [downstream], {
          registry: h.registry,
          now: () => new Date("2024-01-01T00:00:00Z"),
          random: () => random,
        })
      ).length;
    expect(await fires(0.45)).toBe(1);
    expect(await fires(0.95)).toBe(0);
  });
});
