// Flow dependencies: Subflow and ForEachItem tasks (FLOW_TASK), Flow triggers' conditions, preconditions and dependsOn
// (FLOW_TRIGGER), over REST for a flow and a namespace, limited to the flows the caller may read.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi();

const flows = [
  `id: child
namespace: company.team
tasks:
  - id: log
    type: core.log.Log
    message: child`,
  `id: parent
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2]
    tasks:
      - id: call
        type: io.kestra.plugin.core.flow.Subflow
        namespace: company.team
        flowId: child
  - id: dynamic
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: "{{ 'child' }}"
  - id: missing
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: does-not-exist`,
  `id: batch
namespace: company.data
tasks:
  - id: items
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    namespace: company.team
    flowId: child
inputs:
  - id: file
    type: FILE`,
  `id: listener
namespace: other
tasks:
  - id: log
    type: core.log.Log
    message: heard
triggers:
  - id: on-parent
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team
        flowId: parent
  - id: on-both
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: both
      flows:
        - namespace: company.data
          flowId: batch
      where:
        - id: child-done
          filters:
            - field: NAMESPACE
              type: EQUAL_TO
              value: company.team
            - field: FLOW_ID
              type: EQUAL_TO
              value: child`,
  `id: alone
namespace: other
tasks:
  - id: log
    type: core.log.Log
    message: alone`,
  `id: after-alone
namespace: other
tasks:
  - id: log
    type: core.log.Log
    message: after
triggers:
  - id: on-alone
    type: io.kestra.plugin.core.trigger.Flow
    dependsOn:
      - namespace: other
        flowId: alone
        states: [SUCCESS]
      - flowId: anywhere`,
];

type Graph = {
  nodes: { uid: string; namespace: string; id: string }[];
  edges: { source: string; target: string; relation: { relationType: string } }[];
};
const edgesOf = (graph: Graph) =>
  graph.edges.map((e) => `${e.source} -> ${e.target} ${e.relation.relationType}`).sort();

describe("flow dependencies", () => {
  let token: string;

  it("deploys the flows", async () => {
    token = (await api.admin("main", "admin@main.test")).token;
    for (const yaml of flows) await api.deploy("main", token, yaml);
  });

  it("gives a flow's direct dependencies: what it calls and what it triggers, without expressions or missing flows", async () => {
    const response = await api.call("GET", "main/flows/company.team/parent/dependencies", { token });
    expect(response.status).toBe(200);
    const graph = response.json as Graph;
    // The edge between two neighbours is on the page too (child's executions also trigger listener).
    expect(edgesOf(graph)).toEqual([
      "company.team_child -> other_listener FLOW_TRIGGER",
      "company.team_parent -> company.team_child FLOW_TASK",
      "company.team_parent -> other_listener FLOW_TRIGGER",
    ]);
    expect(graph.nodes.map((n) => n.uid)).toEqual([
      "company.team_child",
      "company.team_parent",
      "other_listener",
    ]);
  });

  it("follows dependencies transitively with expandAll, and only then", async () => {
    const direct = (await api.call("GET", "main/flows/company.data/batch/dependencies", { token }))
      .json as Graph;
    expect(edgesOf(direct)).toEqual([
      "company.data_batch -> company.team_child FLOW_TASK",
      "company.data_batch -> other_listener FLOW_TRIGGER",
      "company.team_child -> other_listener FLOW_TRIGGER",
    ]);
    const all = (
      await api.call("GET", "main/flows/company.data/batch/dependencies?expandAll=true", { token })
    ).json as Graph;
    expect(edgesOf(all)).toEqual([
      "company.data_batch -> company.team_child FLOW_TASK",
      "company.data_batch -> other_listener FLOW_TRIGGER",
      "company.team_child -> other_listener FLOW_TRIGGER",
      "company.team_parent -> company.team_child FLOW_TASK",
      "company.team_parent -> other_listener FLOW_TRIGGER",
    ]);
    // Kestra 2.0's dependsOn: an entry without a namespace names no flow.
    const alone = (await api.call("GET", "main/flows/other/alone/dependencies", { token })).json as Graph;
    expect(edgesOf(alone)).toEqual(["other_alone -> other_after-alone FLOW_TRIGGER"]);
  });

  it("gives a namespace's dependencies, its child namespaces included", async () => {
    const graph = (await api.call("GET", "main/namespaces/company/dependencies", { token })).json as Graph;
    expect(edgesOf(graph)).toEqual([
      "company.data_batch -> company.team_child FLOW_TASK",
      "company.data_batch -> other_listener FLOW_TRIGGER",
      "company.team_child -> other_listener FLOW_TRIGGER",
      "company.team_parent -> company.team_child FLOW_TASK",
      "company.team_parent -> other_listener FLOW_TRIGGER",
    ]);
    const data = (await api.call("GET", "main/namespaces/company.data/dependencies", { token }))
      .json as Graph;
    expect(edgesOf(data)).toEqual([
      "company.data_batch -> company.team_child FLOW_TASK",
      "company.data_batch -> other_listener FLOW_TRIGGER",
      "company.team_child -> other_listener FLOW_TRIGGER",
    ]);
  });

  it("answers 404 for an unknown flow", async () => {
    const response = await api.call("GET", "main/flows/company.team/nope/dependencies", { token });
    expect(response.status).toBe(404);
  });

  it("shows only the flows the caller may read", async () => {
    const account = await api.call("POST", "main/service-accounts", { token, body: { name: "reader" } });
    const id = (account.json as { id: string }).id;
    await api.call("POST", "main/bindings", {
      token,
      body: { subjectType: "SERVICE_ACCOUNT", subjectId: id, role: "Viewer", namespace: "company" },
    });
    const created = await api.call("POST", `main/service-accounts/${id}/api-tokens`, {
      token,
      body: { name: "reader" },
    });
    const reader = (created.json as { token: string }).token;
    const graph = (await api.call("GET", "main/flows/company.team/parent/dependencies", { token: reader }))
      .json as Graph;
    expect(edgesOf(graph)).toEqual(["company.team_parent -> company.team_child FLOW_TASK"]);
    const refused = await api.call("GET", "main/namespaces/other/dependencies", { token: reader });
    expect(refused.status).toBe(403);
  });
});
