import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { coerceInputValue } from "../input-values";
import { loadFlow } from "../load";

const registry = builtInRegistry();
const withInputs = (inputs: string) =>
  loadFlow(
    `id: f\nnamespace: t\ninputs:\n${inputs}\ntasks:\n  - { id: l, type: core.log.Log, message: x }\n`,
    {
      registry,
    },
  );

describe("Kestra 2.0 inputs beside 1.x", () => {
  it("reads BOOL as BOOLEAN's 2.0 name and SELECT values as { label, value }", () => {
    const { flow, errors } = withInputs(`  - { id: on, type: BOOL, defaults: true }
  - id: env
    type: SELECT
    values: [{ label: Production, value: prod }, { label: Staging, value: staging }]
    prefill: staging`);
    expect(errors).toEqual([]);
    const [on, env] = flow?.inputs ?? [];
    expect(on && coerceInputValue(on, "false")).toEqual({ ok: true, value: false });
    expect(env && coerceInputValue(env, "prod")).toEqual({ ok: true, value: "prod" });
    expect(env && coerceInputValue(env, "Production")).toMatchObject({ ok: false });
  });

  it("validates a JSON input against its jsonSchema, and refuses a schema it cannot use", () => {
    const { flow, errors } = withInputs(`  - id: order
    type: JSON
    jsonSchema:
      type: object
      required: [id]
      properties:
        id: { type: integer, minimum: 1 }
        tags: { type: array, items: { type: string } }`);
    expect(errors).toEqual([]);
    const order = flow?.inputs[0];
    if (!order) throw new Error("no input");
    expect(coerceInputValue(order, '{"id": 3, "tags": ["a"]}')).toEqual({
      ok: true,
      value: { id: 3, tags: ["a"] },
    });
    expect(coerceInputValue(order, '{"tags": ["a"]}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/does not match its jsonSchema at id/),
    });
    expect(coerceInputValue(order, '{"id": 0}')).toMatchObject({ ok: false });
    const bad = withInputs(`  - { id: j, type: JSON, jsonSchema: { type: 12 } }`);
    expect(bad.errors.map((e) => e.message).join()).toMatch(/invalid jsonSchema/);
  });

  it("refuses defaults together with prefill; warns that an input with defaults is always required", () => {
    const both = withInputs(`  - { id: n, type: INT, defaults: 1, prefill: 2 }`);
    expect(both.errors.map((e) => e.message).join()).toMatch(/cannot have both defaults and prefill/);
    const optional = withInputs(`  - { id: n, type: INT, defaults: 1, required: false }`);
    expect(optional.errors).toEqual([]);
    expect(optional.warnings.map((w) => w.message)).toEqual([
      "an input with defaults is always required (Kestra 2.0): remove 'required: false'",
    ]);
  });
});
