import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { loadFlow } from "../load";
import { applyPluginDefaults, deepMerge } from "../plugin-defaults";

const registry = builtInRegistry();

describe("plugin defaults", () => {
  it("apply by type prefix, whatever alias the task uses", () => {
    const { flow, errors } = loadFlow(
      `id: f
namespace: n
pluginDefaults:
  - type: io.kestra.plugin.core.log
    values:
      level: WARN
      message: from defaults
tasks:
  - id: a
    type: io.kestra.core.tasks.log.Log
  - id: b
    type: core.log.Log
    message: own
`,
      { registry },
    );
    expect(errors).toEqual([]);
    expect(flow?.tasks.map((t) => [t.message, t.level])).toEqual([
      ["from defaults", "WARN"],
      ["own", "WARN"],
    ]);
  });

  it("accept the deprecated taskDefaults spelling", () => {
    const { flow } = loadFlow(
      `id: f\nnamespace: n\ntaskDefaults:\n  - type: core.log.Log\n    values:\n      message: x\ntasks:\n  - id: a\n    type: core.log.Log\n`,
      { registry },
    );
    expect(flow?.tasks[0]?.message).toBe("x");
  });

  it("let the task win, except over forced values; more specific types win; flow over outside", () => {
    const plugin = registry.get("core.log.Log");
    const raw = { id: "a", type: "io.kestra.plugin.core.log.Log", message: "own", level: "INFO" };
    const result = applyPluginDefaults(
      raw,
      plugin,
      [
        { type: "io.kestra.plugin.core", forced: false, values: { level: "DEBUG", timeout: "PT1M" } },
        { type: "io.kestra.plugin.core.log.Log", forced: false, values: { timeout: "PT2M" } },
        { type: "core.log", forced: true, values: { level: "ERROR" } },
      ],
      [
        {
          type: "io.kestra.plugin.core.log.Log",
          forced: false,
          values: { timeout: "PT9M", description: "outside" },
        },
      ],
    );
    expect(result).toEqual({ ...raw, level: "ERROR", timeout: "PT2M", description: "outside" });
  });

  it("merge maps deeply and replace lists", () => {
    expect(deepMerge({ a: { b: 1, c: [1] } }, { a: { c: [2], d: 3 } })).toEqual({
      a: { b: 1, c: [2], d: 3 },
    });
  });
});
