import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { errorOf, newEngine, run } from "./helpers";

describe("core.execution.Assert", () => {
  it("succeeds when every condition holds", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: assert_ok
namespace: company.team
inputs:
  - id: param
    type: STRING
    defaults: ok
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ inputs.param == 'ok' }}"
      - "{{ 1 }}"
    errorMessage: "{{ this.does.not.exist }}"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
  });

  it("fails with the number of failed conditions and the rendered message", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: assert_ko
namespace: company.team
inputs:
  - id: param
    type: STRING
    defaults: ko
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ inputs.param == 'ok' }}"
      - "{{ 1 + 1 == 2 }}"
      - "{{ missing.variable }}"
      - "0"
    errorMessage: "param was {{ inputs.param }}"
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "check")).toBe("3 assertions failed!\nparam was ko");
    const errors = engine.logs
      .filter((l) => l.taskId === "check" && l.level === "ERROR")
      .map((l) => l.message);
    expect(errors).toContain("Assertion `{{ inputs.param == 'ok' }}` failed!");
    expect(
      errors.some((m) => m.startsWith("Assertion `{{ missing.variable }}` failed, failed to render:")),
    ).toBe(true);
  });
});

describe("schema checks at validation time", () => {
  const errors = (yaml: string) =>
    loadFlow(yaml, { registry: builtInRegistry() }).errors.map((e) => e.message);

  it("reports missing and cross-field properties", () => {
    expect(
      errors(`id: checks
namespace: company.team
tasks:
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: company
  - id: count
    type: io.kestra.plugin.core.execution.Count
    startDate: "2024-01-01T00:00:00Z"
    expression: "{{ count == 0 }}"
  - id: purge
    type: io.kestra.plugin.core.log.PurgeLogs
    flowId: my_flow
    endDate: "2024-01-01T00:00:00Z"
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    commands: []
`),
    ).toEqual([
      "set files or filesMap to say what to upload",
      "set flows or namespaces to say which executions to count",
      "flowId needs namespace",
      "at least one command is required",
    ]);
  });

  it("checks enums, durations and nested options of HTTP tasks", () => {
    const found = errors(`id: http_checks
namespace: company.team
tasks:
  - id: request
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
    method: FETCH
    options:
      timeout:
        connectTimeout: 10 seconds
      followRedirect: true
triggers:
  - id: poll
    type: io.kestra.plugin.core.http.Trigger
    uri: https://example.com
    interval: every minute
`);
    expect(found).toHaveLength(4);
    expect(
      found.find((m) => m.startsWith("'FETCH' is not one of GET, POST, PUT, PATCH, DELETE")),
    ).toBeDefined();
    expect(found.some((m) => m.includes("ISO-8601 duration"))).toBe(true);
    expect(found).toContain("unknown property 'followRedirect' (did you mean 'followRedirects'?)");
  });

  it("accepts the properties of Kestra's old script tasks on their aliases", () => {
    expect(
      errors(`id: legacy_bash
namespace: company.team
tasks:
  - id: bash
    type: io.kestra.core.tasks.scripts.Bash
    interpreter: /bin/bash
    interpreterArgs: ["-c"]
    exitOnFailed: false
    runner: PROCESS
    outputsFiles: [first]
    commands:
      - echo "1" >> {{ outputFiles.first }}
  - id: python
    type: io.kestra.core.tasks.scripts.Python
    requirements: [requests]
    args: [data.json]
    inputFiles:
      main.py: print(1)
    commands:
      - ./bin/python main.py
`),
    ).toEqual([]);
  });
});

describe("core.execution.Kill", () => {
  it("kills its own execution: the run and the execution end KILLED, nothing after it starts (KillTest)", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kill_self
namespace: company.team
tasks:
  - { id: first, type: io.kestra.plugin.core.log.Log, message: before }
  - { id: kill, type: io.kestra.plugin.core.execution.Kill, executionId: "{{ execution.id }}" }
  - { id: after, type: io.kestra.plugin.core.log.Log, message: never }
`,
    );
    expect(execution.state.current).toBe("KILLED");
    expect(execution.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ["first", "SUCCESS"],
      ["kill", "KILLED"],
    ]);
  });

  it("refuses to kill another execution, in one line", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: kill_other
namespace: company.team
tasks:
  - { id: kill, type: io.kestra.plugin.core.execution.Kill, executionId: other }
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "kill")).toBe(
      "core.execution.Kill can only kill the current execution, not other: use the API to kill another one",
    );
  });
});
