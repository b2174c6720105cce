import { describe, expect, it } from "vitest";
import { harness, runOf } from "./harness";

// Kestra's child-flow: a Sleep the kill must cut short.
const childFlow = `id: child-flow
namespace: t
tasks:
  - { id: long-running-task, type: core.flow.Sleep, duration: PT1H }
`;

const killing = (propagate: string) => `id: kill-with-propagation
namespace: t
tasks:
  - { id: subflow, type: core.flow.Subflow, namespace: t, flowId: child-flow, wait: false }
  - { id: kill-task, type: core.execution.Kill${propagate} }
`;

const childOf = (h: ReturnType<typeof harness>, parentId: string) => {
  const id = String(runOf(h.engine.get(parentId), "subflow").outputs?.executionId);
  return h.engine.get(id);
};

describe("kill propagation to subflows started without waiting (Kestra's KillTest)", () => {
  it("Kill with propagateKill (the default) kills the child started with wait: false", async () => {
    const h = harness({ flows: [childFlow] });
    const parent = await h.run(killing(""));
    expect(parent.state.current).toBe("KILLED");
    await h.engine.idle();
    expect(childOf(h, parent.id).state.current).toBe("KILLED");
  });

  it("Kill with propagateKill: false leaves it running to its end", async () => {
    const h = harness({ flows: [childFlow] });
    const parent = await h.run(killing(", propagateKill: false"));
    expect(parent.state.current).toBe("KILLED");
    await h.engine.idle();
    expect(childOf(h, parent.id).state.current).toBe("SUCCESS");
  });

  it("the kill operation kills them, and theirs in turn", async () => {
    const middle = `id: middle
namespace: t
tasks:
  - { id: grand, type: core.flow.Subflow, namespace: t, flowId: child-flow, wait: false }
  - { id: hang, type: test.Hang }
`;
    const h = harness({ flows: [childFlow, middle] });
    const parent = await h.startAndSettle(`id: top
namespace: t
tasks:
  - { id: subflow, type: core.flow.Subflow, namespace: t, flowId: middle, wait: false }
  - { id: hang, type: test.Hang }
`);
    await h.engine.kill(parent.id);
    await h.engine.idle();
    const mid = childOf(h, parent.id);
    expect(mid.state.current).toBe("KILLED");
    const grandId = String(runOf(mid, "grand").outputs?.executionId);
    expect(h.engine.get(grandId).state.current).toBe("KILLED");
    expect(h.engine.takeFailures()).toEqual([]);
  });

  it("leaves a child that has ended as it is", async () => {
    const quick = `id: quick\nnamespace: t\ntasks:\n  - { id: log, type: core.log.Log, message: hi }\n`;
    const h = harness({ flows: [quick] });
    const parent = await h.startAndSettle(`id: p
namespace: t
tasks:
  - { id: subflow, type: core.flow.Subflow, namespace: t, flowId: quick, wait: false }
  - { id: hang, type: test.Hang }
`);
    const child = childOf(h, parent.id);
    await h.engine.wait(child.id);
    await h.engine.kill(parent.id);
    await h.engine.idle();
    expect(h.engine.get(child.id).state.current).toBe("SUCCESS");
    expect(h.engine.takeFailures()).toEqual([]);
  });

  it("before StepEnv.killUnwaitedSubflows (an old Temporal history), the kill operation leaves them", async () => {
    const h = harness({ flows: [childFlow], killUnwaitedSubflows: false });
    const parent = await h.startAndSettle(`id: old
namespace: t
tasks:
  - { id: subflow, type: core.flow.Subflow, namespace: t, flowId: child-flow, wait: false }
  - { id: hang, type: test.Hang }
`);
    await h.engine.kill(parent.id);
    await h.engine.idle();
    expect(childOf(h, parent.id).state.current).toBe("SUCCESS");
  });
});
