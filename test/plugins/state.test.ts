import { describe, expect, it } from "vitest";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

describe("core.state.Set / Get / Delete", () => {
  it("merges values into a flow's state across executions, reads and deletes it", async () => {
    const { engine } = newEngine();
    const setFlow = (data: string) => `id: stateful
namespace: company.team
tasks:
  - id: set
    type: io.kestra.plugin.core.state.Set
    name: cursor
    data: ${data}
  - { id: get, type: io.kestra.core.tasks.states.Get, name: cursor }
`;
    const first = await run(engine, setFlow('{ last: "a.csv", seen: { a: 1 } }'));
    expect(outputsOf(first, "set")).toMatchObject({
      count: 2,
      key: expect.stringContaining("/stateful/states/"),
    });
    const second = await run(engine, setFlow('{ last: "b.csv", seen: { b: 2 } }'));
    expect(outputsOf(second, "get")).toEqual({ count: 2, data: { last: "b.csv", seen: { a: 1, b: 2 } } });

    const cleanup = `id: stateful
namespace: company.team
tasks:
  - { id: delete, type: io.kestra.plugin.core.state.Delete, name: cursor }
  - { id: again, type: io.kestra.plugin.core.state.Delete, name: cursor }
  - { id: get, type: io.kestra.plugin.core.state.Get, name: cursor }
  - { id: strict, type: io.kestra.plugin.core.state.Get, name: cursor, errorOnMissing: true }
`;
    const deleted = await run(engine, cleanup);
    expect(outputsOf(deleted, "delete")).toEqual({ deleted: true });
    expect(outputsOf(deleted, "again")).toEqual({ deleted: false });
    expect(outputsOf(deleted, "get")).toEqual({ count: 0, data: {} });
    expect(errorOf(deleted, "strict")).toBe("the state 'cursor' does not exist");
  });

  it("keeps a state per taskrun.value, or per namespace when asked", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: per_value
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x", "y"]
    tasks:
      - { id: set, type: io.kestra.plugin.core.state.Set, name: s, data: { v: "{{ taskrun.value }}" } }
      - { id: shared, type: io.kestra.plugin.core.state.Set, name: s, taskrunValue: false, data: { "{{ taskrun.value }}": true } }
  - { id: get, type: io.kestra.plugin.core.state.Get, name: s, taskrunValue: false }
  - id: ns
    type: io.kestra.plugin.core.state.Set
    name: common
    namespace: true
    data: { from: per_value }
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const perValue = execution.taskRunList.filter((r) => r.taskId === "set").map((r) => r.outputs?.key);
    expect(new Set(perValue).size).toBe(2);
    expect(outputsOf(execution, "get")).toEqual({ count: 2, data: { x: true, y: true } });

    const other = await run(
      engine,
      `id: another_flow
namespace: company.team
tasks:
  - { id: get, type: io.kestra.plugin.core.state.Get, name: common, namespace: true }
  - { id: own, type: io.kestra.plugin.core.state.Get, name: common }
`,
    );
    expect(outputsOf(other, "get")).toEqual({ count: 1, data: { from: "per_value" } });
    expect(outputsOf(other, "own")).toEqual({ count: 0, data: {} });
  });
});
