import { describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "./harness";

const SECRET = "hunter2-correct-horse";
const h = setUpEmbeddedEngine({
  secret: async (_tenant, _namespace, name) => (name === "DB_PASSWORD" ? SECRET : undefined),
  secretValues: async () => [SECRET],
});

describe("secret masking in the embedded engine", () => {
  it("never writes a secret value to logs, outputs or errors in the database", async () => {
    await h.startRuntime({ scheduler: false });
    await h.deploy(`id: leaky
namespace: mask
tasks:
  - { id: log, type: core.log.Log, message: "password is {{ secret('DB_PASSWORD') }}" }
  - { id: out, type: core.output.OutputValues, values: { pw: "{{ secret('DB_PASSWORD') }}" } }
  - { id: fail, type: core.execution.Fail, errorMessage: "bad {{ secret('DB_PASSWORD') }}", allowFailure: true }
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    env: { PW: "{{ secret('DB_PASSWORD') }}" }
    commands: ['echo "from a script: $PW"']
`);
    const started = await h.client.start(TENANT, "mask", "leaky");
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("WARNING");
    const logs = await h.client.logs(TENANT, done.id);
    expect(logs.find((l) => l.taskId === "log")?.message).toBe("password is ******");
    expect(logs.find((l) => l.taskId === "shell")?.message).toBe("from a script: ******");
    expect(done.taskRunList.find((r) => r.taskId === "out")?.outputs).toEqual({ values: { pw: "******" } });
    const dump = JSON.stringify(
      await h.query(
        `select (select json_agg(e) from executions e) as e, (select json_agg(t) from task_runs t) as t,
           (select json_agg(l) from log_entries l) as l`,
      ),
    );
    expect(dump).not.toContain(SECRET);
    expect(dump).toContain("******");
  });
});
