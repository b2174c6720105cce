/** Shared fixtures for the expression tests. */
import { ExpressionError, type RenderOptions, render, renderTyped } from "../index";

export const NOW = new Date("2024-01-15T10:30:45.123Z");

export const options: RenderOptions = { now: () => NOW, random: () => 0.5, timezone: "UTC" };

export function ctx(): Record<string, unknown> {
  return {
    flow: { id: "hello", namespace: "company.team", revision: 3, tenantId: "main" },
    execution: { id: "exec1", startDate: "2024-01-15T10:00:00.123456Z", state: "RUNNING" },
    task: { id: "t1", type: "io.kestra.plugin.core.log.Log" },
    taskrun: { id: "tr1", value: "value 1", attemptsCount: 3, startDate: "2024-01-15T10:00:01Z" },
    parent: { taskrun: { value: "value 1" } },
    inputs: {
      name: "world",
      n: 3,
      f: 2.5,
      flag: true,
      no: false,
      empty: "",
      zero: 0,
      items: ["a", "b", "c"],
      nums: [3, 1, 2],
      obj: { a: 1, b: "two", c: [1, 2], d: { e: "deep" } },
      nil: null,
      "from-parent": "fp",
      json: '{"a": [1, 2, {"b": "c"}], "n": null}',
      date: "2024-01-15T10:30:00Z",
      words: "hello big world",
    },
    outputs: {
      t1: { value: "v1" },
      "error-t1": { value: "err" },
      return: { value: "flow-with-outputs" },
      waitfor: { iterationCount: 2 },
      output_values: { values: { count: "4", ok: true } },
      each: { "value 1": { value: "one" }, "value 2": { value: "two" } },
      nullish: { value: null },
    },
    vars: { greeting: "hi {{ inputs.name }}", nested: "{{ vars.greeting }}!" },
    labels: { env: "prod" },
    list: [1, 2, 3],
    nothing: null,
  };
}

export function r(
  template: string,
  context: Record<string, unknown> = ctx(),
  extra?: Partial<RenderOptions>,
): string {
  return render(template, context, { ...options, ...extra });
}

export function t(
  template: string,
  context: Record<string, unknown> = ctx(),
  extra?: Partial<RenderOptions>,
): unknown {
  return renderTyped(template, context, { ...options, ...extra });
}

/** The ExpressionError a render throws (fails the test if it does not throw one). */
export function err(
  template: string,
  context: Record<string, unknown> = ctx(),
  extra?: Partial<RenderOptions>,
): ExpressionError {
  try {
    render(template, context, { ...options, ...extra });
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw new Error(`expected an ExpressionError, got ${String(e)}`);
  }
  throw new Error(`expected ${JSON.stringify(template)} to throw`);
}
