import { describe, expect, it } from "vitest";
import type { TaskRunContext } from "@/engine/plugin";
import { toKvType } from "@/plugins/core/kv";
import { kvSetPlugin } from "@/plugins/core/kv/set";
import { openNamespaceAccess } from "@/worker/namespace-access";
import { errorOf, newEngine, outputsOf, run, taskRun } from "./helpers";

const HOUR = 3_600_000;

describe("core.kv tasks on the memory engine", () => {
  it("sets, reads, lists and deletes a pair", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kv_round_trip
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: my_var
    value: hello
  - id: set_other
    type: io.kestra.plugin.core.kv.Set
    key: other
    value: "{{ 40 + 2 }}"
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: my_var
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: my_
  - id: all_keys
    type: io.kestra.plugin.core.kv.GetKeys
  - id: delete
    type: io.kestra.plugin.core.kv.Delete
    key: my_var
  - id: delete_again
    type: io.kestra.plugin.core.kv.Delete
    key: my_var
  - id: get_missing
    type: io.kestra.plugin.core.kv.Get
    key: my_var
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.get.value }} {{ kv('other') }}"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "get")).toEqual({ value: "hello" });
    expect(outputsOf(execution, "keys")).toEqual({ keys: ["my_var"] });
    expect(outputsOf(execution, "all_keys")).toEqual({ keys: ["my_var", "other"] });
    expect(outputsOf(execution, "delete")).toEqual({ deleted: true });
    expect(outputsOf(execution, "delete_again")).toEqual({ deleted: false });
    expect(outputsOf(execution, "get_missing")).toEqual({});
    expect(await engine.kv.get("company.team", "other")).toEqual({ value: 42 });
    expect(engine.logs.some((l) => l.taskId === "log" && l.message === "hello 42")).toBe(true);
  });

  it("works in another namespace than the flow's (when namespace isolation is open)", async () => {
    const { engine } = newEngine({ namespaceAccess: openNamespaceAccess });
    await engine.kv.set("company", "shared", "from parent");
    const execution = await run(
      engine,
      `id: kv_other_namespace
namespace: company.team
tasks:
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: shared
    namespace: company
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: written
    value: x
    namespace: "{{ flow.namespace }}.sub"
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
    namespace: company
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "get")).toEqual({ value: "from parent" });
    expect(outputsOf(execution, "keys")).toEqual({ keys: ["shared"] });
    expect(await engine.kv.get("company.team.sub", "written")).toEqual({ value: "x" });
    expect(await engine.kv.get("company.team", "written")).toBeUndefined();
  });

  it("converts values with kvType", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kv_types
namespace: company.team
inputs:
  - id: payload
    type: STRING
    defaults: '{"a": [1, 2], "b": {"c": true}}'
tasks:
  - id: number
    type: io.kestra.plugin.core.kv.Set
    key: number
    value: " 42.5 "
    kvType: NUMBER
  - id: boolean
    type: io.kestra.plugin.core.kv.Set
    key: boolean
    value: "TRUE"
    kvType: BOOLEAN
  - id: json
    type: io.kestra.plugin.core.kv.Set
    key: json
    value: "{{ inputs.payload }}"
    kvType: JSON
  - id: datetime
    type: io.kestra.plugin.core.kv.Set
    key: datetime
    value: "2024-01-31T10:00:00+01:00"
    kvType: DATETIME
  - id: date
    type: io.kestra.plugin.core.kv.Set
    key: date
    value: "2024-02-29"
    kvType: DATE
  - id: duration
    type: io.kestra.plugin.core.kv.Set
    key: duration
    value: PT1H30M
    kvType: DURATION
  - id: string
    type: io.kestra.plugin.core.kv.Set
    key: string
    value: 12
    kvType: STRING
  - id: read_json
    type: io.kestra.plugin.core.kv.Get
    key: json
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const value = async (key: string) => (await engine.kv.get("company.team", key))?.value;
    expect(await value("number")).toBe(42.5);
    expect(await value("boolean")).toBe(true);
    expect(await value("json")).toEqual({ a: [1, 2], b: { c: true } });
    expect(await value("datetime")).toBe("2024-01-31T09:00:00.000Z");
    expect(await value("date")).toBe("2024-02-29");
    expect(await value("duration")).toBe("PT1H30M");
    expect(await value("string")).toBe("12");
    expect(outputsOf(execution, "read_json")).toEqual({ value: { a: [1, 2], b: { c: true } } });
  });

  it.each([
    ["NUMBER", "abc", "kvType NUMBER expects a number, got 'abc'"],
    ["BOOLEAN", "yes", "kvType BOOLEAN expects true or false, got 'yes'"],
    ["JSON", "{not json", "kvType JSON expects valid JSON"],
    ["DATETIME", "2024-01-31", "kvType DATETIME expects an ISO-8601 date-time"],
    ["DATE", "2023-02-29", "kvType DATE expects a date such as 2024-01-31, got '2023-02-29'"],
    ["DURATION", "1 hour", "kvType DURATION expects an ISO-8601 duration"],
  ])("fails a %s value that does not fit (%s)", async (kvType, value, message) => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kv_bad_type
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: bad
    value: "${value}"
    kvType: ${kvType}
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "set")).toContain(message);
    expect(await engine.kv.get("company.team", "bad")).toBeUndefined();
  });

  it("refuses to overwrite when overwrite is false", async () => {
    const { engine } = newEngine();
    await engine.kv.set("company.team", "existing", "old");
    const execution = await run(
      engine,
      `id: kv_no_overwrite
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: existing
    value: new
    overwrite: false
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "set")).toContain("already exists");
    expect(await engine.kv.get("company.team", "existing")).toEqual({ value: "old" });
  });

  it("overwrites by default", async () => {
    const { engine } = newEngine();
    await engine.kv.set("company.team", "existing", "old");
    await run(
      engine,
      `id: kv_overwrite
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: existing
    value: new
`,
    );
    expect(await engine.kv.get("company.team", "existing")).toEqual({ value: "new" });
  });

  it("expires a pair after its ttl (virtual clock)", async () => {
    const { engine, clock } = newEngine();
    const setFlow = `id: kv_ttl_set
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: session
    value: token-1
    ttl: PT1H
`;
    const getFlow = `id: kv_ttl_get
namespace: company.team
tasks:
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: session
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
`;
    const strictGetFlow = `id: kv_ttl_get_strict
namespace: company.team
tasks:
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: session
    errorOnMissing: true
`;
    expect((await run(engine, setFlow)).state.current).toBe("SUCCESS");
    const entry = await engine.kv.get("company.team", "session");
    expect(entry?.expiresAt).toBe(new Date(clock.now().getTime() + HOUR).toISOString());

    clock.tick(HOUR / 2);
    const before = await run(engine, getFlow);
    expect(outputsOf(before, "get")).toEqual({ value: "token-1" });
    expect(outputsOf(before, "keys")).toEqual({ keys: ["session"] });

    clock.tick(HOUR / 2 + 1);
    const after = await run(engine, getFlow);
    expect(after.state.current).toBe("SUCCESS");
    expect(outputsOf(after, "get")).toEqual({});
    expect(outputsOf(after, "keys")).toEqual({ keys: [] });

    const strict = await run(engine, strictGetFlow);
    expect(strict.state.current).toBe("FAILED");
    expect(errorOf(strict, "get")).toBe(
      "no value found for key 'session' in namespace 'company.team' and errorOnMissing is true",
    );
  });

  it("fails Delete with errorOnMissing on a missing key", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kv_delete_missing
namespace: company.team
tasks:
  - id: delete
    type: io.kestra.plugin.core.kv.Delete
    key: nothing
    errorOnMissing: "{{ true }}"
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "delete")).toBe(
      "no value found for key 'nothing' in namespace 'company.team' and errorOnMissing is true",
    );
  });

  it("refuses keys Kestra refuses, and non-positive ttls", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kv_bad_key
namespace: company.team
inputs:
  - id: key
    type: STRING
    defaults: a/b
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: "{{ inputs.key }}"
    value: x
    allowFailure: true
  - id: zero_ttl
    type: io.kestra.plugin.core.kv.Set
    key: ok
    value: x
    ttl: PT0S
`,
    );
    expect(errorOf(execution, "set")).toContain("invalid KV key 'a/b'");
    expect(taskRun(execution, "zero_ttl").state.current).toBe("FAILED");
    expect(errorOf(execution, "zero_ttl")).toBe("ttl must be a positive duration, got 'PT0S'");
  });

  it("fails with a clear message when the engine provides no KV store", async () => {
    const ctx = {
      properties: { key: "k", value: "v", namespace: "n", overwrite: true },
      services: {},
      execution: { id: "e", namespace: "n", flowId: "f", flowRevision: 1 },
    } as unknown as TaskRunContext<never>;
    await expect(Promise.resolve(kvSetPlugin.run?.(ctx))).rejects.toThrow(
      "core.kv.Set needs the KV store, which this engine does not provide",
    );
  });
});

describe("toKvType", () => {
  it("keeps values that already have the type", () => {
    expect(toKvType(3, "NUMBER")).toBe(3);
    expect(toKvType(false, "BOOLEAN")).toBe(false);
    expect(toKvType({ a: 1 }, "JSON")).toEqual({ a: 1 });
    expect(toKvType({ a: 1 }, "STRING")).toBe('{"a":1}');
  });

  it("accepts a date-time for DATE and keeps its UTC date", () => {
    expect(toKvType("2024-01-31T23:30:00-02:00", "DATE")).toBe("2024-02-01");
  });
});
