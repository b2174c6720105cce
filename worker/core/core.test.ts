import { describe, expect, it } from "vitest";
import {
  createExecution,
  type Execution,
  type ExecutionEvent,
  type ExecutionRequest,
  type ExecutorCommand,
  type StartSubflowCommand,
} from "@/engine/executor";
import { type Flow, loadFlow } from "@/engine/flow";
import { PluginRegistry } from "@/engine/plugin";
import { MemoryPreconditionStore } from "@/engine/triggers";
import { builtInPlugins } from "@/plugins";
import { defaultNamespaceAccess } from "../namespace-access";
import { MemoryStorage } from "../storage/memory";
import {
  type CommandSink,
  type CreateOptions,
  type DriverPorts,
  dispatchCommands,
  executionEnded,
  mergeSubflowOutputs,
  type ParentLink,
  restartSubflow,
  retryExecution,
  splitItems,
  startSubflow,
} from "./index";

const registry = new PluginRegistry(builtInPlugins);
const NOW = new Date("2024-01-01T00:00:00Z");

function flow(yaml: string): Flow {
  const { flow, errors } = loadFlow(yaml, { registry });
  if (!flow) throw new Error(errors.map((e) => e.message).join("\n"));
  return flow;
}

/** Ports over plain maps, recording what the core asked of them. */
class FakeDriver implements DriverPorts {
  readonly stored = new Map<string, Execution>();
  readonly flowList: Flow[] = [];
  readonly links = new Map<string, ParentLink>();
  readonly sent: { id: string; event: ExecutionEvent }[] = [];
  readonly created: { execution: Execution; options: CreateOptions }[] = [];
  readonly disabled: string[] = [];
  readonly logs: { executionId: string; level: string; message: string }[] = [];
  readonly reported: string[] = [];
  readonly released: string[] = [];
  readonly refusals = new Map<string, string>();
  readonly requeued: string[] = [];
  readonly transactions: string[] = [];
  private readonly keys = new Set<string>();
  private ids = 0;

  preconditions = new MemoryPreconditionStore();
  access = defaultNamespaceAccess;
  storage = new MemoryStorage();
  render = { registry };
  now = () => NOW;
  random = () => 0.5;

  executions = {
    get: async (id: string) => this.stored.get(id),
    send: async (id: string, event: ExecutionEvent) => {
      this.sent.push({ id, event });
      if (!this.stored.has(id)) return `execution ${id} not found`;
      return this.refusals.get(`${id}/${event.type}`);
    },
    create: async (f: Flow, request: ExecutionRequest, options: CreateOptions = {}) => {
      if (options.dedupeKey && this.keys.has(options.dedupeKey)) return undefined;
      const execution = await createExecution(f, request, {
        registry,
        now: this.now,
        random: this.random,
        newId: () => `new${++this.ids}`,
      });
      if (options.dedupeKey) this.keys.add(options.dedupeKey);
      this.stored.set(execution.id, execution);
      if (options.parentLink) this.links.set(execution.id, options.parentLink);
      this.created.push({ execution, options });
      return execution;
    },
    parentOf: async (execution: Execution) => this.links.get(execution.id),
    requeue: async (id: string) => {
      this.requeued.push(id);
    },
    queuedToStart: async (namespace: string, flowId: string) =>
      [...this.stored.values()]
        .filter((e) => e.namespace === namespace && e.flowId === flowId && e.state.current === "QUEUED")
        .slice(0, 1)
        .map((e) => e.id),
  };

  flows = {
    get: async (namespace: string, id: string, revision?: number) =>
      this.flowList.find(
        (f) =>
          f.namespace === namespace && f.id === id && (revision === undefined || f.revision === revision),
      ),
    withFlowTriggers: async () =>
      this.flowList
        .filter((f) => f.triggers.some((t) => t.type.endsWith("trigger.Flow")))
        .map((f) => ({
          ...f,
          triggers: f.triggers.map((t) =>
            this.disabled.includes(`${f.namespace}/${f.id}/${t.id}`) ? { ...t, disabled: true } : t,
          ),
        })),
    disableTrigger: async (namespace: string, flowId: string, triggerId: string) => {
      this.disabled.push(`${namespace}/${flowId}/${triggerId}`);
    },
  };

  log = async (execution: Execution, level: "WARN" | "ERROR", message: string) => {
    this.logs.push({ executionId: execution.id, level, message });
  };
  releaseExecution = async (id: string) => {
    this.released.push(id);
  };
  report = (message: string) => {
    this.reported.push(message);
  };
  atomically = async <T>(work: (ports: DriverPorts) => Promise<T>): Promise<T> => {
    this.transactions.push("begin");
    const result = await work(this);
    this.transactions.push("commit");
    return result;
  };

  add(yaml: string): Flow {
    const f = flow(yaml);
    this.flowList.push(f);
    return f;
  }

  /** Stores an execution of `f` in the given state (as if it had run). */
  async storedAs(
    f: Flow,
    state: Execution["state"]["current"],
    extra: Partial<Execution> = {},
    inputs: Record<string, unknown> = {},
  ) {
    const execution = await this.executions.create(f, { inputs });
    if (!execution) throw new Error("not created");
    const ended = { ...execution, ...extra, state: { ...execution.state, current: state } } as Execution;
    this.stored.set(ended.id, ended);
    this.created.length = 0;
    return ended;
  }
}

const subflowCommand = (over: Partial<StartSubflowCommand> = {}): StartSubflowCommand => ({
  type: "startSubflow",
  taskRunId: "tr1",
  executionId: "child1",
  namespace: "t",
  flowId: "child",
  inputs: {},
  labels: [],
  wait: true,
  trigger: { id: "call", type: "io.kestra.plugin.core.flow.Subflow", variables: { namespace: "t" } },
  parentId: "parent",
  ...over,
});

describe("dispatchCommands", () => {
  it("hands every command to the sink's method for its type, in order", async () => {
    const seen: string[] = [];
    const record = async (_e: Execution, c: ExecutorCommand) => {
      seen.push(c.type);
    };
    const sink: CommandSink = {
      runTask: record,
      cancelTask: record,
      startTimer: record,
      cancelTimer: record,
      startSubflow: record,
      restartSubflow: record,
      killExecution: record,
      splitItems: record,
      mergeSubflowOutputs: record,
      saveWorkingDirectory: record,
      executionEnded: record,
      createExecution: record,
    };
    await dispatchCommands(sink, {} as Execution, [
      { type: "startTimer", timerId: "a", at: NOW.toISOString() },
      { type: "runTask", taskRunId: "r", taskId: "t", attempt: 1 },
      { type: "executionEnded", state: "SUCCESS" },
    ]);
    expect(seen).toEqual(["startTimer", "runTask", "executionEnded"]);
  });
});

describe("startSubflow", () => {
  const child = `id: child
namespace: t
revision: 2
inputs:
  - { id: n, type: INT }
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }
`;

  it("creates the child with the parent link and the schedule date, in one transaction", async () => {
    const d = new FakeDriver();
    d.add(child);
    await startSubflow(d, subflowCommand({ inputs: { n: 1 }, scheduleDate: "2024-01-02T00:00:00Z" }));
    expect(d.created).toHaveLength(1);
    expect(d.created[0]?.execution.id).toBe("child1");
    expect(d.created[0]?.options).toEqual({
      parentLink: { executionId: "parent", taskRunId: "tr1", iteration: undefined },
      startAt: new Date("2024-01-02T00:00:00Z"),
    });
    expect(d.transactions).toEqual(["begin", "commit"]);
    expect(d.sent).toEqual([]);
  });

  it("creates nothing when the child exists already (the command delivered twice)", async () => {
    const d = new FakeDriver();
    d.add(child);
    await startSubflow(d, subflowCommand({ inputs: { n: 1 } }));
    await startSubflow(d, subflowCommand({ inputs: { n: 1 } }));
    expect(d.created).toHaveLength(1);
  });

  it("no parent link when the Subflow does not wait", async () => {
    const d = new FakeDriver();
    d.add(child);
    await startSubflow(d, subflowCommand({ inputs: { n: 1 }, wait: false }));
    expect(d.created[0]?.options).toEqual({});
  });

  it("fails the parent task run for an unknown flow or revision, a denied namespace, invalid inputs", async () => {
    const d = new FakeDriver();
    d.add(child);
    await startSubflow(d, subflowCommand({ flowId: "nope" }));
    await startSubflow(d, subflowCommand({ revision: 1, inputs: { n: 1 } }));
    await startSubflow(
      d,
      subflowCommand({
        inputs: { n: 1 },
        trigger: { id: "call", type: "Subflow", variables: { namespace: "other" } },
      }),
    );
    await startSubflow(d, subflowCommand({ inputs: { n: "x" } }));
    expect(d.created).toEqual([]);
    const errors = d.sent.map(({ id, event }) => {
      expect(id).toBe("parent");
      expect(event).toMatchObject({ type: "subflowEnded", taskRunId: "tr1", state: "FAILED" });
      return (event as { error: string }).error;
    });
    expect(errors[0]).toBe("flow t.nope not found");
    expect(errors[1]).toBe("flow t.child revision 1 not found");
    expect(errors[2]).toMatch(/namespace 'other' may not reach 't'/);
    expect(errors[3]).toMatch(/^invalid subflow inputs: /);
  });
});

describe("restartSubflow", () => {
  it("restarts the child; a child that refuses fails the parent task run with the reason", async () => {
    const d = new FakeDriver();
    const f = d.add(
      "id: child\nnamespace: t\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }\n",
    );
    const failed = await d.storedAs(f, "FAILED");
    await restartSubflow(d, "parent", { taskRunId: "tr1", executionId: failed.id });
    expect(d.sent).toEqual([{ id: failed.id, event: { type: "restart" } }]);

    d.sent.length = 0;
    d.refusals.set(`${failed.id}/restart`, "cannot restart an execution that is SUCCESS");
    await restartSubflow(d, "parent", { taskRunId: "tr1", executionId: failed.id });
    expect(d.sent[1]).toEqual({
      id: "parent",
      event: {
        type: "subflowEnded",
        taskRunId: "tr1",
        executionId: failed.id,
        state: "FAILED",
        error: `could not restart subflow execution ${failed.id}: cannot restart an execution that is SUCCESS`,
      },
    });
  });
});

describe("executionEnded", () => {
  const upstream = `id: up
namespace: t
concurrency: { limit: 1 }
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }
`;
  const listener = `id: listener
namespace: t
inputs:
  - { id: from, type: STRING }
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }
triggers:
  - id: on-up
    type: io.kestra.plugin.core.trigger.Flow
    inputs: { from: "{{ trigger.executionId }}" }
    stopAfter: [SUCCESS]
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: t
        flowId: up
`;

  it("does nothing for an execution that is not ended (restarted meanwhile) or gone", async () => {
    const d = new FakeDriver();
    const f = d.add(upstream);
    const running = await d.storedAs(f, "RUNNING");
    await executionEnded(d, running.id);
    await executionEnded(d, "gone");
    expect([d.released, d.sent, d.created]).toEqual([[], [], []]);
  });

  it("frees the runner's directories, tells the parent, starts the next queued, fires Flow triggers", async () => {
    const d = new FakeDriver();
    const f = d.add(upstream);
    d.add(listener);
    const ended = await d.storedAs(f, "SUCCESS", { outputs: { o: 1 } });
    d.links.set(ended.id, { executionId: "parent", taskRunId: "tr1", iteration: 3 });
    d.stored.set("parent", { ...ended, id: "parent" });
    const queued = await d.storedAs(f, "QUEUED");
    await executionEnded(d, ended.id);
    expect(d.released).toEqual([ended.id]);
    expect(d.sent).toEqual([
      {
        id: "parent",
        event: {
          type: "subflowEnded",
          taskRunId: "tr1",
          iteration: 3,
          executionId: ended.id,
          state: "SUCCESS",
          outputs: { o: 1 },
          taskOutputs: {},
        },
      },
      { id: queued.id, event: { type: "start" } },
    ]);
    expect(d.created.map((c) => [c.execution.flowId, c.execution.inputs, c.options.dedupeKey])).toEqual([
      ["listener", { from: ended.id }, `flow-trigger:${ended.id}:1:t/listener/on-up`],
    ]);
    // Run again (a job delivered twice): the trigger's execution is not created twice.
    await executionEnded(d, ended.id);
    expect(d.created).toHaveLength(1);
  });

  it("gives back the slot of a queued execution whose start is refused (its workflow gone)", async () => {
    const d = new FakeDriver();
    const f = d.add(upstream);
    const ended = await d.storedAs(f, "SUCCESS");
    const queued = await d.storedAs(f, "QUEUED");
    d.refusals.set(`${queued.id}/start`, `execution ${queued.id} has ended`);
    await executionEnded(d, ended.id);
    expect(d.requeued).toEqual([queued.id]);
  });

  it("disables the trigger that started the execution when its end state is in stopAfter", async () => {
    const d = new FakeDriver();
    const up = d.add(upstream);
    const l = d.add(listener);
    const fromTrigger = { id: "on-up", type: "io.kestra.plugin.core.trigger.Flow", variables: {} };
    const failed = await d.storedAs(l, "FAILED", { trigger: fromTrigger }, { from: "x" });
    await executionEnded(d, failed.id);
    expect(d.disabled).toEqual([]);
    const succeeded = await d.storedAs(l, "SUCCESS", { trigger: fromTrigger }, { from: "x" });
    await executionEnded(d, succeeded.id);
    expect(d.disabled).toEqual(["t/listener/on-up"]);
    // A disabled Flow trigger fires no more.
    const upstreamDone = await d.storedAs(up, "SUCCESS");
    await executionEnded(d, upstreamDone.id);
    expect(d.created).toEqual([]);
  });

  it("creates an execution that ends FAILED when a Flow trigger's inputs do not validate or render (Kestra 2.0)", async () => {
    const d = new FakeDriver();
    const f = d.add(upstream);
    d.add(listener.replace('inputs: { from: "{{ trigger.executionId }}" }', "inputs: {}"));
    const ended = await d.storedAs(f, "SUCCESS");
    await executionEnded(d, ended.id);
    expect(d.created).toHaveLength(1);
    expect(d.created[0]?.execution.internal?.invalidInputs).toEqual(["from: missing required input"]);
    expect(d.logs).toEqual([]);

    const r = new FakeDriver();
    const g = r.add(upstream);
    r.add(
      listener.replace('inputs: { from: "{{ trigger.executionId }}" }', 'inputs: { from: "{{ nope.x }}" }'),
    );
    await executionEnded(r, (await r.storedAs(g, "SUCCESS")).id);
    expect(r.created[0]?.execution.internal?.invalidInputs?.[0]).toMatch(/^inputs: .*nope/);
  });
});

describe("retryExecution", () => {
  it("creates the next attempt of the same revision once, with the same inputs, labels and trigger", async () => {
    const d = new FakeDriver();
    const f = d.add(
      "id: f\nnamespace: t\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }\n",
    );
    const failed = await d.storedAs(f, "FAILED", { labels: [{ key: "k", value: "v" }] });
    await retryExecution(d, failed.id, 2);
    await retryExecution(d, failed.id, 2);
    expect(d.created).toHaveLength(1);
    const next = d.created[0]?.execution;
    expect(next?.originalId).toBe(failed.originalId);
    expect(next?.metadata.attemptNumber).toBe(2);
    // Besides the failed attempt's own labels, only the system labels every execution carries.
    expect(next?.labels.filter((l) => !l.key.startsWith("system."))).toEqual([{ key: "k", value: "v" }]);
    expect(next?.labels.map((l) => l.key)).toContain("system.correlationId");
  });
});

describe("splitItems", () => {
  it("writes one batch file per group of rows and tells the execution their URIs, or why not", async () => {
    const d = new FakeDriver();
    const f = d.add(
      "id: f\nnamespace: t\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }\n",
    );
    const running = await d.storedAs(f, "RUNNING");
    const uri = await d.storage.put(`kestra:///t/f/executions/${running.id}/items.txt`, "1\n2\n3\n");
    await splitItems(d, running.id, { taskRunId: "tr", uri, rows: 2, separator: "\n" });
    const split = d.sent[0]?.event as { batches: string[] };
    expect(split.batches).toHaveLength(2);
    expect(new TextDecoder().decode(await d.storage.get(split.batches[1] as string))).toBe("3\n");
    await splitItems(d, running.id, { taskRunId: "tr", uri: "kestra:///nope", separator: "\n" });
    expect(d.sent[1]?.event).toMatchObject({ type: "itemsSplit", batches: [] });
    expect(d.sent[1]?.event).toMatchObject({
      error: expect.stringMatching(/^cannot split kestra:\/\/\/nope: /),
    });
  });

  it("with splitsFile, also writes splits.txt, the batch URIs one a line (Kestra's ForEachItemSplit)", async () => {
    const d = new FakeDriver();
    const f = d.add(
      "id: f\nnamespace: t\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }\n",
    );
    const running = await d.storedAs(f, "RUNNING");
    const uri = await d.storage.put(`kestra:///t/f/executions/${running.id}/items.txt`, "1\n2\n3\n");
    await splitItems(d, running.id, { taskRunId: "tr", uri, rows: 2, separator: "\n", splitsFile: true });
    const split = d.sent[0]?.event as { batches: string[]; splits: string };
    expect(split.splits).toMatch(/\/splits\.txt$/);
    expect(new TextDecoder().decode(await d.storage.get(split.splits))).toBe(split.batches.join("\n"));
  });
});

describe("mergeSubflowOutputs", () => {
  it("writes the subflows' flow outputs one JSON line each and tells the execution the file", async () => {
    const d = new FakeDriver();
    const f = d.add(
      "id: f\nnamespace: t\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: hi }\n",
    );
    const running = await d.storedAs(f, "RUNNING");
    await mergeSubflowOutputs(d, running.id, { taskRunId: "tr", outputs: [{ value: "a" }, { value: "b" }] });
    const merged = d.sent[0]?.event as { type: string; uri: string };
    expect(merged.type).toBe("subflowOutputsMerged");
    expect(merged.uri).toMatch(/\/tr\/outputs\.ion$/);
    expect(new TextDecoder().decode(await d.storage.get(merged.uri))).toBe('{"value":"a"}\n{"value":"b"}\n');
  });
});
