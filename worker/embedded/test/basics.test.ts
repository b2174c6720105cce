import { describe, expect, it } from "vitest";
import { InputValidationError } from "@/engine/executor";
import { setUpEmbeddedEngine, TENANT } from "./harness";

const h = setUpEmbeddedEngine();

describe("embedded engine: basics", () => {
  it("runs a flow to its end, stores the execution, its task runs and logs", async () => {
    await h.startRuntime();
    await h.deploy(`id: hello
namespace: company.team
inputs:
  - { id: name, type: STRING, defaults: world }
outputs:
  - { id: greeting, type: STRING, value: "{{ outputs.greet.value }}" }
tasks:
  - { id: greet, type: core.debug.Return, format: "Hello {{ inputs.name }}" }
  - { id: say, type: core.log.Log, message: "{{ outputs.greet.value }}" }
  - id: later
    type: core.flow.Sequential
    tasks:
      - { id: nap, type: core.flow.Sleep, duration: PT0.2S }
`);
    const started = await h.client.start(TENANT, "company.team", "hello", { inputs: { name: "Ada" } });
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.outputs).toEqual({ greeting: "Hello Ada" });
    const runs = await h.query<{ task_id: string; state: string; position: number }>(
      "select task_id, state, position from task_runs where execution_id = $1 order by position",
      [done.id],
    );
    expect(runs.map((r) => [r.task_id, r.state])).toEqual([
      ["greet", "SUCCESS"],
      ["say", "SUCCESS"],
      ["later", "SUCCESS"],
      ["nap", "SUCCESS"],
    ]);
    const [row] = await h.query<{ state: string; end_date: Date | null }>(
      "select state, end_date from executions where id = $1",
      [done.id],
    );
    expect(row?.state).toBe("SUCCESS");
    expect(row?.end_date).toBeInstanceOf(Date);
    const logs = await h.client.logs(TENANT, done.id);
    expect(logs.find((l) => l.taskId === "say")?.message).toBe("Hello Ada");
  });

  it("creates nothing for invalid inputs and hides other tenants' executions", async () => {
    const before = await h.query("select count(*)::int as n from executions");
    await expect(
      h.client.start(TENANT, "company.team", "hello", { inputs: { name: 3 } }),
    ).resolves.toBeDefined();
    await h.deploy(
      `id: strict\nnamespace: company.team\ninputs:\n  - { id: n, type: INT }\ntasks:\n  - { id: t, type: core.log.Log, message: x }\n`,
    );
    const error = await h.client
      .start(TENANT, "company.team", "strict", { inputs: { n: "x" } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    const after = await h.query<{ n: number }>("select count(*)::int as n from executions");
    expect(after[0]?.n).toBe(((before[0] as { n: number }).n ?? 0) + 1);
    const mine = await h.client.start(TENANT, "company.team", "strict", { inputs: { n: "1" } });
    expect(await h.client.get("tenant-other", mine.id)).toBeUndefined();
  });
});
