import { describe, expect, it } from "vitest";
import { checkInvariants, harness, runOf, runsOf } from "./harness";

const child = (fail: boolean) => `id: child
namespace: t
inputs: [{ id: items, type: STRING }]
tasks:
  - id: step
    type: ${fail ? "core.execution.Fail" : "core.log.Log"}
${fail ? "" : "    message: '{{ inputs.items }}'\n"}`;

const parent = (wait: boolean) => `id: parent
namespace: t
inputs: [{ id: file, type: STRING }]
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch: { rows: 2 }
    namespace: t
    flowId: child
    wait: ${wait}
    transmitFailed: true
    inputs: { items: "{{ taskrun.items }}" }
`;

/** Five rows in batches of two: three subflows. */
async function run(options: { fail: boolean; wait: boolean; kestraCounts?: boolean; tasks?: boolean }) {
  const h = harness({
    flows: [child(options.fail)],
    ...(options.kestraCounts !== undefined ? { forEachItemKestraCounts: options.kestraCounts } : {}),
    ...(options.tasks !== undefined ? { forEachItemTasks: options.tasks } : {}),
  });
  const uri = await h.engine.storage.put("kestra:///t/parent/rows.txt", "a\nb\nc\nd\ne\n");
  return h.run(parent(options.wait), { file: uri });
}

describe("ForEachItem's iterations output (Kestra's counters)", () => {
  it("keeps CREATED and RUNNING at 0 once every subflow has ended (ForEachItemCaseTest.forEachItemFailed)", async () => {
    const execution = await run({ fail: true, wait: true });
    expect(execution.state.current).toBe("FAILED");
    expect(runOf(execution, "each").outputs).toEqual({
      numberOfBatches: 3,
      iterations: { CREATED: 0, RUNNING: 0, FAILED: 3 },
    });
  });

  it("counts subflows it does not wait for as SUCCESS (ForEachItemCaseTest.forEachItemNoWait)", async () => {
    const execution = await run({ fail: false, wait: false });
    expect(execution.state.current).toBe("SUCCESS");
    expect(runOf(execution, "each").outputs).toEqual({
      numberOfBatches: 3,
      iterations: { RUNNING: 0, SUCCESS: 3 },
    });
  });

  it("counts only the states held in a ForEachItem started before the rule (an old Temporal history)", async () => {
    // Started before the internal tasks too: the patches came in that order.
    const waited = await run({ fail: true, wait: true, kestraCounts: false, tasks: false });
    expect(runOf(waited, "each").outputs).toEqual({ numberOfBatches: 3, iterations: { FAILED: 3 } });
    const unwaited = await run({ fail: false, wait: false, kestraCounts: false, tasks: false });
    expect(runOf(unwaited, "each").outputs).toEqual({ numberOfBatches: 3, iterations: { CREATED: 3 } });
  });
});

const withOutputs = `id: child
namespace: t
inputs: [{ id: items, type: STRING }]
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(inputs.items) | trim }}"
outputs:
  - { id: value, type: STRING, value: "{{ outputs.return.value }}" }
`;

const parentWithErrors = `id: parent
namespace: t
inputs: [{ id: file, type: STRING }]
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch: { rows: 2 }
    namespace: t
    flowId: child
    inputs: { items: "{{ taskrun.items }}" }
    errors:
      - { id: handled, type: io.kestra.plugin.core.log.Log, message: "{{ taskrun.id }}" }
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.each_merge.subflowOutputs }}"
`;

async function runTasks(childYaml: string, rows = "a\nb\nc\nd\ne\n", tasks?: boolean) {
  const h = harness({ flows: [childYaml], ...(tasks !== undefined ? { forEachItemTasks: tasks } : {}) });
  const uri = await h.engine.storage.put("kestra:///t/parent/rows.txt", rows);
  const execution = await h.run(parentWithErrors, { file: uri });
  checkInvariants(execution);
  return { h, execution };
}

const read = async (h: ReturnType<typeof harness>, uri: unknown) =>
  new TextDecoder().decode(await h.engine.storage.get(String(uri)));

describe("ForEachItem's internal task runs (Kestra's ForEachItem.getTasks)", () => {
  it("runs <id>_split, <id>_items, <id>_merge under it, the merge a file of the subflows' flow outputs (forEachItemWithSubflowOutputs)", async () => {
    const { h, execution } = await runTasks(withOutputs);
    expect(execution.state.current).toBe("SUCCESS");
    const each = runOf(execution, "each");
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual([
      "each",
      "each_split",
      "each_items",
      "each_merge",
      "after",
    ]);
    for (const id of ["each_split", "each_items", "each_merge"]) {
      expect(runOf(execution, id).parentTaskRunId).toBe(each.id);
      expect(runOf(execution, id).state.current).toBe("SUCCESS");
    }
    const splits = await read(h, runOf(execution, "each_split").outputs?.splits);
    expect(splits.split("\n")).toHaveLength(3);
    expect(await read(h, splits.split("\n")[2])).toBe("e\n");
    const counts = { numberOfBatches: 3, iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 3 } };
    expect(runOf(execution, "each_items").outputs).toEqual(counts);
    // The ForEachItem run keeps them too, which the shared corpus reads as outputs.each.
    expect(each.outputs).toEqual(counts);
    const merged = runOf(execution, "each_merge").outputs?.subflowOutputs;
    expect(runOf(execution, "after").outputs?.value).toBe(merged);
    expect(await read(h, merged)).toBe('{"value":"a\\nb"}\n{"value":"c\\nd"}\n{"value":"e"}\n');
  });

  it("ends at the failed <id>_items, then runs the ForEachItem's errors (forEachItemFailed: three task runs)", async () => {
    const { execution } = await runTasks(child(true));
    expect(execution.state.current).toBe("FAILED");
    expect(runOf(execution, "each_items").state.current).toBe("FAILED");
    expect(runOf(execution, "each_items").outputs).toEqual({
      numberOfBatches: 3,
      iterations: { CREATED: 0, RUNNING: 0, FAILED: 3 },
    });
    expect(runsOf(execution, "each_merge")).toHaveLength(0);
    expect(runOf(execution, "handled").parentTaskRunId).toBe(runOf(execution, "each").id);
    expect(runsOf(execution, "after")).toHaveLength(0);
  });

  it("gives <id>_items and <id>_merge no outputs when there is nothing to split (forEachItemEmptyItems)", async () => {
    const { execution } = await runTasks(withOutputs, "");
    expect(runOf(execution, "each").state.current).toBe("SUCCESS");
    // outputs.each_merge.subflowOutputs is undefined, as in Kestra: `after` cannot render.
    expect(runOf(execution, "after").state.current).toBe("FAILED");
    expect(runOf(execution, "each_items").outputs).toBeNull();
    expect(runOf(execution, "each_merge").outputs).toBeNull();
  });

  it("restarts the failed <id>_items: it starts the batches' subflows again from the split it kept", async () => {
    const { h, execution } = await runTasks(child(true));
    const firstChildren = [...h.engine.executions.values()].filter((e) => e.flowId === "child").length;
    await h.engine.restart(execution.id);
    const restarted = await h.engine.wait(execution.id);
    expect(restarted.state.current).toBe("FAILED");
    expect(runsOf(restarted, "each_split")).toHaveLength(1);
    expect(runsOf(restarted, "each_items")).toHaveLength(1);
    expect([...h.engine.executions.values()].filter((e) => e.flowId === "child")).toHaveLength(
      firstChildren + 3,
    );
  });

  it("kills the subflows <id>_items started when the execution is killed", async () => {
    const h = harness({
      flows: [
        "id: child\nnamespace: t\ninputs: [{ id: items, type: STRING }]\ntasks:\n  - { id: hang, type: test.Hang }\n",
      ],
    });
    const uri = await h.engine.storage.put("kestra:///t/parent/rows.txt", "a\nb\nc\n");
    const parent = await h.startAndSettle(parentWithErrors, { file: uri });
    expect(runOf(parent, "each_items").state.current).toBe("RUNNING");
    await h.engine.kill(parent.id);
    await h.engine.idle();
    const children = [...h.engine.executions.values()].filter((e) => e.flowId === "child");
    expect(children).toHaveLength(2);
    for (const c of children) expect(h.engine.get(c.id).state.current).toBe("KILLED");
    const killed = h.engine.get(parent.id);
    expect(runOf(killed, "each_items").state.current).toBe("KILLED");
    expect(runOf(killed, "each").state.current).toBe("KILLED");
  });

  it("runs as one task run when the ForEachItem started before that rule (an old Temporal history)", async () => {
    const { execution } = await runTasks(withOutputs, "a\nb\nc\n", false);
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual(["each", "after"]);
    expect(runOf(execution, "each").outputs).toEqual({
      numberOfBatches: 2,
      iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 2 },
    });
  });
});
