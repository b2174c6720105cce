import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { flowJsonSchema } from "@/engine/flow/json-schema";
import { builtInRegistry } from "@/plugins";

/** Checks every built-in plugin (not only those of one group): titles, examples, and that examples load. */
const registry = builtInRegistry();
const plugins = registry.list();

describe("built-in plugin catalog", () => {
  it("has plugins", () => {
    expect(plugins.length).toBeGreaterThan(50);
  });

  it("gives every plugin a one-line title", () => {
    const bad = plugins.filter((p) => !p.title?.trim() || p.title.includes("\n")).map((p) => p.type);
    expect(bad).toEqual([]);
  });

  it("gives every task that is not deprecated at least one example", () => {
    const missing = plugins
      .filter((p) => (p.kind === "runnable" || p.kind === "flowable") && !p.deprecated && !p.examples?.length)
      .map((p) => p.type);
    expect(missing, `task plugins without examples: ${missing.join(", ")}`).toEqual([]);
  });

  it("gives every runnable task a run()", () => {
    expect(plugins.filter((p) => p.kind === "runnable" && !p.run).map((p) => p.type)).toEqual([]);
  });

  it("exports every schema to the editor's JSON Schema", () => {
    const text = JSON.stringify(flowJsonSchema(registry));
    const missing = plugins.filter((p) => !text.includes(`"${p.type}"`)).map((p) => p.type);
    expect(missing).toEqual([]);
  });

  const examples = plugins.flatMap((plugin) =>
    (plugin.examples ?? []).map((example) => ({ plugin, example, name: `${plugin.type}: ${example.title}` })),
  );

  it.each(examples)("example loads without errors — $name", ({ plugin, example }) => {
    expect(example.title.trim()).not.toBe("");
    const result = loadFlow(example.flow, { registry });
    expect(result.errors).toEqual([]);
    // The example shows the plugin itself, under one of its names.
    expect(plugin.names.some((name) => example.flow.includes(`type: ${name}\n`))).toBe(true);
  });
});
