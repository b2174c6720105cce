import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { flowJsonSchema } from "../json-schema";

describe("flowJsonSchema", () => {
  const schema = flowJsonSchema(builtInRegistry()) as {
    properties: Record<string, { items?: { $ref?: string } }>;
    required: string[];
    $defs: Record<
      string,
      {
        anyOf?: { $ref: string }[];
        properties?: Record<string, Record<string, unknown>>;
        description?: string;
        examples?: string[];
        required?: string[];
      }
    >;
  };

  it("describes the top level of a flow", () => {
    expect(schema.required).toEqual(expect.arrayContaining(["id", "namespace", "tasks"]));
    expect(schema.properties.tasks?.items?.$ref).toBe("#/$defs/Task");
    expect(schema.properties).toHaveProperty("pluginDefaults");
    expect(schema.properties).toHaveProperty("afterExecution");
  });

  it("makes Task the union of every task plugin, each naming all its types", () => {
    const task = schema.$defs.Task;
    expect(task?.anyOf?.length).toBeGreaterThan(15);
    const log = schema.$defs["plugin:core.log.Log"];
    expect(log?.properties?.type?.enum).toEqual([
      "core.log.Log",
      "io.kestra.plugin.core.log.Log",
      "io.kestra.core.tasks.log.Log",
    ]);
    expect(log?.properties?.level).toMatchObject({
      enum: ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"],
      default: "INFO",
    });
    expect(log?.properties?.retry).toBeDefined();
    expect(log?.required).toEqual(expect.arrayContaining(["id", "type", "message"]));
    expect(log?.description).toMatch(/Write a message/);
    expect(log?.examples?.[0]).toMatch(/io.kestra.plugin.core.log.Log/);
  });

  it("points nested task lists and conditions at the shared definitions", () => {
    const parallel = schema.$defs["plugin:core.flow.Parallel"];
    expect(JSON.stringify(parallel?.properties?.tasks)).toContain("#/$defs/Task");
    expect(schema.$defs.Condition?.anyOf?.length).toBeGreaterThan(5);
    expect(schema.$defs.Trigger?.anyOf?.map((r) => r.$ref)).toContain("#/$defs/plugin:core.trigger.Schedule");
  });

  it("is plain JSON with every $ref resolvable", () => {
    const text = JSON.stringify(schema);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g))
      expect(schema.$defs, ref).toHaveProperty([ref as string]);
  });
});
