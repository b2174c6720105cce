import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Flow, loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { isPublicHoliday } from "@/plugins/core/condition/holidays";
import { tempDirs } from "@/test/temp-dirs";
import { expressionFunctions, RUNTIME_FUNCTION_NAMES } from "./expression-functions";
import { MemoryKvStore } from "./kv/memory";
import { MemoryEngine, VirtualClock } from "./memory";
import { LocalStorage } from "./storage";
import { MemoryStorage } from "./storage/memory";
import { inputFileUri } from "./storage/uris";

const tempDir = tempDirs("cadenza-fn");

function setup() {
  const clock = new VirtualClock();
  const storage = new LocalStorage(join(tempDir(), "storage"));
  const engine = new MemoryEngine({ registry: builtInRegistry(), clock, storage });
  const load = (yaml: string): Flow => {
    const { flow, errors } = loadFlow(yaml, { registry: builtInRegistry() });
    expect(errors).toEqual([]);
    return flow as Flow;
  };
  const runFlow = async (yaml: string, inputs: Record<string, unknown> = {}, id?: string) => {
    const started = await engine.start(load(yaml), { inputs, ...(id ? { id } : {}) });
    const done = await engine.wait(started.id);
    expect(engine.takeFailures()).toEqual([]);
    return done;
  };
  const messages = (executionId: string, taskId: string) =>
    engine.logs.filter((l) => l.executionId === executionId && l.taskId === taskId).map((l) => l.message);
  const errorOf = (
    execution: { taskRunList: { taskId: string; attempts: { error?: { message: string } }[] }[] },
    taskId: string,
  ) => execution.taskRunList.find((r) => r.taskId === taskId)?.attempts.at(-1)?.error?.message;
  return { clock, storage, engine, runFlow, messages, errorOf };
}

describe("read(), fileSize(), fileExists() on the local storage backend", () => {
  it("read the files of the current execution and namespace files, and refuse other executions' files", async () => {
    const { storage, runFlow, messages, errorOf } = setup();
    await storage.put("kestra:///company/team/_files/templates/greeting.txt", "hello from the namespace");
    const other = "kestra:///company/team/someone_else/executions/other/tasks/t/r/secret.txt";
    await storage.put(other, "secret");
    const id = "exec1";
    const input = await storage.put(inputFileUri("company.team", "files", id, "data", "data.txt"), "a\nb\n");
    const execution = await runFlow(
      `id: files
namespace: company.team
inputs:
  - id: data
    type: FILE
  - id: other
    type: STRING
tasks:
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(inputs.data) | trim }}|{{ fileSize(inputs.data) }}|{{ fileExists(inputs.data) }}|{{ isFileEmpty(inputs.data) }}"
  - id: namespace_file
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('templates/greeting.txt') }}|{{ fileExists('/templates/greeting.txt') }}|{{ fileExists('templates/none.txt') }}"
  - id: written
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles: [out.txt]
    commands:
      - printf 'script output' > out.txt
  - id: read_written
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.written.outputFiles['out.txt']) }}"
  - id: missing
    type: io.kestra.plugin.core.log.Log
    message: "exists={{ fileExists(outputs.written.outputFiles['out.txt'] ~ '.nope') }}"
  - id: other
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(inputs.other) }}"
    allowFailure: true
  - id: escape
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('kestra:///company/team/files/executions/exec1/../../someone_else/executions/other/tasks/t/r/secret.txt') }}"
    allowFailure: true
`,
      { data: input, other },
      id,
    );
    expect(messages(id, "read")).toEqual(["a\nb|4|true|false"]);
    expect(messages(id, "namespace_file")).toEqual(["hello from the namespace|true|false"]);
    expect(messages(id, "read_written")).toEqual(["script output"]);
    expect(messages(id, "missing")).toEqual(["exists=false"]);
    expect(errorOf(execution, "other")).toContain(
      `Unable to read the file '${other}' as it didn't belong to the current execution`,
    );
    expect(errorOf(execution, "escape")).toContain("invalid internal storage URI");
    expect(JSON.stringify(execution)).not.toContain('"secret"');
  });

  it("read() refuses a namespace file version (Kestra 2.0's `version`): Cadenza keeps none", async () => {
    const { storage, runFlow, messages, errorOf } = setup();
    await storage.put("kestra:///company/team/_files/greeting.txt", "current");
    const execution = await runFlow(`id: versions
namespace: company.team
tasks:
  - id: current
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('greeting.txt', version=null) }}"
  - id: named
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('greeting.txt', version=1) }}"
    allowFailure: true
  - id: positional
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('greeting.txt', null, 2) }}"
    allowFailure: true
`);
    expect(messages(execution.id, "current")).toEqual(["current"]);
    expect(errorOf(execution, "named")).toContain(
      "read() cannot read version 1 of a namespace file: Cadenza keeps no versions of namespace files",
    );
    expect(errorOf(execution, "positional")).toContain("cannot read version 2");
  });
});

describe("kv()", () => {
  it("reads a value until its TTL expires (virtual clock), then fails or gives null as asked", async () => {
    const { clock, runFlow, messages, errorOf } = setup();
    await runFlow(`id: set
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: token
    value: abc
    ttl: PT1H
`);
    const read = `id: read
namespace: company.team
tasks:
  - id: lenient
    type: io.kestra.plugin.core.log.Log
    message: "{{ kv('token', errorOnMissing=false) ?? 'none' }}|{{ kv('token', 'company.team', 'false') ?? 'none' }}"
  - id: strict
    type: io.kestra.plugin.core.log.Log
    message: "{{ kv('token') }}"
`;
    clock.tick(59 * 60_000);
    const before = await runFlow(read);
    expect(messages(before.id, "lenient")).toEqual(["abc|abc"]);
    expect(messages(before.id, "strict")).toEqual(["abc"]);
    clock.tick(60_001);
    const after = await runFlow(read);
    expect(messages(after.id, "lenient")).toEqual(["none|none"]);
    expect(errorOf(after, "strict")).toContain(
      "the key 'token' does not exist in the namespace 'company.team'",
    );
  });
});

describe("isPublicHoliday (Kestra 2.0; IsPublicHolidayFunctionTest's cases)", () => {
  const holiday = (...args: unknown[]) => isPublicHoliday(args, {}, { context: {} });
  it("reads a country's public holidays, with or without a subdivision", () => {
    expect(holiday("2024-12-25", "FR")).toBe(true);
    expect(holiday("2024-03-12", "FR")).toBe(false);
    expect(holiday("2024-11-11", "FR", "IDF")).toBe(true); // an unknown subdivision falls back to the country
    expect(holiday("2024-12-25T10:00:00Z", "FR")).toBe(true);
    expect(holiday("2024-11-11", "FR", "")).toBe(true);
    expect(holiday("2024-07-04", "us")).toBe(true);
    expect(holiday("2024-08-15", "DE")).toBe(false);
    expect(holiday("2024-08-15", "DE", "SL")).toBe(true); // Assumption Day, in Saarland only
    expect(isPublicHoliday([], { date: "2024-12-25", countryCode: "FR" }, { context: {} })).toBe(true);
  });
  it("refuses a missing date or country, a bad date and an unknown country", () => {
    expect(() => holiday()).toThrow("expects a 'date' argument");
    expect(() => holiday("2024-12-25")).toThrow("expects a 'countryCode' argument");
    expect(() => holiday("not-a-date", "FR")).toThrow("could not parse 'date'");
    expect(() => holiday("2024-12-25", "XX")).toThrow("does not know the country 'XX'");
  });
});

describe("RUNTIME_FUNCTION_NAMES", () => {
  it("names exactly the functions expressionFunctions() gives when every store is there", () => {
    const functions = expressionFunctions({
      kv: new MemoryKvStore(() => 0),
      storage: new MemoryStorage(),
      logsOf: () => [],
      secret: async () => undefined,
      runSubflow: async () => {
        throw new Error("not run");
      },
    });
    expect(Object.keys(functions).sort()).toEqual([...RUNTIME_FUNCTION_NAMES].sort());
  });
});
