// The editor's logic that runs without a browser: reading the YAML being typed, the change overlay,
// `{{ }}` completion, unknown task references, the drawing model (clusters, collapse, ghosts) and layout.
import { describe, expect, it } from "vitest";
import { generatedFlow } from "@/bench/ui-editor-flows";
import { loadFlow } from "@/engine/flow";
import { flowGraph } from "@/engine/graph";
import { builtInRegistry } from "@/plugins";
import { expressionSuggestions, openExpression, unknownTaskReferences } from "../expression-support";
import { changesSince, readFlowDoc, taskAt } from "../flow-doc";
import { COMPOUND_LIMIT, layoutGraph } from "../layout";
import { drawModel } from "../topology-model";

const FLOW = `id: etl
namespace: company.team
inputs:
  - id: day
    type: STRING
variables:
  region: eu
labels:
  team: data
tasks:
  - id: fetch
    type: io.kestra.plugin.core.http.Request
    uri: https://example.test
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: one
        type: io.kestra.plugin.core.log.Log
        message: "{{ outputs.fetch.body }} {{ outputs.nope.x }}"
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * *"
`;

const catalog = {
  plugins: [
    {
      type: "core.http.Request",
      names: ["core.http.Request", "io.kestra.plugin.core.http.Request"],
      kind: "runnable",
      title: "",
      markdown: "",
      outputs: ["uri", "code", "body"],
      examples: [],
    },
  ],
  filters: ["upper", "lower"],
  functions: ["now", "secret"],
};

describe("flow-doc", () => {
  it("reads tasks with their lines, inputs, variables and labels, and the task under a position", () => {
    const doc = readFlowDoc(FLOW);
    expect(doc.tasks.map((t) => [t.id, t.line, t.trigger])).toEqual([
      ["fetch", 11, false],
      ["par", 14, false],
      ["one", 17, false],
      ["nightly", 21, true],
    ]);
    expect(doc.inputs).toEqual(["day"]);
    expect(doc.vars).toEqual(["region"]);
    expect(doc.labels).toEqual(["team"]);
    expect(taskAt(doc, FLOW.indexOf("message"))?.id).toBe("one");
    expect(taskAt(doc, FLOW.indexOf("cron"))?.id).toBe("nightly");
    expect(taskAt(doc, 0)).toBeUndefined();
  });

  it("tells added, changed and removed tasks apart by id; a child's change is not its parent's", () => {
    const saved = readFlowDoc(FLOW);
    const edited = readFlowDoc(
      FLOW.replace("https://example.test", "https://other.test")
        .replace('"{{ outputs.fetch.body }} {{ outputs.nope.x }}"', "changed")
        .replace(/triggers:[\s\S]*/, "")
        .replace(
          "tasks:\n  - id: fetch",
          "tasks:\n  - id: added\n    type: io.kestra.plugin.core.log.Log\n    message: x\n  - id: fetch",
        ),
    );
    expect(Object.fromEntries(changesSince(saved, edited))).toEqual({
      added: "added",
      fetch: "changed",
      one: "changed",
      nightly: "removed",
    });
  });
});

describe("expression completion", () => {
  const doc = readFlowDoc(FLOW);
  const context = {
    doc: () => doc,
    catalog: () => catalog,
    secrets: () => ["DB_PASSWORD"],
    kvKeys: () => ["api_url"],
  };
  const labels = (expression: string) => expressionSuggestions(expression, context)?.labels;

  it("finds the open expression before the cursor", () => {
    expect(openExpression("message: {{ inputs.")).toBe(" inputs.");
    expect(openExpression("message: {{ a }} b")).toBeUndefined();
  });

  it("offers inputs, tasks, their outputs, vars, labels, secrets, KV keys, filters and functions", () => {
    expect(labels(" inputs.")).toEqual(["day"]);
    expect(labels(" outputs.")).toEqual(["fetch", "par", "one"]);
    expect(labels(" outputs.fetch.")).toEqual(["uri", "code", "body"]);
    expect(labels(" vars.")).toEqual(["region"]);
    expect(labels(" labels.")).toEqual(["team"]);
    expect(labels(" flow.")).toContain("namespace");
    expect(labels(" secret('")).toEqual(["DB_PASSWORD"]);
    expect(labels(' kv("')).toEqual(["api_url"]);
    expect(labels(" inputs.day | ")).toEqual(["upper", "lower"]);
    expect(labels(" ")).toEqual(expect.arrayContaining(["inputs", "outputs", "now", "secret"]));
  });

  it("warns about outputs of a task that does not exist, at its exact column", () => {
    const found = unknownTaskReferences(FLOW, doc);
    expect(found).toHaveLength(1);
    const line = FLOW.split("\n")[(found[0]?.line ?? 0) - 1] ?? "";
    expect(line.slice((found[0]?.column ?? 0) - 1, (found[0]?.endColumn ?? 0) - 1)).toBe("nope");
    expect(found[0]?.message).toContain("No task 'nope'");
  });
});

describe("topology drawing and layout", () => {
  const registry = builtInRegistry();
  const graphOf = (yaml: string) => {
    const flow = loadFlow(yaml, { registry }).flow;
    if (!flow) throw new Error("invalid flow");
    return flowGraph(flow, registry);
  };

  it("draws flowables as clusters, folds a collapsed one into a card, and adds ghosts for removed tasks", () => {
    const graph = graphOf(FLOW);
    const open = drawModel(graph, { collapsed: new Set(), changes: new Map() });
    expect(open.nodes.find((n) => n.id === "root.par")?.kind).toBe("cluster");
    expect(open.nodes.find((n) => n.taskId === "one")?.parent).toBe("root.par");
    const folded = drawModel(graph, {
      collapsed: new Set(["root.par"]),
      changes: new Map([["gone", "removed"]]),
    });
    expect(folded.nodes.find((n) => n.id === "root.par")).toMatchObject({ kind: "collapsed", size: 1 });
    expect(folded.nodes.some((n) => n.taskId === "one")).toBe(false);
    expect(folded.edges.every((e) => e.source !== e.target)).toBe(true);
    expect(folded.nodes.find((n) => n.kind === "ghost")?.taskId).toBe("gone");
  });

  it("puts every cluster around its children, compound or flat", () => {
    for (const size of [20, 300]) {
      const model = drawModel(graphOf(generatedFlow("g", size)), {
        collapsed: new Set(),
        changes: new Map(),
      });
      expect(model.request.nodes.length > COMPOUND_LIMIT).toBe(size === 300);
      const { boxes } = layoutGraph({ ...model.request, seq: 1 });
      for (const node of model.nodes) {
        const box = boxes[node.id];
        expect(box, node.id).toBeDefined();
        const parent = node.parent ? boxes[node.parent] : undefined;
        if (!box || !parent) continue;
        expect(box.x).toBeGreaterThanOrEqual(parent.x);
        expect(box.y).toBeGreaterThanOrEqual(parent.y);
        expect(box.x + box.width).toBeLessThanOrEqual(parent.x + parent.width);
        expect(box.y + box.height).toBeLessThanOrEqual(parent.y + parent.height);
      }
    }
  });
});
