import { describe, expect, it } from "vitest";
import type { MemoryEngine } from "@/worker/memory";
import type { Execution } from "../model";
import { toExecutionJson } from "../serialize";
import { checkInvariants, harness, runOf, runsOf, settle } from "./harness";

/** The LOOP executions of one Loop's execution, in iteration order. */
function iterations(engine: MemoryEngine, parent: Execution): Execution[] {
  return [...engine.executions.values()]
    .filter((e) => e.kind === "LOOP" && e.loopRun?.executionId === parent.id)
    .sort((a, b) => (a.loopRun?.index ?? 0) - (b.loopRun?.index ?? 0));
}

const value = (execution: Execution, taskId: string) => runOf(execution, taskId).outputs?.value;

describe("Loop (Kestra 2.0): each iteration an execution of kind LOOP", () => {
  it("runs each iteration as a child execution of the same flow revision, pointing at the loop's run", async () => {
    const h = harness();
    const execution = await h.run(`id: l
namespace: t
inputs:
  - { id: who, type: STRING, defaults: ada }
tasks:
  - { id: before, type: core.debug.Return, format: B }
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [a, b]
    tasks:
      - id: x
        type: core.debug.Return
        format: "{{ item.value }}-{{ item.index }}-{{ outputs.before.value }}-{{ inputs.who }}"
  - id: after
    type: core.debug.Return
    format: "{{ loopOutputs(outputs.loop.outputs, 'v') }}"
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual(["before", "loop", "after"]);
    const loopRun = runOf(execution, "loop");
    expect(loopRun.outputs).toMatchObject({
      iterationCount: 2,
      runningIterations: 0,
      terminatedIterations: 2,
    });
    const children = iterations(h.engine, execution);
    expect(children).toHaveLength(2);
    children.forEach((child, index) => {
      expect(child.state.current).toBe("SUCCESS");
      expect(child.parentId).toBe(execution.id);
      expect(child.flowRevision).toBe(execution.flowRevision);
      expect(child.loopRun).toEqual({
        executionId: execution.id,
        taskId: "loop",
        taskRunId: loopRun.id,
        value: ["a", "b"][index],
        index,
        parents: [],
      });
      expect(child.taskRunList.map((r) => r.taskId)).toEqual(["x"]);
      checkInvariants(child);
    });
    expect(children.map((c) => value(c, "x"))).toEqual(["a-0-B-ada", "b-1-B-ada"]);
    const json = toExecutionJson(children[0] as Execution);
    expect(json.kind).toBe("LOOP");
    expect(json.loopRun).toMatchObject({ taskId: "loop", index: 0, value: "a" });
    expect(toExecutionJson(execution).kind).toBeNull();
  });

  it("gives nested loops item.parent / item.parents[n] through the chain of LOOP executions", async () => {
    const h = harness();
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: outer
    type: core.flow.Loop
    values: { eu: [paris, berlin], us: [nyc] }
    outputs:
      - { id: leaves, value: "{{ loopOutputs(outputs.inner.outputs, 'leaf') }}" }
    tasks:
      - id: inner
        type: core.flow.Loop
        values: "{{ item.value }}"
        outputs:
          - { id: leaf, value: "{{ outputs.leaf.value }}" }
        tasks:
          - id: leaf
            type: core.debug.Return
            format: "{{ item.parent.key }}/{{ item.value }}#{{ item.parents[0].index }}.{{ item.index }}"
`);
    expect(execution.state.current).toBe("SUCCESS");
    const outer = iterations(h.engine, execution);
    expect(outer.map((e) => e.loopRun?.key)).toEqual(["eu", "us"]);
    const inner = iterations(h.engine, outer[0] as Execution);
    expect(inner.map((e) => e.loopRun?.parents)).toEqual([
      [{ value: '["paris","berlin"]', index: 0, key: "eu" }],
      [{ value: '["paris","berlin"]', index: 0, key: "eu" }],
    ]);
    expect(inner.map((e) => value(e, "leaf"))).toEqual(["eu/paris#0.0", "eu/berlin#0.1"]);
    const entries = runOf(execution, "outer").outputs?.outputs as { outputs: unknown }[];
    expect(entries.map((e) => e.outputs)).toEqual([
      { leaves: ["eu/paris#0.0", "eu/berlin#0.1"] },
      { leaves: ["us/nyc#1.0"] },
    ]);
  });

  it("runs at most concurrencyLimit iterations at once", async () => {
    const h = harness();
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
    const running = iterations(h.engine, started);
    expect(running.map((e) => e.state.current)).toEqual(["RUNNING", "RUNNING"]);
    expect(runOf(started, "loop").outputs).toMatchObject({ iterationCount: 2, runningIterations: 2 });
    const done = await h.engine.wait(started.id);
    expect(done.state.current).toBe("SUCCESS");
    expect(iterations(h.engine, done).map((e) => e.state.current)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    await settle(h.engine);
  });

  it("fails on a failed iteration and starts no more; errors and finally run inside each iteration", async () => {
    const h = harness();
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
      - { id: last, type: core.debug.Return, format: done }
`);
    expect(execution.state.current).toBe("FAILED");
    // Kestra 2.0's Loop resolves each iteration as a sequence of its tasks, errors and finally
    // (Loop.resolveNexts in its own sub-execution): nothing of the loop's runs in the parent.
    expect(execution.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([["loop", "FAILED"]]);
    const children = iterations(h.engine, execution);
    expect(children.map((e) => e.state.current)).toEqual(["SUCCESS", "FAILED"]);
    expect(value(children[1] as Execution, "handle")).toBe("handled b#1");
    expect(runsOf(children[0] as Execution, "handle")).toEqual([]);
    expect(children.map((e) => runsOf(e, "last").map((r) => r.state.current))).toEqual([
      ["SUCCESS"],
      ["SUCCESS"],
    ]);
  });

  it("with transmitFailed: false runs every iteration and succeeds; breakWhen stops starting new ones", async () => {
    const h = harness();
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: tolerant
    type: core.flow.Loop
    values: [a, b, c]
    transmitFailed: false
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ item.value == 'b' }}"
  - id: until
    type: core.flow.Loop
    values: [1, 2, 3, 4, 5]
    concurrencyLimit: 1
    breakWhen: "{{ outputs.calc.value == '3' and iteration.state == 'SUCCESS' }}"
    tasks:
      - { id: calc, type: core.debug.Return, format: "{{ item.value }}" }
`);
    expect(execution.state.current).toBe("SUCCESS");
    const all = iterations(h.engine, execution);
    const tolerant = all.filter((e) => e.loopRun?.taskId === "tolerant");
    expect(tolerant.map((e) => e.state.current)).toEqual(["SUCCESS", "FAILED", "SUCCESS"]);
    const until = all.filter((e) => e.loopRun?.taskId === "until");
    expect(until.map((e) => value(e, "calc"))).toEqual(["1", "2", "3"]);
    expect(runOf(execution, "until").outputs).toMatchObject({ iterationCount: 3, terminatedIterations: 3 });
  });

  it("kills its running iterations when its execution is killed", async () => {
    const h = harness();
    const started = await h.startAndSettle(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b]
    tasks:
      - { id: wait, type: core.flow.Sleep, duration: PT1H }
`);
    expect(iterations(h.engine, started).map((e) => e.state.current)).toEqual(["RUNNING", "RUNNING"]);
    await h.engine.kill(started.id);
    const killed = await h.engine.wait(started.id);
    expect(killed.state.current).toBe("KILLED");
    await settle(h.engine);
    expect(iterations(h.engine, killed).map((e) => e.state.current)).toEqual(["KILLED", "KILLED"]);
  });

  it("is not held by its flow's concurrency limit: iterations take no slot", async () => {
    const h = harness();
    const execution = await h.run(`id: l
namespace: t
concurrency: { limit: 1 }
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b, c]
    tasks:
      - { id: x, type: core.debug.Return, format: "{{ item.value }}" }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(iterations(h.engine, execution).map((e) => value(e, "x"))).toEqual(["a", "b", "c"]);
  });

  it("runs again only its failed iterations when its execution is restarted, as new LOOP executions", async () => {
    const h = harness();
    const failed = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b, c]
    tasks:
      - id: work
        type: core.execution.Fail
        condition: "{{ item.value == 'b' and (labels.system.restarted ?? 'no') == 'no' }}"
      - { id: x, type: core.debug.Return, format: "{{ item.value }}" }
    finally:
      - { id: last, type: core.debug.Return, format: done }
`);
    expect(failed.state.current).toBe("FAILED");
    const before = iterations(h.engine, failed);
    expect(before.map((e) => e.state.current)).toEqual(["SUCCESS", "FAILED", "SUCCESS"]);
    await h.engine.restart(failed.id);
    const done = await h.engine.wait(failed.id);
    expect(done.state.current).toBe("SUCCESS");
    const after = iterations(h.engine, done);
    expect(after.map((e) => [e.loopRun?.index, e.state.current])).toEqual([
      [0, "SUCCESS"],
      [1, "FAILED"],
      [1, "SUCCESS"],
      [2, "SUCCESS"],
    ]);
    expect(after.filter((e) => before.every((b) => b.id !== e.id)).map((e) => value(e, "x"))).toEqual(["b"]);
    expect(runOf(done, "loop").outputs).toMatchObject({ iterationCount: 3, terminatedIterations: 3 });
    expect(runsOf(done, "last")).toEqual([]);
    expect(after.map((e) => runsOf(e, "last").length)).toEqual([1, 1, 1, 1]);
  });

  it("reads a file's lines as Ion values, as Kestra 2.0 does: strings unquoted, structs as JSON, plain text as is", async () => {
    const lines = ['"quoted text"', '{ name: "ada", n: 1 }', "hello world", "1.50", "plain"];
    /** Each iteration's item.value, for the file of `lines` looped over in `h`. */
    const valuesRead = async (h: ReturnType<typeof harness>) => {
      const uri = await h.engine.storage.put("kestra:///t/l/rows.ion", `${lines.join("\n")}\n`);
      const execution = await h.run(
        `id: l
namespace: t
inputs: [{ id: file, type: STRING }]
tasks:
  - id: loop
    type: core.flow.Loop
    values: "{{ inputs.file }}"
    tasks:
      - { id: v, type: core.debug.Return, format: "{{ item.value }}" }
`,
        { file: uri },
      );
      expect(execution.state.current).toBe("SUCCESS");
      return iterations(h.engine, execution).map((e) => value(e, "v"));
    };
    expect(await valuesRead(harness())).toEqual([
      "quoted text",
      '{"name":"ada","n":1}',
      "hello world",
      "1.50",
      "plain",
    ]);
    // A loop started before these rules (a Temporal history without the patch) keeps the raw lines.
    expect(await valuesRead(harness({ loopIterationRules: false }))).toEqual(lines);
  });

  it("runs finally once in the loop's execution for a loop started before finally moved into iterations", async () => {
    // A Temporal history recorded before the `cadenza-loop-iteration-rules` patch replays this way.
    const h = harness({ loopIterationRules: false });
    const execution = await h.run(`id: l
namespace: t
tasks:
  - id: loop
    type: core.flow.Loop
    values: [a, b]
    tasks:
      - { id: x, type: core.debug.Return, format: "{{ item.value }}" }
    finally:
      - { id: last, type: core.debug.Return, format: done }
`);
    expect(execution.state.current).toBe("SUCCESS");
    expect(runsOf(execution, "last").map((r) => r.state.current)).toEqual(["SUCCESS"]);
    expect(iterations(h.engine, execution).map((e) => runsOf(e, "last").length)).toEqual([0, 0]);
  });
});
