import { describe, expect, it } from "vitest";
import { openNamespaceAccess } from "@/worker/namespace-access";
import { newEngine, outputsOf, run } from "./helpers";

// A `system` flow purging other namespaces needs them open (test/security/namespace-boundaries.test.ts
// shows the default refusing it).
const open = { namespaceAccess: openNamespaceAccess };

describe("core.execution.PurgeExecutions and core.log.PurgeLogs", () => {
  it("deletes ended executions with their logs, metrics and files, by namespace, flow and state", async () => {
    const { engine, clock } = newEngine(open);
    const noisy = (id: string, namespace: string, fail = false) => `id: ${id}
namespace: ${namespace}
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "hello from ${id}" }
  - id: file
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles: ["out.txt"]
    commands:
      - echo data > out.txt
      - echo '::{"metrics":[{"name":"rows","type":"counter","value":1}]}::'
      - ${fail ? "exit 1" : "echo done"}
`;
    const old = await run(engine, noisy("old", "company.team"));
    const oldFailed = await run(engine, noisy("old_failed", "company.team", true));
    const elsewhere = await run(engine, noisy("elsewhere", "other"));
    const fileOf = (e: typeof old) =>
      `kestra:///${e.namespace.split(".").join("/")}/${e.flowId}/executions/${e.id}/`;
    expect(await engine.storage.list(fileOf(old))).toHaveLength(1);
    clock.tick(3_600_000);
    const recent = await run(engine, noisy("recent", "company.team"));

    const purge = await run(
      engine,
      `id: purge
namespace: system
tasks:
  - id: purge
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: company
    endDate: "{{ now() | dateAdd(-30, 'MINUTES') }}"
    states: [SUCCESS]
`,
    );
    expect(purge.state.current).toBe("SUCCESS");
    expect(outputsOf(purge, "purge")).toEqual({
      executionsCount: 1,
      logsCount: 2,
      metricsCount: 1,
      storagesCount: 1,
    });
    expect(engine.executions.has(old.id)).toBe(false);
    expect(await engine.storage.list(fileOf(old))).toEqual([]);
    for (const kept of [oldFailed, elsewhere, recent, purge])
      expect(engine.executions.has(kept.id)).toBe(true);
    expect(engine.logs.some((l) => l.executionId === old.id)).toBe(false);
    expect(engine.logs.some((l) => l.executionId === oldFailed.id)).toBe(true);
  });

  it("purges logs by namespace, flow, level and date", async () => {
    const { engine, clock } = newEngine(open);
    const logs = `id: chatty
namespace: company.team
tasks:
  - { id: info, type: io.kestra.plugin.core.log.Log, message: info }
  - { id: error, type: io.kestra.plugin.core.log.Log, message: error, level: ERROR }
`;
    const first = await run(engine, logs);
    clock.tick(3_600_000);
    const purge = await run(
      engine,
      `id: purge_logs
namespace: system
tasks:
  - id: purge
    type: io.kestra.plugin.core.log.PurgeLogs
    namespace: company.team
    flowId: chatty
    logLevels: [TRACE, DEBUG, INFO, WARN]
    endDate: "{{ now() | dateAdd(-30, 'MINUTES') }}"
`,
    );
    expect(outputsOf(purge, "purge")).toEqual({ count: 1 });
    expect(engine.logs.filter((l) => l.executionId === first.id).map((l) => l.message)).toEqual(["error"]);
  });
});
