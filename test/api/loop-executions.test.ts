// A Kestra 2.0 Loop's iterations are executions of kind LOOP: stored with their kind, left out of the
// executions list, the search and the dashboard unless filtered by kind, reachable by id — against the real
// database and the embedded engine.
import { describe, expect, it } from "vitest";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const LOOP = `id: looping
namespace: loops
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [a, b, c]
    tasks:
      - { id: x, type: core.debug.Return, format: "{{ item.value }}" }
`;

type Json = Record<string, unknown>;

describe("Loop iterations as executions of kind LOOP", () => {
  let token = "";
  let parentId = "";
  const get = async (path: string) => {
    const response = await api.call("GET", `loops/${path}`, { token });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.text}`);
    return response.json as Json;
  };
  const search = async (query: string) =>
    ((await get(`executions/search?namespace=loops${query}`)).results as Json[]).map((e) => ({
      id: e.id,
      kind: e.kind,
    }));

  it("runs the loop: the execution's JSON says kind null, its iterations' say LOOP", async () => {
    token = (await api.admin("loops", "admin@loops.test")).token;
    await api.deploy("loops", token, LOOP);
    const run = await api.call("POST", "loops/executions/loops/looping?wait=true", { token, body: {} });
    expect(run.status).toBe(200);
    const execution = run.json as Json;
    expect(execution.state).toMatchObject({ current: "SUCCESS" });
    expect(execution.kind).toBeNull();
    parentId = execution.id as string;
    const rows = await api.query<{ id: string; kind: string | null; parent_id: string | null }>(
      "select id, kind, parent_id from executions where namespace = 'loops' order by start_date, id",
    );
    expect(rows.filter((r) => r.kind === null).map((r) => r.id)).toEqual([parentId]);
    expect(rows.filter((r) => r.kind === "LOOP").map((r) => r.parent_id)).toEqual([
      parentId,
      parentId,
      parentId,
    ]);
  });

  it("shows the iterations' runs on the loop's execution graph, each with its iteration", async () => {
    const graph = (await get(`executions/${parentId}/graph`)) as {
      nodes: {
        taskId?: string;
        kind: string;
        runs?: { iteration?: number; value?: string; state: string }[];
      }[];
    };
    const x = graph.nodes.find((n) => n.kind === "task" && n.taskId === "x");
    expect(x?.runs?.map((r) => [r.iteration, r.value, r.state])).toEqual([
      [0, "a", "SUCCESS"],
      [1, "b", "SUCCESS"],
      [2, "c", "SUCCESS"],
    ]);
    // runs=false: the same nodes and edges without any run (what the execution page draws first).
    const bare = (await get(`executions/${parentId}/graph?runs=false`)) as typeof graph & {
      edges: unknown[];
    };
    expect(bare.nodes.map((n) => n.taskId)).toEqual(graph.nodes.map((n) => n.taskId));
    expect(bare.nodes.some((n) => n.runs)).toBe(false);
    expect(bare.edges).toEqual((graph as typeof bare).edges);
  });

  it("bounds a many-iteration loop's runs on the graph, each state kept for the colour, with the count", async () => {
    // 120 iterations, one failing (transmitFailed false: the loop goes on): the runs of the first 100
    // iterations (99 SUCCESS, one FAILED) and every run not SUCCESS are sent, and runCount says there were
    // 120 (server/services/graphs.ts).
    await api.deploy(
      "loops",
      token,
      `id: many
namespace: loops
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: "{{ range(1, 120) }}"
    transmitFailed: false
    tasks:
      - { id: check, type: core.execution.Fail, condition: "{{ item.value == '77' }}" }
`,
    );
    const run = await api.call("POST", "loops/executions/loops/many?wait=true", { token, body: {} });
    const id = (run.json as Json).id as string;
    const graph = (await get(`executions/${id}/graph`)) as {
      nodes: {
        taskId?: string;
        kind: string;
        runCount?: number;
        runs?: { iteration?: number; state: string }[];
      }[];
    };
    const check = graph.nodes.find((n) => n.kind === "task" && n.taskId === "check");
    expect(check?.runCount).toBe(120);
    expect(check?.runs?.filter((r) => r.state === "SUCCESS")).toHaveLength(99);
    expect(check?.runs?.filter((r) => r.state === "FAILED").map((r) => r.iteration)).toEqual([76]);
    const loop = graph.nodes.find((n) => n.taskId === "loop" && n.runs);
    expect(loop?.runCount).toBeUndefined();
    await api.call("DELETE", `loops/executions/${id}`, { token });
  });

  it("leaves LOOP executions out of the search unless asked for with kind, and serves each by id", async () => {
    expect(await search("")).toEqual([{ id: parentId, kind: null }]);
    expect(await search("&kind=NORMAL")).toEqual([{ id: parentId, kind: null }]);
    const loops = await search("&kind=LOOP");
    expect(loops.map((e) => e.kind)).toEqual(["LOOP", "LOOP", "LOOP"]);
    const child = await get(`executions/${loops[0]?.id}`);
    expect(child).toMatchObject({
      kind: "LOOP",
      parentId,
      loopRun: { executionId: parentId, taskId: "loop" },
    });
    const bad = await api.call("GET", "loops/executions/search?kind=SOMETHING", { token });
    expect(bad.status).toBe(400);
    // Kestra's parent filter: the iterations of this execution, and none of another's.
    expect(await search(`&kind=LOOP&triggerExecutionId=${parentId}`)).toEqual(loops);
    expect(await search(`&kind=LOOP&triggerExecutionId=${loops[0]?.id}`)).toEqual([]);
  });

  it("leaves them out of the executions list, its count and the dashboard unless filtered by kind", async () => {
    const caller = await api.trpc({ token });
    const page = await caller.executionList.page({
      tenant: "loops",
      filter: { namespace: "loops" },
      size: 50,
    });
    expect(page.results.map((r) => r.id)).toEqual([parentId]);
    const loops = await caller.executionList.page({
      tenant: "loops",
      filter: { namespace: "loops", kind: "LOOP" },
      size: 50,
    });
    expect(loops.results).toHaveLength(3);
    expect(await caller.executionList.count({ tenant: "loops", filter: { namespace: "loops" } })).toEqual({
      count: 1,
      capped: false,
    });
    const board = await caller.dashboard.get({ tenant: "loops", range: "24h", timeZone: "UTC" });
    expect(board.totals).toEqual({ SUCCESS: 1 });
  });

  it("lists the iterations among the loop's relatives, never as its previous or next execution", async () => {
    const caller = await api.trpc({ token });
    const second = await api.call("POST", "loops/executions/loops/looping?wait=true", { token, body: {} });
    const secondId = (second.json as Json).id as string;
    const first = await caller.executions.relatives({ tenant: "loops", executionId: parentId });
    expect(first.next?.id).toBe(secondId);
    expect(first.children.map((c) => c.kind)).toEqual(["LOOP", "LOOP", "LOOP"]);
    const last = await caller.executions.relatives({ tenant: "loops", executionId: secondId });
    expect(last.previous?.id).toBe(parentId);
    const child = first.children[0]?.id as string;
    expect((await caller.executions.relatives({ tenant: "loops", executionId: child })).parent?.id).toBe(
      parentId,
    );
  });

  it("deletes the iterations with their loop's execution", async () => {
    const run = await api.call("POST", "loops/executions/loops/looping?wait=true", { token, body: {} });
    const id = (run.json as Json).id as string;
    const count = async () =>
      (
        await api.query<{ n: number }>("select count(*)::int as n from executions where parent_id = $1", [id])
      )[0]?.n;
    expect(await count()).toBe(3);
    expect((await api.call("DELETE", `loops/executions/${id}`, { token })).status).toBe(204);
    expect(await count()).toBe(0);
  });
});
