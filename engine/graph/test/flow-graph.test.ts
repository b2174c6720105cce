import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createExecution } from "@/engine/executor";
import { type Flow, loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { conformanceDir } from "@/test/conformance/corpus";
import { executionGraph, type FlowGraph, flowGraph } from "..";

const registry = builtInRegistry();

function load(yaml: string): Flow {
  const { flow, errors } = loadFlow(yaml, { registry });
  if (!flow) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("\n"));
  return flow;
}

/** Edges as `source -> target (RELATION label)`, short uids (without `root.`). */
function edges(graph: FlowGraph): string[] {
  const short = (uid: string) => uid.replace(/^root\./, "").replace(/\$/g, "");
  return graph.edges.map(
    (e) => `${short(e.source)} -> ${short(e.target)} ${e.relation}${e.label ? ` ${e.label}` : ""}`,
  );
}

/** Every node is reachable from the start and reaches the end; every edge joins known nodes. */
function checkConnected(graph: FlowGraph): void {
  const uids = new Set(graph.nodes.map((n) => n.uid));
  expect(uids.size).toBe(graph.nodes.length);
  for (const edge of graph.edges) {
    expect(uids.has(edge.source), edge.source).toBe(true);
    expect(uids.has(edge.target), edge.target).toBe(true);
  }
  const reach = (from: string, next: (uid: string) => string[]) => {
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length)
      for (const n of next(queue.pop() as string)) if (!seen.has(n)) seen.add(n) && queue.push(n);
    return seen;
  };
  const forward = reach("root.$start", (uid) =>
    graph.edges.filter((e) => e.source === uid).map((e) => e.target),
  );
  const backward = reach("root.$end", (uid) =>
    graph.edges.filter((e) => e.target === uid).map((e) => e.source),
  );
  for (const node of graph.nodes) {
    if (node.kind === "trigger") continue;
    expect(forward.has(node.uid), `${node.uid} reachable from start`).toBe(true);
    expect(backward.has(node.uid), `${node.uid} reaches the end`).toBe(true);
  }
}

describe("flowGraph", () => {
  it("chains a sequence, fans out a Parallel, and draws errors and finally", () => {
    const graph = flowGraph(
      load(`id: g
namespace: t
tasks:
  - { id: a, type: core.log.Log, message: a }
  - id: p
    type: core.flow.Parallel
    tasks:
      - { id: b, type: core.log.Log, message: b }
      - { id: c, type: core.log.Log, message: c }
  - { id: d, type: core.log.Log, message: d }
errors:
  - { id: e, type: core.log.Log, message: e }
finally:
  - { id: f, type: core.log.Log, message: f }
triggers:
  - { id: daily, type: core.trigger.Schedule, cron: "@daily" }
`),
      registry,
    );
    expect(edges(graph)).toEqual([
      "triggers.daily -> start TRIGGER",
      "start -> a SEQUENTIAL",
      "a -> p.start SEQUENTIAL",
      "p.start -> p.b PARALLEL",
      "p.start -> p.c PARALLEL",
      "p.b -> p.end SEQUENTIAL",
      "p.c -> p.end SEQUENTIAL",
      "p.end -> d SEQUENTIAL",
      "start -> e ERROR",
      "d -> f FINALLY",
      "e -> f FINALLY",
      "f -> end SEQUENTIAL",
    ]);
    expect(graph.clusters).toEqual([
      { uid: "root.p", taskId: "p", type: "core.flow.Parallel", start: "root.p.$start", end: "root.p.$end" },
    ]);
    expect(graph.nodes.find((n) => n.taskId === "b")).toMatchObject({
      kind: "task",
      cluster: "root.p",
      slot: "tasks",
    });
    checkConnected(graph);
  });

  it("labels If and Switch branches, and lets a block without else go straight through", () => {
    const graph = flowGraph(
      load(`id: g
namespace: t
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ true }}"
    then:
      - { id: yes, type: core.log.Log, message: y }
  - id: route
    type: core.flow.Switch
    value: "{{ 'A' }}"
    cases:
      A: [{ id: a, type: core.log.Log, message: a }]
      B: [{ id: b, type: core.log.Log, message: b }]
    defaults:
      - { id: other, type: core.log.Log, message: o }
`),
      registry,
    );
    expect(edges(graph)).toEqual([
      "start -> check.start SEQUENTIAL",
      "check.start -> check.yes CHOICE then",
      "check.start -> check.end CHOICE else",
      "check.yes -> check.end SEQUENTIAL",
      "check.end -> route.start SEQUENTIAL",
      "route.start -> route.a CHOICE A",
      "route.start -> route.b CHOICE B",
      "route.start -> route.other CHOICE defaults",
      "route.a -> route.end SEQUENTIAL",
      "route.b -> route.end SEQUENTIAL",
      "route.other -> route.end SEQUENTIAL",
      "route.end -> end SEQUENTIAL",
    ]);
    checkConnected(graph);
  });

  it("follows a Dag's dependsOn and nests clusters", () => {
    const graph = flowGraph(
      load(`id: g
namespace: t
tasks:
  - id: outer
    type: core.flow.Sequential
    tasks:
      - id: dag
        type: core.flow.Dag
        tasks:
          - task: { id: extract, type: core.log.Log, message: x }
          - task: { id: transform, type: core.log.Log, message: t }
            dependsOn: [extract]
          - task: { id: audit, type: core.log.Log, message: a }
            dependsOn: [extract]
          - task: { id: load, type: core.log.Log, message: l }
            dependsOn: [transform]
`),
      registry,
    );
    expect(edges(graph).filter((e) => e.startsWith("outer.dag."))).toEqual([
      "outer.dag.start -> outer.dag.extract PARALLEL",
      "outer.dag.extract -> outer.dag.transform SEQUENTIAL",
      "outer.dag.extract -> outer.dag.audit SEQUENTIAL",
      "outer.dag.transform -> outer.dag.load SEQUENTIAL",
      "outer.dag.audit -> outer.dag.end SEQUENTIAL",
      "outer.dag.load -> outer.dag.end SEQUENTIAL",
      "outer.dag.end -> outer.end SEQUENTIAL",
    ]);
    expect(graph.clusters.map((c) => [c.uid, c.parent])).toEqual([
      ["root.outer", undefined],
      ["root.outer.dag", "root.outer"],
    ]);
    checkConnected(graph);
  });

  it("draws every flow of Kestra's conformance corpus as one connected graph", () => {
    const dir = join(conformanceDir, "flows");
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(41);
    for (const file of files) {
      const graph = flowGraph(load(readFileSync(join(dir, file), "utf8")), registry);
      expect(graph.nodes.length, file).toBeGreaterThanOrEqual(2);
      checkConnected(graph);
    }
  });

  it("draws a Loop as a cluster whose tasks run in order, errors and finally inside it", () => {
    const graph = flowGraph(
      load(`id: g
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [a, b]
    concurrencyLimit: 2
    tasks:
      - { id: one, type: core.log.Log, message: "{{ item.value }}" }
      - id: inner
        type: core.flow.Loop
        values: [1]
        tasks: [{ id: two, type: core.log.Log, message: "{{ item.parent.value }}" }]
    errors:
      - { id: oops, type: core.log.Log, message: e }
    finally:
      - { id: last, type: core.log.Log, message: f }
`),
      registry,
    );
    expect(edges(graph)).toEqual([
      "start -> loop.start SEQUENTIAL",
      "loop.start -> loop.one SEQUENTIAL",
      "loop.one -> loop.inner.start SEQUENTIAL",
      "loop.inner.start -> loop.inner.two SEQUENTIAL",
      "loop.inner.two -> loop.inner.end SEQUENTIAL",
      "loop.start -> loop.oops ERROR",
      "loop.inner.end -> loop.last FINALLY",
      "loop.oops -> loop.last FINALLY",
      "loop.last -> loop.end SEQUENTIAL",
      "loop.end -> end SEQUENTIAL",
    ]);
    expect(graph.clusters.map((c) => [c.taskId, c.type])).toEqual([
      ["loop", "io.kestra.plugin.core.flow.Loop"],
      ["inner", "core.flow.Loop"],
    ]);
    checkConnected(graph);
    for (const file of [
      "loop-outputs.yaml",
      "loop-nested.yaml",
      "loop-break-failures.yaml",
      "loop-file.yaml",
    ])
      checkConnected(
        flowGraph(load(readFileSync(join(conformanceDir, "flows/cadenza", file), "utf8")), registry),
      );
  });

  it("draws a Pause's onPause first in its box, before its tasks, as Kestra's Pause.tasksTree", () => {
    const graph = flowGraph(
      load(`id: g
namespace: t
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Pause
    onPause: { id: notify, type: core.log.Log, message: waiting }
    tasks: [{ id: after, type: core.log.Log, message: resumed }]
    finally: [{ id: done, type: core.log.Log, message: done }]
  - id: alone
    type: core.flow.Pause
    onPause: { id: ping, type: core.log.Log, message: waiting }
`),
      registry,
    );
    expect(edges(graph)).toEqual([
      "start -> approval.start SEQUENTIAL",
      "approval.start -> approval.notify SEQUENTIAL",
      "approval.notify -> approval.after SEQUENTIAL",
      "approval.after -> approval.done FINALLY",
      "approval.done -> approval.end SEQUENTIAL",
      "approval.end -> alone.start SEQUENTIAL",
      "alone.start -> alone.ping SEQUENTIAL",
      "alone.ping -> alone.end SEQUENTIAL",
      "alone.end -> end SEQUENTIAL",
    ]);
    expect(graph.nodes.find((n) => n.taskId === "notify")).toMatchObject({
      cluster: "root.approval",
      slot: "onPause",
    });
    checkConnected(graph);
  });

  it("draws an Approval as Kestra's Approval.tasksTree: onWait, then a choice of onApprove or onDeny", () => {
    const graph = flowGraph(
      load(`id: g
namespace: t
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    onWait: [{ id: notify, type: core.log.Log, message: waiting }]
    onApprove: [{ id: yes, type: core.log.Log, message: yes }]
    onDeny: [{ id: no, type: core.log.Log, message: no }]
    finally: [{ id: done, type: core.log.Log, message: done }]
`),
      registry,
    );
    expect(edges(graph)).toEqual([
      "start -> approval.start SEQUENTIAL",
      "approval.start -> approval.notify SEQUENTIAL",
      "approval.notify -> approval.yes CHOICE approve",
      "approval.notify -> approval.no CHOICE deny",
      "approval.yes -> approval.done FINALLY",
      "approval.no -> approval.done FINALLY",
      "approval.done -> approval.end SEQUENTIAL",
      "approval.end -> end SEQUENTIAL",
    ]);
    checkConnected(graph);
  });

  it("gives an execution's graph the runs of each task", async () => {
    const flow = load(`id: g
namespace: t
tasks:
  - id: each
    type: core.flow.ForEach
    values: [1, 2]
    tasks:
      - { id: log, type: core.log.Log, message: "{{ taskrun.value }}" }
`);
    const execution = await createExecution(
      flow,
      {},
      {
        now: () => new Date(0),
        random: () => 0.5,
        newId: () => "x",
        registry,
      },
    );
    execution.taskRunList.push(
      ...["1", "2"].map((value, i) => ({
        id: `r${i}`,
        executionId: "x",
        namespace: "t",
        flowId: "g",
        taskId: "log",
        parentTaskRunId: null,
        value,
        iteration: null,
        state: { current: "SUCCESS" as const, histories: [], startDate: "" },
        attempts: [],
        outputs: null,
      })),
    );
    const graph = executionGraph(flowGraph(flow, registry), execution);
    expect(graph.nodes.find((n) => n.taskId === "log")?.runs?.map((r) => r.value)).toEqual(["1", "2"]);
    expect(graph.nodes.find((n) => n.uid === "root.$start")?.runs).toBeUndefined();
  });
});
