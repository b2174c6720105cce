import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sequentialHandler } from "../../executor";
import { definePlugin } from "../define-plugin";
import { PluginRegistry } from "../registry";
import { missingServices } from "../services";
import type { Plugin } from "../types";

const schema = z.object({ tasks: z.array(z.unknown()) });

describe("definePlugin: one definition per plugin, a union on kind", () => {
  it("refuses a flowable without a handler, at compile time and at run time", () => {
    expect(() =>
      // @ts-expect-error a flowable must carry its handler (its executor semantics)
      definePlugin({ type: "test.flow.Bare", kind: "flowable", title: "No semantics", schema }),
    ).toThrow("plugin test.flow.Bare: a flowable plugin needs a handler");
  });

  it("refuses a flowable whose handler has no resolve()", () => {
    expect(() =>
      definePlugin({
        type: "test.flow.Half",
        kind: "flowable",
        title: "Half a handler",
        schema,
        // @ts-expect-error resolve() is required
        handler: { start: () => undefined },
      }),
    ).toThrow("plugin test.flow.Half: a flowable plugin's handler needs resolve()");
  });

  it("refuses a runnable without run() and a kind it does not know", () => {
    // @ts-expect-error a runnable must have run()
    expect(() => definePlugin({ type: "test.Bare", kind: "runnable", title: "t", schema })).toThrow(
      "plugin test.Bare: a runnable plugin needs run()",
    );
    // @ts-expect-error no such kind
    expect(() => definePlugin({ type: "test.Odd", kind: "task", title: "t", schema })).toThrow(
      'plugin test.Odd: unknown kind "task"; expected runnable, flowable, trigger or condition',
    );
  });

  it("the registry refuses a flowable that lost its handler on the way (built without definePlugin)", () => {
    const sequential = definePlugin({
      type: "test.flow.Group",
      kind: "flowable",
      title: "A group",
      schema,
      handler: sequentialHandler,
    });
    const { handler: _handler, ...stripped } = sequential;
    expect(() => new PluginRegistry([stripped as unknown as Plugin])).toThrow(
      "plugin test.flow.Group: a flowable plugin needs a handler",
    );
    expect(new PluginRegistry([sequential]).get("test.flow.Group")?.kind).toBe("flowable");
  });

  it("keeps the handler on the registered plugin, where the executor reads it", () => {
    const plugin = definePlugin({
      type: "test.flow.Group",
      kind: "flowable",
      title: "A group",
      schema,
      handler: sequentialHandler,
    });
    const found = new PluginRegistry([plugin]).get("test.flow.Group");
    expect(found?.kind === "flowable" && found.handler).toBe(sequentialHandler);
  });

  it("types ctx.services by the services a runnable declares it requires", () => {
    const plugin = definePlugin({
      type: "test.kv.Peek",
      kind: "runnable",
      title: "Reads a key",
      schema: z.object({ key: z.string() }),
      services: ["kv"],
      // ctx.services.kv is a KvStore here, not KvStore | undefined: no check, no cast.
      run: async (ctx) => ({
        outputs: { value: (await ctx.services.kv.get("n", ctx.properties.key))?.value },
      }),
    });
    expect(plugin.kind === "runnable" && plugin.services).toEqual(["kv"]);
    // The worker checks them before run(): a driver without a KV store gets a message, not a crash.
    expect(missingServices(plugin, {})).toBe(
      "test.kv.Peek needs the kv service, which this engine does not provide",
    );
    const kv = {
      get: async () => undefined,
      set: async () => {},
      delete: async () => false,
      list: async () => [],
    };
    expect(missingServices(plugin, { kv })).toBeUndefined();
  });
});
