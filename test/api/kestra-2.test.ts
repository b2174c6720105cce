// Kestra 2.0's REST shapes beside 1.x's: single-execution actions under /executions/{id}/actions/{action},
// outputs read apart from the execution, eval in a task run's context, and POST /expressions/render.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const FLOW = `id: two
namespace: company.v2
variables:
  greeting: hello
labels:
  team: data
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: out
        type: io.kestra.plugin.core.output.OutputValues
        values:
          item: "{{ taskrun.value }}"
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
outputs:
  - id: who
    type: STRING
    value: "{{ inputs.who }}"
`;

describe("Kestra 2.0 REST shapes", () => {
  let token = "";
  let executionId = "";

  it("pause/resume/kill/labels/eval under /actions/, with the same answers as the 1.x paths", async () => {
    token = (await api.admin("acme", "admin@acme.test")).token;
    await api.call("PUT", "acme/namespaces/company.v2/secrets/TOKEN", {
      token,
      body: { value: "v2-secret-value-0123456789" },
    });
    await api.deploy("acme", token, FLOW);
    const started = await api.call("POST", "acme/executions/company.v2/two", { token, body: { who: "ada" } });
    executionId = (started.json as { id: string }).id;
    const stateOf = async () =>
      (
        (await api.call("GET", `acme/executions/${executionId}`, { token })).json as {
          state: { current: string };
        }
      ).state.current;
    for (let i = 0; i < 100 && (await stateOf()) !== "PAUSED"; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await stateOf()).toBe("PAUSED");

    const evaluated = await api.call("POST", `acme/executions/${executionId}/actions/eval`, {
      token,
      body: "{{ inputs.who }} {{ vars.greeting }}",
      contentType: "text/plain",
    });
    expect(evaluated.json).toEqual({ value: "ada hello" });

    const labels = await api.call("POST", `acme/executions/${executionId}/actions/labels`, {
      token,
      body: [{ key: "stage", value: "v2" }],
    });
    expect(labels.status).toBe(200);
    expect((labels.json as { labels: { key: string }[] }).labels.map((l) => l.key)).toContain("stage");

    const resumed = await api.call("POST", `acme/executions/${executionId}/actions/resume`, { token });
    expect(resumed.status).toBe(200);
    for (let i = 0; i < 100 && (await stateOf()) !== "SUCCESS"; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await stateOf()).toBe("SUCCESS");
    // The Pause says who resumed it: the caller, here the token's user.
    const ended = (await api.call("GET", `acme/executions/${executionId}`, { token })).json as {
      taskRunList: { taskId: string; outputs?: { resumed?: { by: string; to: string } } }[];
    };
    const paused = ended.taskRunList.find((r) => r.outputs?.resumed);
    expect(paused?.outputs?.resumed).toMatchObject({ by: "admin@acme.test", to: "SUCCESS" });

    // Kill refuses an ended execution the same way on both paths.
    const legacy = await api.call("DELETE", `acme/executions/${executionId}/kill`, { token });
    const v2 = await api.call("DELETE", `acme/executions/${executionId}/actions/kill`, { token });
    expect(v2.status).toBe(legacy.status);
    expect(v2.status).toBe(409);
  });

  it("reads flow outputs and one task run's outputs apart from the execution; evals in a task run's context", async () => {
    const outputs = await api.call("GET", `acme/outputs/executions/${executionId}`, { token });
    expect(outputs.json).toEqual({ who: "ada" });
    const execution = (await api.call("GET", `acme/executions/${executionId}`, { token })).json as {
      taskRunList: { id: string; taskId: string; value?: string }[];
    };
    const second = execution.taskRunList.find((r) => r.taskId === "out" && r.value === "b");
    if (!second) throw new Error("no task run of out for b");
    const taskOutputs = await api.call("GET", `acme/outputs/tasks/${executionId}/${second.id}`, { token });
    expect(taskOutputs.json).toEqual({ values: { item: "b" } });
    expect((await api.call("GET", `acme/outputs/tasks/${executionId}/nope`, { token })).status).toBe(404);

    const inRun = await api.call("POST", `acme/executions/${executionId}/actions/eval/${second.id}`, {
      token,
      body: "{{ taskrun.value }} of {{ task.id }}",
      contentType: "text/plain",
    });
    expect(inRun.json).toEqual({ value: "b of out" });
  });

  it("POST /expressions/render: whole or unchanged, secrets shown as [secret: KEY], context by priority", async () => {
    const render = (body: Record<string, unknown>) =>
      api.call("POST", "acme/expressions/render", { token, body });
    const expressions = [
      "{{ vars.greeting }} {{ flow.id }}",
      "{{ secret('TOKEN') }}",
      "{{ kv('missing') }}",
      "{{ nothing.here }}",
      "{{ 1 + 1 }}",
    ];
    const byFlow = await render({ expressions, namespace: "company.v2", flowId: "two" });
    expect(byFlow.status).toBe(200);
    expect((byFlow.json as { rendered: Record<string, string> }).rendered).toEqual({
      "{{ vars.greeting }} {{ flow.id }}": "hello two",
      "{{ secret('TOKEN') }}": "[secret: TOKEN]",
      "{{ kv('missing') }}": "{{ kv('missing') }}",
      "{{ nothing.here }}": "{{ nothing.here }}",
      "{{ 1 + 1 }}": "2",
    });
    const bySource = await render({
      expressions: ["{{ labels.team }} {{ flow.namespace }}"],
      flow: FLOW.replace("team: data", "team: draft"),
    });
    expect(bySource.json).toEqual({
      rendered: { "{{ labels.team }} {{ flow.namespace }}": "draft company.v2" },
    });
    const byExecution = await render({ expressions: ["{{ inputs.who }}"], executionId });
    expect(byExecution.json).toEqual({ rendered: { "{{ inputs.who }}": "ada" } });
    const none = await render({ expressions: ["{{ 'a' | upper }}", "{{ inputs.who }}"] });
    expect(none.json).toEqual({
      rendered: { "{{ 'a' | upper }}": "A", "{{ inputs.who }}": "{{ inputs.who }}" },
    });
    expect((await render({ expressions: [], executionId: "unknownExecution" })).status).toBe(404);
    expect((await render({ expressions: "nope" })).status).toBe(400);
  });
});
