import { describe, expect, it } from "vitest";
import { flowJsonSchema } from "@/engine/flow";
import { executionGraph, flowGraph } from "@/engine/graph";
import { builtInRegistry } from "@/plugins";
import { toExecutionJson } from "../serialize";
import { checkInvariants, harness, ms, runOf, runsOf, settle } from "./harness";

const values = (runs: { outputs?: Record<string, unknown> | null }[]) => runs.map((r) => r.outputs?.value);

/**
 * Iterations run inline, as task runs of the loop's own execution: how a Temporal run started before the
 * `cadenza-loop-executions` patch goes on. loop-executions.test.ts has Kestra 2.0's LOOP executions.
 */
const INLINE = { loopExecutions: false };

describe("Loop (Kestra 2.0), iterations inline", () => {
  it("runs its tasks per value with item.value / item.index and the iteration's own outputs", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: ["a", "b", "a"]
    tasks:
      - id: first
        type: core.debug.Return
        format: "{{ item.value }}{{ item.index }}"
      - id: second
        type: core.debug.Return
        format: "{{ outputs.first.value }}!"
`);
    expect(execution.state.current).toBe("SUCCESS");
    // 1 loop + 3 iterations x 2 tasks; a repeated value is its own iteration.
    expect(execution.taskRunList).toHaveLength(7);
    expect(values(runsOf(execution, "first"))).toEqual(["a0", "b1", "a2"]);
    expect(values(runsOf(execution, "second"))).toEqual(["a0!", "b1!", "a2!"]);
    expect(runsOf(execution, "first").map((r) => [r.value, r.iteration])).toEqual([
      ["a", 0],
      ["b", 1],
      ["a", 2],
    ]);
    expect(runOf(execution, "loop").outputs).toMatchObject({
      iterationCount: 3,
      runningIterations: 0,
      terminatedIterations: 3,
    });
    checkInvariants(execution);
  });

  it("iterates a map with item.key, a JSON string, and item.value inside nested flowables", async () => {
    const h = harness(INLINE);
    const execution = await h.run(
      `id: l
namespace: t
inputs: [{ id: list, type: JSON }]
tasks:
  - id: map
    type: core.flow.Loop
    values: { x: 1, y: { z: 2 } }
    tasks:
      - id: kv
        type: core.debug.Return
        format: "{{ item.key }}={{ item.value }}"
  - id: json
    type: core.flow.Loop
    values: "{{ inputs.list }}"
    tasks:
      - id: deep
        type: core.flow.If
        condition: "{{ item.index == 1 }}"
        then:
          - id: inside
            type: core.debug.Return
            format: "{{ item.value }}"
`,
      { list: "[10, 20]" },
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(values(runsOf(execution, "kv"))).toEqual(["x=1", 'y={"z":2}']);
    expect(values(runsOf(execution, "inside"))).toEqual(["20"]);
  });

  it("nests loops: item.parent and item.parents[n] are the outer loops' items", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: outer
    type: core.flow.Loop
    values: { eu: ["paris", "berlin"], us: ["nyc"] }
    tasks:
      - id: middle
        type: core.flow.Loop
        values: "{{ item.value }}"
        tasks:
          - id: inner
            type: core.flow.Loop
            values: [1]
            tasks:
              - id: leaf
                type: core.debug.Return
                format: "{{ item.parents[1].key }}/{{ item.parent.value }}#{{ item.parent.index }}/{{ item.value }}-{{ item.parent.parent.index }}"
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(values(runsOf(execution, "leaf")).sort()).toEqual([
      "eu/berlin#1/1-0",
      "eu/paris#0/1-0",
      "us/nyc#0/1-1",
    ]);
    // outer + 2 middles + 3 inners + 3 leaves
    expect(execution.taskRunList).toHaveLength(9);
    checkInvariants(execution);
  });

  it("runs at most concurrencyLimit iterations at once (0 = all)", async () => {
    const flow = (limit: number) => `id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b, c, d, e]
    concurrencyLimit: ${limit}
    tasks:
      - { id: first, type: core.flow.Sleep, duration: PT1S }
      - { id: second, type: core.flow.Sleep, duration: PT1S }
`;
    const h = harness(INLINE);
    for (const [limit, total, peak] of [
      [1, 10_000, 1],
      [2, 6_000, 2],
      [0, 2_000, 5],
    ] as const) {
      const execution = await h.run(flow(limit));
      expect(ms(execution.state.endDate ?? "") - ms(execution.state.startDate), `limit ${limit}`).toBe(total);
      // Iterations RUNNING at any instant: an iteration runs from its first task's start to its last's end.
      const spans = [0, 1, 2, 3, 4].map((index) => {
        const runs = execution.taskRunList.filter((r) => r.iteration === index);
        return [
          Math.min(...runs.map((r) => Date.parse(r.state.startDate))),
          Math.max(...runs.map((r) => Date.parse(r.state.endDate ?? ""))),
        ] as const;
      });
      const concurrent = Math.max(
        ...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length),
      );
      expect(concurrent, `limit ${limit}`).toBe(peak);
    }
  });

  it("reports runningIterations while it runs", async () => {
    const h = harness(INLINE);
    const started = await h.startAndSettle(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b, c]
    concurrencyLimit: 2
    tasks:
      - { id: wait, type: core.flow.Sleep, duration: PT1S }
`);
    expect(runOf(started, "loop").outputs).toMatchObject({
      iterationCount: 2,
      runningIterations: 2,
      terminatedIterations: 0,
    });
    expect(runsOf(started, "wait").filter((r) => r.state.current === "RUNNING")).toHaveLength(2);
    const done = await h.engine.wait(started.id);
    expect(runOf(done, "loop").outputs).toMatchObject({ iterationCount: 3, terminatedIterations: 3 });
    await settle(h.engine);
  });

  it("stops starting iterations once breakWhen holds, and succeeds", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [1, 2, 3, 4, 5]
    concurrencyLimit: 1
    breakWhen: "{{ outputs.calc.value == '3' or item.index > 10 }}"
    tasks:
      - { id: calc, type: core.debug.Return, format: "{{ item.value }}" }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(values(runsOf(execution, "calc"))).toEqual(["1", "2", "3"]);
    expect(runOf(execution, "loop").outputs).toMatchObject({ iterationCount: 3, terminatedIterations: 3 });
  });

  it("fails on a failed iteration and starts no more (transmitFailed default); errors run inside it, finally once", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b, c]
    concurrencyLimit: 1
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ item.value == 'b' }}"
    errors:
      - { id: handle, type: core.debug.Return, format: "handled {{ item.value }}#{{ item.index }}" }
    finally:
      - { id: always, type: core.debug.Return, format: "done" }
`);
    expect(execution.state.current).toBe("FAILED");
    expect(runsOf(execution, "work").map((r) => r.value)).toEqual(["a", "b"]);
    expect(values(runsOf(execution, "handle"))).toEqual(["handled b#1"]);
    expect(runOf(execution, "handle").iteration).toBe(1);
    expect(runsOf(execution, "always")).toHaveLength(1);
    expect(runOf(execution, "always").iteration).toBeNull();
    checkInvariants(execution);
  });

  it("with transmitFailed: false runs every iteration and succeeds despite failures", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b, c]
    concurrencyLimit: 1
    transmitFailed: false
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ item.value == 'b' }}"
    errors:
      - { id: handle, type: core.debug.Return, format: "{{ item.value }}" }
  - { id: after, type: core.debug.Return, format: "{{ outputs.loop.terminatedIterations }}" }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(runOf(execution, "loop").state.current).toBe("SUCCESS");
    expect(runsOf(execution, "work").map((r) => r.state.current)).toEqual(["SUCCESS", "FAILED", "SUCCESS"]);
    expect(runOf(execution, "after").outputs).toEqual({ value: "3" });
    expect(values(runsOf(execution, "handle"))).toEqual(["b"]);
  });

  it("collects declared outputs per iteration; loopOutputs() picks one of them; fetchType trims", async () => {
    const h = harness(INLINE);
    const flow = (fetchType: string) => `id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: { k1: a, k2: b }
    fetchType: ${fetchType}
    outputs:
      upper: "{{ outputs.up.value }}"
      index: "{{ item.index }}"
    tasks:
      - { id: up, type: core.debug.Return, format: "{{ item.value | upper }}" }
  - id: read
    type: core.output.OutputValues
    values:
      list: "{{ loopOutputs(outputs.loop.outputs ?? [], 'upper') }}"
`;
    const fetched = await h.run(flow("FETCH"));
    expect(fetched.state.current).toBe("SUCCESS");
    expect(runOf(fetched, "loop").outputs?.outputs).toEqual([
      { item: { value: "a", index: 0, iteration: 0, key: "k1" }, outputs: { upper: "A", index: 0 } },
      { item: { value: "b", index: 1, iteration: 1, key: "k2" }, outputs: { upper: "B", index: 1 } },
    ]);
    expect(runOf(fetched, "read").outputs).toEqual({ values: { list: ["A", "B"] } });
    const one = await h.run(flow("FETCH_ONE"));
    expect(runOf(one, "read").outputs).toEqual({ values: { list: ["A"] } });
    const none = await h.run(flow("NONE"));
    expect(runOf(none, "loop").outputs?.outputs).toBeUndefined();
    expect(runOf(none, "read").outputs).toEqual({ values: { list: [] } });
  });

  it("accepts outputs as a list of {id, value}, as flow outputs are written", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [x]
    outputs:
      - { id: v, type: STRING, value: "{{ item.value }}-{{ outputs.r.value }}" }
    tasks:
      - { id: r, type: core.debug.Return, format: "r" }
`);
    expect(runOf(execution, "loop").outputs?.outputs).toEqual([
      { item: { value: "x", index: 0, iteration: 0 }, outputs: { v: "x-r" } },
    ]);
  });

  it("reads a kestra:// file, one iteration per line, through the driver", async () => {
    const h = harness(INLINE);
    const uri = await h.engine.storage.put("kestra:///t/l/lines.txt", "one\ntwo\nthree\n");
    const execution = await h.run(
      `id: l
namespace: t
inputs: [{ id: file, type: STRING }]
tasks:
  - id: loop
    type: core.flow.Loop
    values: "{{ inputs.file }}"
    concurrencyLimit: 2
    tasks:
      - { id: line, type: core.debug.Return, format: "{{ item.index }}:{{ item.value }}" }
`,
      { file: uri },
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(values(runsOf(execution, "line"))).toEqual(["0:one", "1:two", "2:three"]);
    const missing = await h.run(
      `id: l2
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: "kestra:///t/l/none.txt"
    tasks: [{ id: x, type: core.log.Log, message: x }]
`,
    );
    expect(missing.state.current).toBe("FAILED");
  });

  it("succeeds at once on empty values, fails on values that are not a list or map", async () => {
    const h = harness(INLINE);
    const empty = await h.run(
      `id: l\nnamespace: t\ntasks:\n  - id: loop\n    type: core.flow.Loop\n    values: []\n    tasks: [{ id: x, type: core.log.Log, message: x }]\n`,
    );
    expect(empty.state.current).toBe("SUCCESS");
    expect(runOf(empty, "loop").outputs).toMatchObject({ iterationCount: 0, outputs: [] });
    const wrong = await h.run(
      `id: l3\nnamespace: t\ntasks:\n  - id: loop\n    type: core.flow.Loop\n    values: "not json"\n    tasks: [{ id: x, type: core.log.Log, message: x }]\n`,
    );
    expect(wrong.state.current).toBe("FAILED");
  });

  it("keeps value and iteration on each run of the execution JSON", async () => {
    const h = harness(INLINE);
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [p, q]
    tasks: [{ id: x, type: core.debug.Return, format: "{{ item.value }}" }]
`);
    const json = toExecutionJson(execution) as { taskRunList: Record<string, unknown>[] };
    expect(json.taskRunList.filter((r) => r.taskId === "x").map((r) => [r.value, r.iteration])).toEqual([
      ["p", 0],
      ["q", 1],
    ]);
    expect(JSON.stringify(json)).not.toContain("loopValues");
  });

  it("keeps its tasks' outputs inside the iteration: a task after the loop cannot read them", async () => {
    const h = harness(INLINE);
    const flow = await h.load(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a]
    tasks: [{ id: inner, type: core.debug.Return, format: "{{ item.value }}" }]
  - id: after
    type: core.debug.Return
    format: "{{ outputs.inner.value }}"
`);
    const started = await h.engine.start(flow);
    const execution = await h.engine.wait(started.id);
    h.engine.takeFailures();
    expect(execution.state.current).toBe("FAILED");
    expect(runOf(execution, "after").state.current).toBe("FAILED");
    expect(runOf(execution, "inner").outputs).toEqual({ value: "a" });
  });

  it("gives each task node of the execution graph one run per iteration, with its index", async () => {
    const h = harness(INLINE);
    const flow = h.load(`id: lg
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [p, q, r]
    tasks: [{ id: x, type: core.debug.Return, format: "{{ item.value }}" }]
`);
    const started = await h.engine.start(flow);
    const execution = await h.engine.wait(started.id);
    const graph = executionGraph(flowGraph(flow, h.registry), execution);
    const node = graph.nodes.find((n) => n.taskId === "x");
    expect(node?.runs?.map((r) => [r.iteration, r.value, r.state])).toEqual([
      [0, "p", "SUCCESS"],
      [1, "q", "SUCCESS"],
      [2, "r", "SUCCESS"],
    ]);
  });

  it("is in the editor's JSON schema with its properties and defaults", () => {
    const schema = flowJsonSchema(builtInRegistry()) as {
      $defs: Record<string, { properties?: Record<string, Record<string, unknown>>; examples?: string[] }>;
    };
    const loop = schema.$defs["plugin:core.flow.Loop"];
    expect(loop?.properties?.type?.enum).toEqual(["core.flow.Loop", "io.kestra.plugin.core.flow.Loop"]);
    expect(loop?.properties?.transmitFailed).toMatchObject({ default: true });
    expect(loop?.properties?.fetchType).toMatchObject({ default: "AUTO" });
    for (const key of ["values", "concurrencyLimit", "breakWhen", "outputs", "tasks", "errors", "finally"])
      expect(loop?.properties, key).toHaveProperty(key);
    expect(loop?.examples?.[0]).toMatch(/loopOutputs/);
  });

  it("refuses fetchType STORE with a message saying what to write", async () => {
    const h = harness(INLINE);
    expect(() =>
      h.load(
        `id: l\nnamespace: t\ntasks:\n  - id: loop\n    type: core.flow.Loop\n    values: [1]\n    fetchType: STORE\n    tasks: [{ id: x, type: core.log.Log, message: x }]\n`,
      ),
    ).toThrow(/STORE is not supported.*FETCH/);
  });
});
