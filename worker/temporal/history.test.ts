import { defaultPayloadConverter } from "@temporalio/common";
import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { temporalAvailable } from "@/test/temporal";
import { loadExecution } from "../embedded/execution-store";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import type { ContinuedRun, ExecutionWorkflowInput } from "./names";
import { setUpTemporalDriver } from "./test/driver-harness";

/**
 * Long executions on a real Temporal dev server: with a low history limit, the workflow drains and
 * continues as new runs (more than one run under the execution's workflow id), and ends as the embedded
 * engine ends the same flow; operations and timers carry across runs. And the search attributes that make
 * executions findable in Temporal's UI, queried as an operator would.
 */
const HISTORY_LIMIT = 200;
// Light tasks as regular activities (not local ones, as by default): each is a workflow task, so the
// history grows step by step and the hand-overs come where the test wants them.
const h = setUpEmbeddedEngine({ inlineTasks: false });

const driver = setUpTemporalDriver(h, "Temporal history tests", { historyLimit: HISTORY_LIMIT });

const tc = () => driver.client();
const start = async (namespace: string, flowId: string) => {
  const flow = await h.ctx.flows.current(h.pool, TENANT, namespace, flowId);
  if (!flow) throw new Error(`flow ${namespace}.${flowId} not deployed`);
  return tc().start(TENANT, flow, {});
};
const read = async (id: string) => (await loadExecution(h.pool, id))?.execution as Execution;
const runOf = (e: Execution, taskId: string) => e.taskRunList.find((r) => r.taskId === taskId)?.state.current;
/** The runs Temporal has of an execution's workflow id (closed continued ones included). */
const runsOf = async (executionId: string) => {
  const runs: string[] = [];
  for await (const run of tc().client.workflow.list({
    query: `WorkflowId = "cadenza/${TENANT}/${executionId}"`,
  }))
    runs.push(run.status.name);
  return runs;
};
/** What each run that continued as new handed to the next (the ContinuedAsNew events' input). */
const handOvers = async (executionId: string) => {
  const workflowId = `cadenza/${TENANT}/${executionId}`;
  const carried: ContinuedRun[] = [];
  for await (const run of tc().client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    const history = await tc().client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const payload = event.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0];
      if (payload)
        carried.push(
          (defaultPayloadConverter.fromPayload(payload) as ExecutionWorkflowInput).continued as ContinuedRun,
        );
    }
  }
  return carried;
};
/** What both engines must agree on: each task run's task, value, state and outputs, in a stable order. */
const shape = (e: Execution) =>
  e.taskRunList
    .map((r) => JSON.stringify([r.taskId, r.value ?? null, r.state.current, r.outputs ?? null]))
    .sort();
const items = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(", ");

describe.skipIf(!temporalAvailable)("continueAsNew", () => {
  it("a ForEach over 200 items continues as new runs and ends as on the embedded engine", async () => {
    await h.deploy(`id: big-each
namespace: temporal.history
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [${items(200)}]
    concurrencyLimit: 20
    tasks:
      - id: echo
        type: io.kestra.plugin.core.debug.Return
        format: "item {{ taskrun.value }}"
  - id: last
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.echo['200'].value }}"
outputs:
  - id: last
    type: STRING
    value: "{{ outputs.last.value }}"
`);
    const onTemporal = await start("temporal.history", "big-each");
    const t = await tc().waitForEnd(TENANT, onTemporal.id, 240_000);

    await h.startRuntime();
    const embedded = await h.client.start(TENANT, "temporal.history", "big-each");
    const e = await h.client.waitForEnd(TENANT, embedded.id, 240_000);

    expect(t.state.current).toBe("SUCCESS");
    expect(e.state.current).toBe("SUCCESS");
    expect(t.outputs).toEqual({ last: "item 200" });
    expect(t.outputs).toEqual(e.outputs);
    expect(t.taskRunList).toHaveLength(e.taskRunList.length);
    expect(shape(t)).toEqual(shape(e));
    const runs = await runsOf(onTemporal.id);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.filter((s) => s === "CONTINUED_AS_NEW")).toHaveLength(runs.length - 1);
    expect(runs).toContain("COMPLETED");
  }, 600_000);

  it("a timer armed at the hand-over fires in the new run; pause and resume reach the new run", async () => {
    await h.deploy(`id: long-then-pause
namespace: temporal.history
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT15S
      - id: chain
        type: io.kestra.plugin.core.flow.ForEach
        values: [${items(40)}]
        tasks:
          - id: step
            type: io.kestra.plugin.core.log.Log
            message: "{{ taskrun.value }}"
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: resumed
`);
    const execution = await start("temporal.history", "long-then-pause");
    const before = await pollUntil(
      () => read(execution.id),
      (e) => runOf(e, "wait") === "PAUSED",
      240_000,
    );
    // The Sleep ended by its timer, armed before the first hand-over.
    expect(runOf(before, "nap")).toBe("SUCCESS");
    expect(runOf(before, "wait")).toBe("PAUSED");
    // The first hand-over came while the chain ran, so the nap's timer went to the new run.
    const carried = await handOvers(execution.id);
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.some((c) => c.timers.length === 1)).toBe(true);
    await tc().operate(TENANT, execution.id, { type: "resume" });
    const ended = await tc().waitForEnd(TENANT, execution.id, 60_000);
    expect(ended.state.current).toBe("SUCCESS");
    expect(ended.taskRunList.filter((r) => r.taskId === "step")).toHaveLength(40);
  }, 600_000);

  it("kill reaches an execution that has continued as new", async () => {
    await h.deploy(`id: long-then-sleep
namespace: temporal.history
tasks:
  - id: chain
    type: io.kestra.plugin.core.flow.ForEach
    values: [${items(40)}]
    tasks:
      - id: step
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }}"
  - id: long
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["sleep 60"]
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: never
`);
    const execution = await start("temporal.history", "long-then-sleep");
    await pollUntil(
      () => read(execution.id),
      (e) => runOf(e, "long") === "RUNNING",
      240_000,
    );
    expect((await runsOf(execution.id)).length).toBeGreaterThan(1);
    await tc().operate(TENANT, execution.id, { type: "kill" });
    const ended = await tc().waitForEnd(TENANT, execution.id, 60_000);
    expect(ended.state.current).toBe("KILLED");
    expect(ended.taskRunList.some((r) => r.taskId === "never")).toBe(false);
  }, 600_000);
});

describe.skipIf(!temporalAvailable)("search attributes", () => {
  it("finds an execution by tenant, state, namespace, flow and label with a visibility query", async () => {
    await h.deploy(`id: findable
namespace: temporal.search
labels:
  team: data
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`);
    const execution = await start("temporal.search", "findable");
    expect((await tc().waitForEnd(TENANT, execution.id, 60_000)).state.current).toBe("SUCCESS");
    const query = `CadenzaTenant = "${TENANT}" AND CadenzaState = "SUCCESS" AND CadenzaNamespace = "temporal.search" AND CadenzaFlowId = "findable" AND CadenzaLabels = "team:data"`;
    const found = await pollUntil(
      async () => {
        const ids: string[] = [];
        for await (const run of tc().client.workflow.list({ query })) ids.push(run.workflowId);
        return ids;
      },
      (ids) => ids.length > 0,
      30_000,
    );
    expect(found).toEqual([`cadenza/${TENANT}/${execution.id}`]);
    const running: string[] = [];
    for await (const run of tc().client.workflow.list({
      query: `CadenzaTenant = "${TENANT}" AND CadenzaFlowId = "findable" AND CadenzaState = "RUNNING"`,
    }))
      running.push(run.workflowId);
    expect(running).toEqual([]);
  }, 120_000);
});
