import { describe, expect, it } from "vitest";
import { harness, runOf } from "./harness";

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
async function run(options: { fail: boolean; wait: boolean; kestraCounts?: boolean }) {
  const h = harness({
    flows: [child(options.fail)],
    ...(options.kestraCounts !== undefined ? { forEachItemKestraCounts: options.kestraCounts } : {}),
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
    const waited = await run({ fail: true, wait: true, kestraCounts: false });
    expect(runOf(waited, "each").outputs).toEqual({ numberOfBatches: 3, iterations: { FAILED: 3 } });
    const unwaited = await run({ fail: false, wait: false, kestraCounts: false });
    expect(runOf(unwaited, "each").outputs).toEqual({ numberOfBatches: 3, iterations: { CREATED: 3 } });
  });
});
